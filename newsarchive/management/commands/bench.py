"""`manage.py bench`: the archive at scale (100,000 synthetic events), measured as `make run`
serves it.

It builds throwaway databases with `generate_archive`, serves them with gunicorn exactly as the
Makefile's `run` target does (same config module, same worker count), loads each public page
with wrk (page cache off, on, and conditional requests that should get a 304), counts each
page's SQL queries and HTML size in-process, and repeats the cache-off run on a small archive
to show how each page slows down with size. It prints a Markdown table (progress goes to
stderr, so `manage.py bench > bench.md` keeps only the table).

A benchmark reports, it never judges: a page that fails shows its status in the table.
The project's own database is never touched: every step runs in a subprocess whose
DATABASE_URL points at the throwaway database.
"""

import argparse
import contextlib
import datetime
import http.client
import json
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import dj_database_url
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

BASE_DIR = Path(settings.BASE_DIR)
MANAGE = BASE_DIR / "manage.py"
# The venv's own gunicorn (the Makefile's $(BIN)/gunicorn), next to the running Python.
GUNICORN = Path(sys.executable).parent / "gunicorn"
GUNICORN_CONFIG = BASE_DIR / "gunicorn.conf.py"  # the one `make run` uses
SEARCH_WORD = "démission"
SEED = 1
WRK_THREADS = 2
SERVER_START_TIMEOUT = 120  # seconds; the first request may build caches on a big archive
PROBE_TIMEOUT = 120


def log(message):
    """Progress goes to stderr, so stdout carries only the Markdown table."""
    print(f"[bench] {message}", file=sys.stderr, flush=True)


# --- Pages (in-process, against the current database) ------------------------------------


@dataclass
class Page:
    key: str  # stable across archives, to match a page of the big and the small archive
    name: str
    url: str | None  # None when the archive has nothing to show there (e.g. no events)


PAGE_KEYS = (
    "home",
    "events",
    "events_popular_actor",
    "events_rare_actor",
    "events_q",
    "search",
    "event",
    "person",
    "organisation",
    "article",
    "people",
    "events_en",
)


