"""Database faults: a 503 while the database is unreachable or read-only, then recovery.

A fault may surface anywhere a request touches the database: the page cache's data-version
read (before any view), a session, a view, a save. Django turns every one of those exceptions
into a call to handler500 (newsarchive.http.errors.server_error), which asks
`is_database_fault()` and answers the 503 page. Here:

- every connection is closed on a fault, so no worker keeps a broken persistent connection
  (CONN_MAX_AGE) to a PostgreSQL server that restarted, or to a SQLite file that was moved or
  replaced. The next request connects afresh, which is what makes recovery automatic;
- a SQLite connection opened while the file is write-protected is read-only for good (SQLite
  falls back to reading): it is not kept past its request, so saves work again as soon as
  the file is writable;
- a SQLite `-shm` file that is not writable is a 503 before the request touches the database
  (DatabaseFaultMiddleware): that one would otherwise kill the worker with SIGBUS;
- the fault is logged once per process (not a traceback per request) until a request reaches
  the database again, which is logged at INFO.
"""

import logging
import os
import threading
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.db.backends.signals import connection_created

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


def sqlite_path(name):
    """The file behind a SQLite NAME, plain or a `file:` URI; None in memory."""
    name = str(name or "")
    if name.startswith("file:"):
        parts = urlsplit(name)
        if "mode=memory" in parts.query:
            return None
        return Path(unquote(parts.path))
    return None if name in ("", ":memory:") else Path(name)


def drop_read_only_sqlite(sender, connection, **kwargs):
    if connection.vendor != "sqlite":
        return
    path = sqlite_path(connection.settings_dict["NAME"])
    if path is not None and path.exists() and not os.access(path, os.W_OK):
        # Past its close time: Django closes it when the request ends (CONN_MAX_AGE).
        connection.close_at = time.monotonic()


def connect():
    connection_created.connect(drop_read_only_sqlite, dispatch_uid="newsarchive.faults")


class SkipDatabaseFaults(logging.Filter):
    """Keeps Django's "Service Unavailable" lines (and tracebacks) out of the `django.request`
    log: the archive answers 503 only for a database fault (the pages, /healthz), which
    FaultState logs once instead of once per request."""

    def filter(self, record):
        exception = record.exc_info[1] if record.exc_info else None
        if exception is not None and is_database_fault(exception):
            return False
        return getattr(record, "status_code", None) != 503


def shared_memory_files():
    """The `-shm` file beside each SQLite database (WAL mode)."""
    paths = (sqlite_path(db["NAME"]) for db in settings.DATABASES.values() if is_sqlite(db))
    return [path.with_name(path.name + "-shm") for path in paths if path is not None]


def is_sqlite(database):
    return database["ENGINE"] == "django.db.backends.sqlite3"


class DatabaseFaultMiddleware:
    """Two checks around every request.

    Before: SQLite maps its `-shm` file into memory; if that file stops being writable (made
    immutable, say) while mapped, the next access kills the worker with SIGBUS, which no
    Python code can catch. So the file is checked first (two system calls), and while it is
    not writable the answer is the 503 page, without touching the connection at all (even
    closing it would write to the mapping).

    After: recovery. After a fault every connection was closed, so a request that opened one
    again and was not answered 503 reached the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.shm_files = shared_memory_files()

    def __call__(self, request):
        for shm in self.shm_files:
            if os.access(shm, os.F_OK) and not os.access(shm, os.W_OK):
                from newsarchive.http.errors import service_unavailable  # (imports this module)

                state.record(OperationalError(f"{shm} is not writable"), close=False)
                return service_unavailable(request)
        response = self.get_response(request)
        if state.active and response.status_code != 503 and reconnected():
            state.clear()
        return response


def reconnected():
    return any(c.connection is not None for c in connections.all(initialized_only=True))
