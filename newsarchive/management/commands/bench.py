"""`manage.py bench`: the archive at scale, as `make run` serves it. The work is in
newsarchive/bench/ (its __init__ tells the steps); this parses the options."""

import argparse
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsarchive.bench import log
from newsarchive.bench.live import live
from newsarchive.bench.pages import measure_into
from newsarchive.bench.runs import benchmark


class Command(BaseCommand):
    help = (
        "Benchmark the archive at scale as `make run` serves it (throwaway databases, "
        "gunicorn, wrk) and print a Markdown table."
    )

    def add_arguments(self, parser):
        parser.add_argument("--events", type=int, default=100_000)
        parser.add_argument("--actors", type=int, default=5_000)
        parser.add_argument(
            "--small",
            type=int,
            default=1_000,
            help="events of the small archive the slow-down ratio compares with",
        )
        parser.add_argument("--duration", type=int, default=5, help="seconds of wrk per run")
        parser.add_argument("--connections", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument(
            "--timeout",
            type=int,
            default=10,
            help="wrk's request timeout in seconds (its default, 2, hides slow pages' latency)",
        )
        parser.add_argument(
            "--database-url",
            help="throwaway database (name must end in _bench; default: SQLite files in /tmp)",
        )
        parser.add_argument(
            "--only",
            choices=["scale", "live"],
            help="run one part: the archive at scale, or the live scenario (default: both)",
        )
        parser.add_argument(
            "--live-duration", type=int, default=20, help="seconds of each live phase"
        )
        parser.add_argument("--output", help="also write the Markdown table to this file")
        parser.add_argument("--keep", action="store_true", help="keep the databases")
        # Internal: the helper subprocess that measures pages in-process.
        parser.add_argument("--measure-into", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["measure_into"]:
            return measure_into(options["measure_into"])
        if min(options["events"], options["small"], options["duration"]) < 1:
            raise CommandError("--events, --small and --duration must be at least 1.")
        if options["connections"] < 1 or options["workers"] < 1:
            raise CommandError("--connections and --workers must be at least 1.")
        report = "" if options["only"] == "live" else benchmark(options)
        if options["only"] != "scale":
            report += live(options)
        self.stdout.write(report, ending="")
        if options["output"]:
            Path(options["output"]).write_text(report)
            log(f"table written to {options['output']}")
