"""`migrate`, which may create the SQLite database file.

Settings open SQLite with `mode=rw` (read-write, only if the file exists), so a worker never
creates an empty database when the real one is missing. Creating it is migrate's job alone:
on a first `make run`, or `manage.py migrate` on a fresh checkout.
"""

import sqlite3
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections


def missing_sqlite_file(settings_dict):
    """The path of a `file:…?mode=rw` SQLite database that does not exist yet, else None."""
    name = str(settings_dict.get("NAME") or "")
    if settings_dict.get("ENGINE") != "django.db.backends.sqlite3" or not name.startswith("file:"):
        return None
    parts = urlsplit(name)
    if parse_qs(parts.query).get("mode") != ["rw"]:
        return None  # in memory (the test database), or already allowed to create
    path = Path(unquote(parts.path))
    return None if path.exists() else path


class Command(MigrateCommand):
    def handle(self, *args, **options):
        path = missing_sqlite_file(connections[options["database"]].settings_dict)
        if path is not None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"Creating the SQLite database {path}")
            sqlite3.connect(path).close()
        return super().handle(*args, **options)