def pick_pages():
    """The benchmarked pages, their URLs picked from the current database's data."""
    from events.models import Event
    from people.models import Actor

    involved = Actor.objects.most_involved()
    popular = involved.first()
    # An actor met once is the cheap end of the actor filter; a tiny archive may have none,
    # so fall back to the least involved one (its count is in the page name).
    rare = involved.filter(event_count=1).order_by("name").first() or (
        involved.order_by("event_count", "name").first()
    )
    person = involved.people().first()
    organisation = involved.organisations().first()
    events = Event.objects.order_by("occurred_at", "slug")
    total = events.count()
    middle = events[total // 2] if total else None
    query = "?" + urlencode({"q": SEARCH_WORD})

    with translation.override("fr"):
        event_list = reverse("events:event_list")
        pages = [
            Page("home", "home", reverse("home")),
            Page("events", "event list", event_list),
            actor_filter_page("events_popular_actor", "events of popular actor", popular),
            actor_filter_page("events_rare_actor", "events of rare actor", rare),
            Page("events_q", f"events, q={SEARCH_WORD}", event_list + query),
            Page("search", f"search, q={SEARCH_WORD}", reverse("search") + query),
            Page("event", "event (middle)", middle and middle.get_absolute_url()),
            actor_page("person", "most involved person", person),
            actor_page("organisation", "most involved organisation", organisation),
            Page("article", "article", reverse("article")),
            Page("people", "people list", reverse("people:person_list")),
        ]
    with translation.override("en"):
        pages.append(Page("events_en", "event list (English)", reverse("events:event_list")))
    return pages


def actor_filter_page(key, name, actor):
    if actor is None:
        return Page(key, name, None)
    url = reverse("events:event_list") + "?" + urlencode({"actor": actor.slug})
    return Page(key, f"{name} ({plural_events(actor.event_count)})", url)


def actor_page(key, name, actor):
    if actor is None:
        return Page(key, name, None)
    return Page(key, f"{name} ({plural_events(actor.event_count)})", actor.get_absolute_url())


def plural_events(count):
    return f"{count:,} event" + ("" if count == 1 else "s")


def measure_pages(pages):
    """Each page's status, SQL queries and HTML size, rendered in-process by the test client."""
    client = Client()
    return [{**asdict(page), **measure_page(client, page.url)} for page in pages]


def measure_page(client, url):
    if url is None:
        return {"status": None, "queries": None, "bytes": None, "error": "nothing to show"}
    # The first request pays one-off costs (templates, translations, per-process memos) that
    # a served page no longer pays; the second one is what every later reader costs.
    result = None
    for _attempt in range(2):
        result = measure_one_request(client, url)
        if result["error"]:
            break
    return result


def measure_one_request(client, url):
    error = response = None
    with CaptureQueriesContext(connection) as queries:
        try:
            response = client.get(url)
        except Exception as exc:  # the test client re-raises a view's exception: report it
            error = describe_exception(exc)
    if response is None:
        return {"status": 500, "queries": len(queries), "bytes": None, "error": error}
    return {
        "status": response.status_code,
        "queries": len(queries),
        "bytes": len(response.content),
        "error": None,
    }


def describe_exception(exc):
    """'Type: message (file:line in function)', from the innermost frame of the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        frame = frames[-1]
        path = Path(frame.filename)
        with contextlib.suppress(ValueError):
            path = path.relative_to(BASE_DIR)
        where = f" ({path}:{frame.lineno} in {frame.name})"
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message}{where}"


def measure_current_database():
    """What the `--measure-into` helper subprocess writes: the database and every page."""
    from events.models import Event
    from people.models import Actor

    return {
        "vendor": connection.vendor,
        "version": database_version(),
        "events": Event.objects.count(),
        "actors": Actor.objects.count(),
        "pages": measure_pages(pick_pages()),
    }


def database_version():
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        number = connection.pg_version  # e.g. 150004
        return f"PostgreSQL {number // 10000}.{number % 10000}"
    return connection.vendor


# --- Throwaway databases -----------------------------------------------------------------


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


def run(command, **kwargs):
    """Run a step; its output goes to stderr with the progress, and a failure stops the
    benchmark with the step's command line."""
    kwargs.setdefault("stdout", sys.stderr)
    kwargs.setdefault("stderr", sys.stderr)
    result = subprocess.run([str(part) for part in command], cwd=BASE_DIR, **kwargs)
    if result.returncode != 0:
        raise CommandError(f"Failed (exit {result.returncode}): {' '.join(map(str, command))}")
    return result


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


# --- gunicorn ----------------------------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Server:
    base_url: str
    log_path: Path  # gunicorn's access log and errors (tracebacks), to explain failures


@contextlib.contextmanager
def serving(database_url, *, page_cache, workers, log_path):
    """gunicorn exactly as `make run` starts it, on a free port; stopped on the way out
    whatever happens (failure, Ctrl-C, SIGTERM)."""
    port = free_port()
    command = [
        GUNICORN, "--config", GUNICORN_CONFIG,
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
    ]  # fmt: skip
    log(f"starting gunicorn on port {port}, page cache {'on' if page_cache else 'off'}")
    with open(log_path, "ab") as log_file:
        # Its own session: a Ctrl-C reaches us, and we stop the server and its workers
        # together, in order, instead of racing them.
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=BASE_DIR,
            env=child_env(database_url, page_cache),
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_answers(process, port, log_path)
        yield Server(f"http://127.0.0.1:{port}", Path(log_path))
    finally:
        stop(process)


def wait_until_answers(process, port, log_path):
    deadline = time.monotonic() + SERVER_START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise CommandError(f"gunicorn exited ({process.returncode}):\n{tail(log_path)}")
        with contextlib.suppress(OSError):
            # Any HTTP answer means it is serving; a missing page answers fast at any size,
            # where the home page may take long on a big archive.
            probe(f"http://127.0.0.1:{port}/bench-is-serving/", timeout=PROBE_TIMEOUT)
            return
        time.sleep(0.2)
    raise CommandError(f"gunicorn did not answer in {SERVER_START_TIMEOUT} s:\n{tail(log_path)}")


def stop(process):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # graceful: the master stops its workers
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def tail(path, lines=30):
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return ""


def probe(url, headers=None, timeout=PROBE_TIMEOUT):
    """One plain request, no redirect followed: (status, headers)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        response.read()
        return response.status, response.headers
    finally:
        conn.close()


def safe_probe(url, headers=None):
    try:
        return probe(url, headers)
    except OSError as exc:  # a timeout or a dropped connection is a result too
        return f"{type(exc).__name__}", {}


ACCESS_LINE = re.compile(r'"[A-Z]+ (\S+) HTTP/[\d.]+" (\d{3}) ')
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception)\b(: .*)?$")
FRAME_LINE = re.compile(r'^\s*File "([^"]+)", line (\d+), in (\S+)')


def served_since(log_path, offset, path):
    """What gunicorn logged from byte `offset` on: the statuses it answered for `path` (the
    previous run's last responses may be logged late, so other paths are left out) and the
    last exception it logged, as 'Type: message (file:line in function)'."""
    with contextlib.suppress(OSError), open(log_path, "rb") as log_file:
        log_file.seek(offset)
        text = log_file.read().decode(errors="replace")
        statuses = Counter(
            int(status) for logged, status in ACCESS_LINE.findall(text) if logged == path
        )
        return statuses, last_exception(text)
    return Counter(), None


def last_exception(text):
    frame = exception = None
    for line in text.splitlines():
        if match := FRAME_LINE.match(line):
            frame = match
        elif EXCEPTION_LINE.match(line) and frame:
            path = Path(frame.group(1))
            with contextlib.suppress(ValueError):
                path = path.relative_to(BASE_DIR)
            exception = f"{line.strip()} ({path}:{frame.group(2)} in {frame.group(3)})"
            frame = None
    return exception


def log_size(log_path):
    try:
        return Path(log_path).stat().st_size
    except OSError:
        return 0


# --- wrk ---------------------------------------------------------------------------------


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise CommandError("wrk is missing: run 'sudo apt-get install -y wrk', then bench again.")
    log("installing wrk (apt-get install -y wrk)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    if subprocess.run(["apt-get", "install", "-y", "-qq", "wrk"], env=env).returncode != 0:
        run(["apt-get", "update", "-qq"], env=env)
        run(["apt-get", "install", "-y", "-qq", "wrk"], env=env)
    if not shutil.which("wrk"):
        raise CommandError("wrk could not be installed: run 'apt-get install -y wrk'.")


@dataclass
class WrkResult:
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int = 0
    bad_status: int = 0  # wrk's "Non-2xx or 3xx responses"
    timeouts: int = 0
    socket_errors: int = 0
    error: str | None = None
    # From the server's log, for runs with failures: statuses answered and the exception.
    served: Counter = field(default_factory=Counter)
    server_error: str | None = None

    @property
    def failed(self):
        return bool(self.error or self.bad_status or self.timeouts or not self.requests)


def run_wrk(url, *, duration, connections, timeout, headers=()):
    command = [
        "wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{duration}s",
        "--latency", "--timeout", f"{timeout}s",
    ]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    command.append(url)
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=duration + timeout + 60
        )
    except subprocess.TimeoutExpired:
        return WrkResult(error="wrk hung")
    if done.returncode != 0:
        return WrkResult(error=(done.stderr or done.stdout).strip()[:200] or "wrk failed")
    return parse_wrk(done.stdout)


LATENCY_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def parse_wrk(text):
    def number(pattern, cast=float, default=None):
        match = re.search(pattern, text, re.MULTILINE)
        return cast(match.group(1)) if match else default

    def percentile(label):
        match = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s|m|h)\s*$", text, re.MULTILINE)
        return float(match.group(1)) * LATENCY_UNITS_MS[match.group(2)] if match else None

    errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text
    )
    connect, read, write, timeouts = map(int, errors.groups()) if errors else (0, 0, 0, 0)
    result = WrkResult(
        rps=number(r"Requests/sec:\s+([\d.]+)"),
        p50_ms=percentile("50"),
        p99_ms=percentile("99"),
        requests=number(r"(\d+) requests in", int, 0),
        bad_status=number(r"Non-2xx or 3xx responses:\s+(\d+)", int, 0),
        timeouts=timeouts,
        socket_errors=connect + read + write,
    )
    if result.rps is None:
        result.error = "could not read wrk's output"
    return result


# --- The runs ----------------------------------------------------------------------------


def load_pages(server, pages, options, *, conditional=False):
    """wrk on every page of one server: {key: {"plain": WrkResult, "status", "etag",
    "conditional": WrkResult | None, "conditional_status"}}."""
    results = {}
    for page in pages:
        if page["url"] is None:
            continue
        url = server.base_url + page["url"]
        # One plain request first: it warms the page up and tells its status and ETag.
        status, headers = safe_probe(url)
        etag = headers.get("ETag") if headers else None
        log(f"  wrk {page['url']} (status {status})")
        entry = {
            "status": status,
            "etag": etag,
            "plain": wrk_for(server, url, options),
            "conditional": None,
            "conditional_status": None,
        }
        if conditional and etag:
            header = f"If-None-Match: {etag}"
            entry["conditional_status"], _ = safe_probe(url, {"If-None-Match": etag})
            entry["conditional"] = wrk_for(server, url, options, headers=[header])
        results[page["key"]] = entry
    return results


def wrk_for(server, url, options, headers=()):
    offset = log_size(server.log_path)
    result = run_wrk(
        url,
        duration=options["duration"],
        connections=options["connections"],
        timeout=options["timeout"],
        headers=headers,
    )
    time.sleep(0.5)  # lets the workers log the last responses wrk got
    path = url.removeprefix(server.base_url)
    result.served, result.server_error = served_since(server.log_path, offset, path)
    return result


# --- The report --------------------------------------------------------------------------


def render_markdown(meta, large, small, cache_off, cache_on, small_off):
    lines = [header_line(meta, large, small), ""]
    lines += [
        "| page | URL | status | queries | HTML KB | req/s (cache off) | p50 / p99 ms "
        "(cache off) | req/s (cache on) | req/s (304) | req/s at "
        f"{small['events']:,} events | ratio |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    small_pages = {page["key"]: page for page in small["pages"]}
    notes = []
    for page in large["pages"]:
        key = page["key"]
        off, on, little = cache_off.get(key), cache_on.get(key), small_off.get(key)
        small_url = small_pages.get(key, {}).get("url")
        lines.append(
            "| "
            + " | ".join(
                [
                    page["name"],
                    f"`{page['url']}`" if page["url"] else "—",
                    status_cell(page, off),
                    cell(page["queries"]),
                    cell(page["bytes"] and page["bytes"] / 1024, "{:,.1f}"),
                    rps_cell(off and off["plain"]),
                    latency_cell(off and off["plain"]),
                    rps_cell(on and on["plain"]),
                    conditional_cell(on),
                    rps_cell(little and little["plain"]) if small_url else "—",
                    ratio_cell(little and little["plain"], off and off["plain"]),
                ]
            )
            + " |"
        )
        notes += page_notes(page, off, on, little)
    lines += ["", *explanations(meta, small)]
    if notes:
        lines += ["", "Problems seen:", "", *notes]
    return "\n".join(lines) + "\n"


def header_line(meta, large, small):
    return (
        f"Benchmark of {meta['date']} — machine: {meta['nproc']} CPUs (nproc), "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"load average {meta['load'][0]:.1f} before the wrk runs, {meta['load'][1]:.1f} after; "
        f"database: {large['version']}; archive: {large['events']:,} events, "
        f"{large['actors']:,} actors (seed {SEED}); small archive: {small['events']:,} events, "
        f"{small['actors']:,} actors; gunicorn {meta['workers']} workers "
        f"(config {GUNICORN_CONFIG.name}); wrk -t{min(WRK_THREADS, meta['connections'])} "
        f"-c{meta['connections']} -d{meta['duration']}s --timeout {meta['timeout']}s; "
        f"code: {meta['commit']}."
    )


def explanations(meta, small):
    return [
        "Status, queries and HTML size are measured in-process (Django test client, page "
        "cache off, second request). Cache on: the full-page cache as served by default. "
        "304: requests with If-None-Match set to the page's ETag (n/a when the page sends "
        f"none). Ratio: req/s at {small['events']:,} events ÷ req/s at the full size "
        "(cache off; 2× means the page is half as fast at full size). "
        "⚠ marks responses that were not 2xx/3xx, or socket errors and timeouts.",
    ]


def cell(value, template="{:,}"):
    return "—" if value is None else template.format(value)


def status_cell(page, off):
    status = cell(page["status"], "{}")
    served = off and off["status"]
    if served is not None and str(served) != str(page["status"]):
        status += f" (served {served})"
    return status


def rps_cell(result):
    if result is None:
        return "—"
    if result.error:
        return f"⚠ {result.error}"
    text = f"{result.rps:,.0f}" if result.rps >= 10 else f"{result.rps:,.1f}"
    warnings = []
    if not result.requests:
        warnings.append("no response completed")
    if result.bad_status:
        answered = ", ".join(
            f"{status}" for status in sorted(result.served) if not 200 <= status < 400
        )
        warnings.append(
            f"{result.bad_status:,}/{result.requests:,} non-2xx/3xx"
            + (f" ({answered})" if answered else "")
        )
    if result.timeouts:
        warnings.append(f"{result.timeouts:,} timeouts")
    if result.socket_errors:
        warnings.append(f"{result.socket_errors:,} socket errors")
    return text + (f" ⚠ {', '.join(warnings)}" if warnings else "")


def latency_cell(result):
    if result is None or result.error or result.p50_ms is None or not result.requests:
        return "—"
    return f"{result.p50_ms:,.1f} / {result.p99_ms:,.1f}"


def conditional_cell(on):
    if on is None:
        return "—"
    if not on["etag"]:
        return "n/a"
    text = rps_cell(on["conditional"])
    if on["conditional_status"] != 304:
        text += f" (answers {on['conditional_status']}, not 304)"
    return text


def ratio_cell(small_result, large_result):
    # Error pages, timeouts or empty runs would compare failures, not the page's cost.
    usable = [r for r in (small_result, large_result) if r and not r.failed and r.rps]
    if len(usable) < 2:
        return "—"
    return f"{small_result.rps / large_result.rps:,.1f}×"


def page_notes(page, off, on, little):
    notes = []
    if page["error"] and page["url"]:
        notes.append(f"- {page['name']} `{page['url']}`: {page['error']}")
    elif page["status"] is not None and page["status"] >= 400:
        notes.append(f"- {page['name']} `{page['url']}` answers {page['status']}.")
    runs = [("cache off", off), ("cache on", on), ("small archive, cache off", little)]
    for label, entry in runs:
        for kind in ("plain", "conditional"):
            result = entry and entry[kind]
            if result and result.failed and not as_measured(result, page["status"]):
                run_label = label if kind == "plain" else "If-None-Match"
                notes.append(f"- {page['name']}, {run_label}: {run_problem(result)}")
    return notes


def as_measured(result, status):
    """A run that only got the error page measured in-process (e.g. the article's 404 on a
    synthetic archive) says nothing new: the note above has it already."""
    return (
        not result.error
        and not result.timeouts
        and result.requests > 0
        and set(result.served) == {status}
    )


def run_problem(result):
    if result.error:
        return f"wrk: {result.error}"
    served = ", ".join(f"{count:,} × {status}" for status, count in sorted(result.served.items()))
    text = f"{result.requests:,} responses, {result.bad_status:,} non-2xx/3xx"
    if result.timeouts:
        text += f", {result.timeouts:,} timeouts"
    if served:
        text += f"; server answered {served}"
    if result.server_error:
        text += f"; server logged {result.server_error}"
    return text


def code_version():
    """The commit measured, and whether the working tree differs from it."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=BASE_DIR, capture_output=True, text=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=BASE_DIR,
            capture_output=True,
            text=True,
        ).stdout.strip()
    except OSError:
        return "unknown"
    if not commit:
        return "unknown"
    return f"{commit}{' + uncommitted changes' if dirty else ''}"


# --- The command -------------------------------------------------------------------------


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
        parser.add_argument("--output", help="also write the Markdown table to this file")
        parser.add_argument("--keep", action="store_true", help="keep the databases")
        # Internal: the helper subprocess that measures pages in-process.
        parser.add_argument("--measure-into", help=argparse.SUPPRESS)

    def handle(self, *args, **options):
        if options["measure_into"]:
            return self.measure_into(options["measure_into"])
        if min(options["events"], options["small"], options["duration"]) < 1:
            raise CommandError("--events, --small and --duration must be at least 1.")
        if options["connections"] < 1 or options["workers"] < 1:
            raise CommandError("--connections and --workers must be at least 1.")
        if not GUNICORN.exists():
            raise CommandError(f"{GUNICORN} is missing: run 'make' to install the venv.")
        ensure_wrk()
        # SIGTERM (e.g. from a CI timeout) unwinds like Ctrl-C, so servers and databases go.
        previous = signal.signal(signal.SIGTERM, raise_system_exit)
        try:
            report = self.benchmark(options)
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write(report, ending="")
        if options["output"]:
            Path(options["output"]).write_text(report)
            log(f"table written to {options['output']}")

    def measure_into(self, path):
        from django.test.utils import setup_test_environment

        setup_test_environment()  # lets the test client's 'testserver' host in
        Path(path).write_text(json.dumps(measure_current_database()))

    def benchmark(self, options):
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
            cache_off, cache_on, small_off = self.load(
                large_db, small_db, large, small, options, workdir
            )
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
            self.clean_up(options["keep"], workdir, large_db, small_db)

    def load(self, large_db, small_db, large, small, options, workdir):
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

    def clean_up(self, keep, workdir, *databases):
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
