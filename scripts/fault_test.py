#!/usr/bin/env python3
"""Fault test: PostgreSQL stops and restarts while gunicorn serves the archive under load.

    .venv/bin/python scripts/fault_test.py [--workers 2] [--clients 4] [--down 4]

It builds a throwaway PostgreSQL instance of its own (initdb and pg_ctl in a temporary folder,
its own port and socket folder; never a cluster someone else uses), loads the story into it,
serves it with gunicorn as `make run` does (gunicorn.conf.py), and has a few clients read pages
without pause. Then it stops PostgreSQL (`pg_ctl stop -m fast`, then `-m immediate` in a
second round), waits, and starts it again. It checks that:

- every request got an answer, and every answer was a 200 or a 503 (the styled page, with
  Retry-After), never a 500 nor a dropped connection;
- the pages were 503 while PostgreSQL was down, and 200 again within seconds of its return,
  on every worker, with no restart of gunicorn;
- each worker logged each fault on one line, with no traceback.

Exit status 0 when all of that holds. Run as root, PostgreSQL runs as the `postgres` user
(initdb refuses root); otherwise as the current user.
"""

import argparse
import collections
import glob
import os
import pwd
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import quote

# Run as a script: the project's root is not on the path by itself.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from core.processes import ServerFailed, answers, free_port, gunicorn, manage  # noqa: E402

ACCESS_LINE = re.compile(r"^\d+\.\d+\.\d+\.\d+ - ")
PATHS = (
    "/",
    "/events/",
    "/en/events/?actor=sam-altman",
    "/people/sam-altman/",
    "/search/?q=conseil",
    "/healthz",
)


def say(message):
    print(f"[fault-test] {message}", flush=True)


def pg_bindir():
    for candidate in [
        os.environ.get("PG_BINDIR", ""),
        *sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True),
    ]:
        if candidate and Path(candidate, "pg_ctl").exists():
            return Path(candidate)
    raise SystemExit("pg_ctl not found: install PostgreSQL (apt-get install postgresql-15)")


class ThrowawayPostgres:
    """initdb + pg_ctl in a folder of its own; trust authentication on its socket only."""

    def __init__(self, folder, port):
        self.bindir = pg_bindir()
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.socket_dir = self.folder / "socket"
        self.log = self.folder / "postgres.log"
        self.port = port
        self.user = "postgres" if os.geteuid() == 0 else pwd.getpwuid(os.geteuid()).pw_name

    def run(self, *command, check=True):
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*prefix, *map(str, command)], check=check, capture_output=True, text=True
        )

    def pg_ctl(self, *args):
        return self.run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, *args)

    def create(self):
        self.socket_dir.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
            shutil.chown(self.socket_dir, "postgres")
        self.run(self.bindir / "initdb", "-D", self.data, "-U", self.user, "--auth=trust",
                 "-E", "UTF8", "--locale=C.UTF-8")  # fmt: skip
        with open(self.data / "postgresql.conf", "a") as conf:
            conf.write("\nfsync = off\nsynchronous_commit = off\n")  # a throwaway instance
        self.options = f"-p {self.port} -k {self.socket_dir} -c listen_addresses=''"
        self.start()
        self.run(
            self.bindir / "createdb",
            "-h",
            self.socket_dir,
            "-p",
            self.port,
            "-U",
            self.user,
            "archive",
        )

    def start(self):
        self.pg_ctl("start", "-w", "-o", self.options)

    def stop(self, mode):
        self.pg_ctl("stop", "-w", "-m", mode)

    def destroy(self):
        self.run(self.bindir / "pg_ctl", "-D", self.data, "stop", "-m", "immediate", check=False)

    @property
    def url(self):
        return f"postgres://{self.user}@{quote(str(self.socket_dir), safe='')}:{self.port}/archive"


class Load:
    """Clients reading pages back to back; every answer (or failure) is kept with its time."""

    def __init__(self, base_url, clients):
        self.base_url = base_url
        self.clients = clients
        self.results = []  # (time, path, status or an error's description, Retry-After)
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self.client, args=(n,)) for n in range(clients)]

    def client(self, number):
        turn = number
        while not self.stopping.is_set():
            path = PATHS[turn % len(PATHS)]
            turn += 1
            status, retry_after = fetch(self.base_url + path)
            with self.lock:
                self.results.append((time.monotonic(), path, status, retry_after))

    def __enter__(self):
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        for thread in self.threads:
            thread.join()

    def between(self, start, end):
        with self.lock:
            return [r for r in self.results if start <= r[0] < end]


