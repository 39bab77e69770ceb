"""The benchmark from start to end: two archives built, measured in-process, loaded with wrk
three times (cache off, cache on, the small archive), reported, and thrown away."""

import datetime
import os
import shutil
import signal
import tempfile
from pathlib import Path

from django.core.management.base import CommandError

from core.processes import GUNICORN
from newsarchive.bench import log
from newsarchive.bench.databases import (
    ThrowawayDatabase,
    build_archive,
    manage,
    measure_in_process,
)
from newsarchive.bench.report import code_version, render_markdown
from newsarchive.bench.serving import serving
from newsarchive.bench.wrk import ensure_wrk, load_pages


def benchmark(options):
    """The Markdown table, for the options of `manage.py bench`."""
    if not GUNICORN.exists():
        raise CommandError(f"{GUNICORN} is missing: run 'make' to install the venv.")
    ensure_wrk()
    # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so servers and databases go.
    previous = signal.signal(signal.SIGTERM, raise_system_exit)
    try:
        return measure_and_report(options)
    finally:
        signal.signal(signal.SIGTERM, previous)


def measure_and_report(options):
    if options["database_url"]:
        ThrowawayDatabase(options["database_url"])  # refuse a bad name before making files
    workdir = tempfile.mkdtemp(prefix="archive-bench-", dir="/tmp")
    large_db = ThrowawayDatabase(
        options["database_url"] or f"sqlite:///{workdir}/archive-bench.sqlite3"
    )
    small_db = large_db.sibling("small")
    # The small archive keeps the big one's proportions (events per actor).
    small_actors = max(20, options["actors"] * options["small"] // options["events"])
    try:
        build_archive(large_db, options["events"], options["actors"])
        build_archive(small_db, options["small"], small_actors)
        manage(large_db.url, "collectstatic", "--noinput", "--verbosity", "0")
        log("measuring queries and sizes in-process")
        large = measure_in_process(large_db, workdir)
        small = measure_in_process(small_db, workdir)
        load_before = os.getloadavg()[0]
        cache_off, cache_on, small_off = load(large_db, small_db, large, small, options, workdir)
        meta = {
            "date": datetime.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
            "nproc": os.cpu_count(),
            "commit": code_version(),
            # Anything else running on the machine (tests, builds) skews req/s: say so.
            "load": (load_before, os.getloadavg()[0]),
            **{key: options[key] for key in ("workers", "connections", "duration", "timeout")},
        }
        return render_markdown(meta, large, small, cache_off, cache_on, small_off)
    finally:
        clean_up(options["keep"], workdir, large_db, small_db)


def load(large_db, small_db, large, small, options, workdir):
    workers = options["workers"]
    log_path = Path(workdir) / "gunicorn.log"
    with serving(large_db.url, page_cache=False, workers=workers, log_path=log_path) as server:
        log(f"cache off, {large['events']:,} events")
        cache_off = load_pages(server, large["pages"], options)
    with serving(large_db.url, page_cache=True, workers=workers, log_path=log_path) as server:
        log(f"cache on, {large['events']:,} events (plain, then If-None-Match)")
        cache_on = load_pages(server, large["pages"], options, conditional=True)
    with serving(small_db.url, page_cache=False, workers=workers, log_path=log_path) as server:
        log(f"cache off, {small['events']:,} events")
        small_off = load_pages(server, small["pages"], options)
    return cache_off, cache_on, small_off


def clean_up(keep, workdir, *databases):
    if keep:
        log("kept: " + ", ".join(database.url for database in databases))
        log(f"kept logs in {workdir}")
        return
    for database in databases:
        try:
            database.drop()
        except (CommandError, OSError) as exc:
            log(f"could not drop {database.url}: {exc}")
    shutil.rmtree(workdir, ignore_errors=True)
    log("throwaway databases removed")


def raise_system_exit(signum, frame):
    raise SystemExit(128 + signum)
