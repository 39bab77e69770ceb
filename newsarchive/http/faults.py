"""Database faults over HTTP: a 503 while the database is unreachable or read-only, then
recovery. The fault logic itself is newsarchive.database.faults.

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

import os

from django.db import OperationalError

from newsarchive.database.faults import reconnected, state
from newsarchive.database.sqlite import shared_memory_files
from newsarchive.http.errors import service_unavailable


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
                state.record(OperationalError(f"{shm} is not writable"), close=False)
                return service_unavailable(request)
        response = self.get_response(request)
        if state.active and response.status_code != 503 and reconnected():
            state.clear()
        return response
