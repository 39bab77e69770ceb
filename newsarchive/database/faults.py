"""Database faults, whatever the request or command that meets them: which exceptions mean
the database cannot be reached or written to, closing every connection so the next use
connects afresh, and logging a fault once per process and its end once.

The HTTP side (the 503 page, the `-shm` check before each request) is newsarchive.http.faults;
the SQLite files behind the settings are newsarchive.database.sqlite.
"""

import logging
import threading

from django.db import DatabaseError, InterfaceError, OperationalError, connections

logger = logging.getLogger("newsarchive.faults")

# Seconds a client (or a load balancer) is asked to wait before trying again.
RETRY_AFTER = 30
# PostgreSQL's "read-only SQL transaction": a standby, or default_transaction_read_only.
READ_ONLY_SQLSTATE = "25006"


def is_database_fault(exception):
    """The database cannot be reached or written to (as opposed to a bug in a query).

    SQLite reports both a missing or locked file and a read-only one as OperationalError;
    PostgreSQL a lost server as OperationalError or InterfaceError, a read-only one by its
    SQLSTATE."""
    if isinstance(exception, OperationalError | InterfaceError):
        return True
    cause = exception.__cause__
    return isinstance(exception, DatabaseError) and (
        getattr(cause, "sqlstate", None) == READ_ONLY_SQLSTATE
    )


class FaultState:
    """Per process: gunicorn workers share nothing, so each logs a fault once."""

    def __init__(self):
        self.lock = threading.Lock()
        self.current = None

    def record(self, exception, close=True):
        if close:
            close_all_connections()
        with self.lock:
            first = self.current is None
            self.current = describe(exception)
        if first:
            logger.error("Database unavailable, answering 503 until it is back: %s", self.current)

    def clear(self):
        with self.lock:
            was, self.current = self.current, None
        if was is not None:
            logger.info("Database reachable again (the fault was: %s)", was)

    @property
    def active(self):
        return self.current is not None


state = FaultState()


def record(exception):
    state.record(exception)


def describe(exception):
    text = str(exception).strip().splitlines()
    return f"{type(exception).__name__}: {text[0] if text else ''}"


def close_all_connections():
    for connection in connections.all(initialized_only=True):
        try:
            connection.close()
        except DatabaseError:
            # Closing a connection to a server that went away can fail too; it is gone.
            connection.connection = None


class SkipDatabaseFaults(logging.Filter):
    """Keeps Django's "Service Unavailable" lines (and tracebacks) out of the `django.request`
    log: the archive answers 503 only for a database fault (the pages, /healthz), which
    FaultState logs once instead of once per request."""

    def filter(self, record):
        exception = record.exc_info[1] if record.exc_info else None
        if exception is not None and is_database_fault(exception):
            return False
        return getattr(record, "status_code", None) != 503


def reconnected():
    return any(c.connection is not None for c in connections.all(initialized_only=True))
