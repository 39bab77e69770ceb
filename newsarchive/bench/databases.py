"""Throwaway databases: created, filled by `generate_archive` and measured in subprocesses
whose DATABASE_URL points at them, then dropped."""

import json
import os
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from django.core.management.base import CommandError

from newsarchive.bench import BASE_DIR, log, run

MANAGE = BASE_DIR / "manage.py"
SEED = 1


class ThrowawayDatabase:
    """A database the benchmark may drop and re-create: refused unless its name ends in
    `_bench` (or a SQLite file named `…-bench`/`…_bench`), so a typo can't wipe real data."""

    def __init__(self, url):
        self.url = url
        config = dj_database_url.parse(url)
        engine = config["ENGINE"]
        self.name = str(config["NAME"])
        if engine == "django.db.backends.sqlite3":
            self.vendor = "sqlite"
            stem = Path(self.name).stem
            if not stem.endswith(("_bench", "-bench")):
                raise CommandError(
                    f"Refusing {url}: the benchmark deletes its database, so the SQLite file "
                    "name must end in '-bench' or '_bench' (e.g. /tmp/archive-bench.sqlite3)."
                )
        elif "postgresql" in engine:
            self.vendor = "postgresql"
            if not self.name.endswith("_bench"):
                raise CommandError(
                    f"Refusing {url}: the benchmark drops and re-creates its database, so its "
                    "name must end in '_bench' (e.g. postgres:///newsarchive_bench)."
                )
            self.config = config
        else:
            raise CommandError(f"Unsupported database for the benchmark: {engine}.")

    def sibling(self, label):
        """Another throwaway database next to this one (the small archive's)."""
        if self.vendor == "sqlite":
            path = Path(self.name)
            stem = path.stem[: -len("_bench")] + f"_{label}_bench"
            return ThrowawayDatabase(f"sqlite:///{path.with_name(stem + path.suffix)}")
        # Only the path (the database name) changes: user, host, port and options stay.
        parts = urlsplit(self.url)
        name = self.name[: -len("_bench")] + f"_{label}_bench"
        query = f"?{parts.query}" if parts.query else ""
        return ThrowawayDatabase(f"{parts.scheme}://{parts.netloc}/{name}{query}")

    def create(self):
        self.drop()
        if self.vendor == "postgresql":
            run(["createdb", *self.pg_args(), self.name], env=self.pg_env())

    def drop(self):
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(self.name + suffix).unlink(missing_ok=True)
        else:
            run(["dropdb", "--if-exists", *self.pg_args(), self.name], env=self.pg_env())

    def pg_args(self):
        args = []
        for flag, key in (("-h", "HOST"), ("-p", "PORT"), ("-U", "USER")):
            if self.config.get(key):
                args += [flag, str(self.config[key])]
        return args

    def pg_env(self):
        env = os.environ.copy()
        if self.config.get("PASSWORD"):
            env["PGPASSWORD"] = self.config["PASSWORD"]
        return env


def child_env(database_url, page_cache=True):
    """The environment `make run` would have, pointed at the throwaway database."""
    env = os.environ.copy()
    env["DATABASE_URL"] = database_url
    env["PYTHONUNBUFFERED"] = "1"
    if page_cache:
        env.pop("ARCHIVE_PAGE_CACHE", None)
    else:
        env["ARCHIVE_PAGE_CACHE"] = "off"
    return env


def manage(database_url, *args, page_cache=True):
    return run([sys.executable, MANAGE, *args], env=child_env(database_url, page_cache))


def build_archive(database, events, actors):
    started = time.monotonic()
    log(f"creating {database.url} with {events:,} events and {actors:,} actors")
    database.create()
    manage(database.url, "migrate", "--noinput", "--verbosity", "0")
    manage(
        database.url,
        "generate_archive",
        "--events", str(events),
        "--actors", str(actors),
        "--seed", str(SEED),
    )  # fmt: skip
    log(f"archive ready in {time.monotonic() - started:.0f} s")


def measure_in_process(database, workdir):
    """Queries and sizes, in a subprocess so Django's settings read the throwaway database
    (and the page cache is off: we want what rendering a page costs)."""
    output = Path(workdir) / f"measure-{os.getpid()}-{time.monotonic_ns()}.json"
    manage(database.url, "bench", "--measure-into", output, page_cache=False)
    return json.loads(output.read_text())
