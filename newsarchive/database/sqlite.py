"""The SQLite files behind the settings: where a NAME points, and the connection rule that
keeps a read-only file from leaving a worker read-only for good (newsarchive.database.faults
says why)."""

import os
import time
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.db.backends.signals import connection_created


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


def shared_memory_files():
    """The `-shm` file beside each SQLite database (WAL mode)."""
    paths = (sqlite_path(db["NAME"]) for db in settings.DATABASES.values() if is_sqlite(db))
    return [path.with_name(path.name + "-shm") for path in paths if path is not None]


def is_sqlite(database):
    return database["ENGINE"] == "django.db.backends.sqlite3"


def connect():
    connection_created.connect(drop_read_only_sqlite, dispatch_uid="newsarchive.faults")