def fetch(url, timeout=35):
    request = urllib.request.Request(url, headers={"Host": "localhost"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            response.read()
            return response.status, response.headers.get("Retry-After")
    except urllib.error.HTTPError as error:
        error.read()
        return error.code, error.headers.get("Retry-After")
    except OSError as error:
        return f"{type(error).__name__}: {error}", None


def summary(results):
    return dict(collections.Counter(status for _, _, status, _ in results))


def one_round(postgres, load, base_url, mode, down_seconds, failures):
    say(f"stopping PostgreSQL (-m {mode}) under load")
    stopped_at = time.monotonic()
    postgres.stop(mode)
    time.sleep(down_seconds)
    down = load.between(time.monotonic() - down_seconds + 1, time.monotonic())
    say(f"while down: {summary(down)}")
    if not down or any(status != 503 for _, _, status, _ in down):
        failures.append(f"-m {mode}: not every answer was a 503 while PostgreSQL was down")
    if any(retry != "30" for _, _, status, retry in down if status == 503):
        failures.append(f"-m {mode}: a 503 without Retry-After")
    say("starting PostgreSQL again")
    postgres.start()
    restarted_at = time.monotonic()
    deadline = restarted_at + 30
    while fetch(base_url + "/healthz")[0] != 200:
        if time.monotonic() > deadline:
            failures.append(f"-m {mode}: /healthz not back within 30 s of the restart")
            return
        time.sleep(0.1)
    say(f"/healthz answers 200 {time.monotonic() - restarted_at:.1f} s after the restart")
    time.sleep(3)
    # Every worker has had requests by now: a broken persistent connection would show.
    after = load.between(time.monotonic() - 2, time.monotonic())
    say(f"2 s later: {summary(after)}")
    if not after or any(status != 200 for _, _, status, _ in after):
        failures.append(f"-m {mode}: pages not all 200 again after the restart")
    outage = load.between(stopped_at, time.monotonic())
    say(f"round -m {mode}: {len(outage)} requests, {summary(outage)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--down", type=float, default=4, help="seconds PostgreSQL stays down")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    options = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="archive-fault-test-")
    postgres = ThrowawayPostgres(folder, free_port())
    failures = []
    try:
        say(f"throwaway PostgreSQL in {folder}, port {postgres.port}")
        postgres.create()
        env = {
            **os.environ,
            "DATABASE_URL": postgres.url,
            "DJANGO_SECRET_KEY": "fault-test-key",
            "DJANGO_ALLOWED_HOSTS": "localhost",
            "PYTHONUNBUFFERED": "1",
        }
        env.pop("REDIS_URL", None)
        say("migrating and loading the story")
        manage(env, "migrate", "--noinput")
        manage(env, "seed_story")
        manage(env, "collectstatic", "--noinput", "-v0")
        log_path = Path(folder) / "gunicorn.log"
        ready = answers("/healthz", headers={"Host": "localhost"}, status=200)
        with gunicorn(workers=options.workers, env=env, log_path=log_path, ready=ready) as server:
            base_url = server.base_url
            say(f"gunicorn on {base_url}, {options.workers} workers, {options.clients} clients")
            with Load(base_url, options.clients) as load:
                time.sleep(2)
                for mode in ("fast", "immediate"):
                    one_round(postgres, load, base_url, mode, options.down, failures)
            results = load.results
        bad = [r for r in results if r[2] not in (200, 503)]
        say(f"all {len(results)} requests: {summary(results)}")
        if bad:
            failures.append(f"{len(bad)} answers neither 200 nor 503, e.g. {bad[:3]}")
        log = log_path.read_text()
        fault_lines = [line for line in log.splitlines() if "Database unavailable" in line]
        say(f"gunicorn logged {len(fault_lines)} fault lines")
        if "Traceback" in log:
            failures.append("gunicorn's log holds a traceback")
        # Besides the access log and gunicorn's own start and stop lines, only the faults.
        noise = [
            line
            for line in log.splitlines()
            if not ACCESS_LINE.match(line) and "[INFO]" not in line and line not in fault_lines
        ]
        if noise:
            failures.append(f"{len(noise)} other lines in gunicorn's log, e.g. {noise[:3]}")
        if not 1 <= len(fault_lines) <= 2 * options.workers:
            failures.append(f"expected one fault line per worker and round, got {len(fault_lines)}")
    finally:
        postgres.destroy()
        if options.keep:
            say(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)
    if failures:
        for failure in failures:
            say(f"FAILED: {failure}")
        return 1
    say("passed: every answer was a 200 or a 503, and the archive came back by itself")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except ServerFailed as exc:  # its log tells why: no traceback of ours on top
        sys.exit(f"gunicorn did not start: {exc}")
