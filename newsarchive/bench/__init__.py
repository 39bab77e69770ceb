"""`manage.py bench`: the archive at scale (100,000 synthetic events), measured as `make run`
serves it.

It builds throwaway databases with `generate_archive` (databases.py), serves them with gunicorn
exactly as the Makefile's `run` target does (same config module, same worker count; serving.py),
loads each public page with wrk (page cache off, on, and conditional requests that should get a
304; wrk.py), counts each page's SQL queries and HTML size in-process (pages.py), and repeats
the cache-off run on a small archive to show how each page slows down with size (runs.py). It
prints a Markdown table (report.py; progress goes to stderr, so `manage.py bench > bench.md`
keeps only the table).

A benchmark reports, it never judges: a page that fails shows its status in the table.
The project's own database is never touched: every step runs in a subprocess whose
DATABASE_URL points at the throwaway database.
"""

import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

BASE_DIR = Path(settings.BASE_DIR)


def log(message):
    """Progress goes to stderr, so stdout carries only the Markdown table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def run(command, **kwargs):
    """Run a step; its output goes to stderr with the progress, and a failure stops the
    benchmark with the step's command line."""
    kwargs.setdefault("stdout", sys.stderr)
    kwargs.setdefault("stderr", sys.stderr)
    result = subprocess.run([str(part) for part in command], cwd=BASE_DIR, **kwargs)
    if result.returncode != 0:
        raise CommandError(f"Failed (exit {result.returncode}): {' '.join(map(str, command))}")
    return result
