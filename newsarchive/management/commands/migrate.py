"""`migrate`, which may create the SQLite database file.

Settings open SQLite with `mode=rw` (read-write, only if the file exists), so a worker never
creates an empty database when the real one is missing. Creating it is migrate's job alone:
on a first `make run`, or `manage.py migrate` on a fresh checkout.
"""

import sqlite3

from django.core.management.commands.migrate import Command as MigrateCommand
from django.db import connections

from newsarchive.database.sqlite import sqlite_path


def missing_sqlite_file(settings_dict):
    """The path of a `file:…?mode=rw` SQLite database that does not exist yet, else None."""
    name = str(settings_dict.get("NAME") or "")
    if settings_dict.get("ENGINE") != "django.db.backends.sqlite3" or "mode=rw" not in name:
        return None  # in memory (the test database), or allowed to create the file anyway
    path = sqlite_path(name)
    return None if path is None or path.exists() else path


class Command(MigrateCommand):
    def handle(self, *args, **options):
        path = missing_sqlite_file(connections[options["database"]].settings_dict)
        if path is not None:
            if options["verbosity"] >= 1:
                self.stdout.write(f"Creating the SQLite database {path}")
            sqlite3.connect(path).close()
        return super().handle(*args, **options)
