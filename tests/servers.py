"""For the tests that serve the archive with a real gunicorn (core/processes.py) on a database
of their own."""

import sqlite3
from contextlib import closing


def copy_sqlite(source, target):
    """A consistent copy of a SQLite database, whatever its WAL still holds (the backup API)."""
    with closing(sqlite3.connect(source)) as reader, closing(sqlite3.connect(target)) as writer:
        reader.backup(writer)
