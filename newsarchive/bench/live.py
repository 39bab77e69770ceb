"""The live scenario: readers while an editor saves, through the app's cache and through
Varnish in front (deploy/varnish/default.vcl).

The story as `make run` serves it (a fresh database, the story's fixtures, gunicorn with the
page cache on). Readers ask for every page of the sitemap plus common filtered lists, with
Zipf weights (a few popular pages, a long tail), over 16 connections: first with no writes,
then while an editor saves an event through the admin every 2 seconds (the change form read,
then posted with a changed summary, as a browser does). The same two phases run again through
a real varnishd, which the archive purges after each save. Each phase gives req/s, p50 and p99.
"""

import contextlib
import http.cookiejar
import math
import random
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from core.html_forms import form_data
from core.processes import free_port, probe
from newsarchive.bench import BASE_DIR, log
from newsarchive.bench.databases import ThrowawayDatabase, manage
from newsarchive.bench.serving import serving
from newsarchive.bench.wrk import ensure_wrk, run_wrk

CONNECTIONS = 16
SAVE_EVERY = 2.0
SAMPLES = 4000  # entries of the weighted path table wrk draws from
ZIPF_EXPONENT = 1.0
EDITOR, PASSWORD = "bench-editor", "bench-password-not-secret"
VCL = BASE_DIR / "deploy" / "varnish" / "default.vcl"


def live(options):
    """The live scenario's Markdown section."""
    ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="archive-live-", dir="/tmp"))
    database = ThrowawayDatabase(f"sqlite:///{workdir}/live-bench.sqlite3")
    try:
        log("live scenario: the story, as `make run` serves it")
        database.create()
        manage(database.url, "migrate", "--noinput", "--verbosity", "0")
        manage(database.url, "seed_story", "--verbosity", "0")
        manage(database.url, "collectstatic", "--noinput", "--verbosity", "0")
        create_editor(database.url)
        port = free_port()
        with varnish_in_front(port, workdir) as proxy:
            extra = {"ARCHIVE_PURGE_URLS": proxy} if proxy else {}
            with serving(
                database.url,
                page_cache=True,
                workers=options["workers"],
                log_path=workdir / "gunicorn.log",
                port=port,
                extra_env=extra,
            ) as server:
                paths = reader_paths(server.base_url)
                script = write_script(workdir / "readers.lua", paths)
                rows = []
                for name, base in [("app", server.base_url), ("Varnish", proxy)]:
                    if base is None:
                        continue
                    warm(base, paths)
                    rows.append((f"{name}, no writes", phase(base, script, options), None))
                    with Editor(server.base_url) as editor:
                        busy = phase(base, script, options)
                    rows.append((f"{name}, a save every {SAVE_EVERY:g} s", busy, editor))
        return render(rows, paths, options, proxy is not None)
    finally:
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


def create_editor(database_url):
    script = (
        "from django.contrib.auth import get_user_model as g; "
        f"g().objects.create_superuser({EDITOR!r}, 'bench@example.org', {PASSWORD!r})"
    )
    manage(database_url, "shell", "--command", script)


@contextlib.contextmanager
def varnish_in_front(backend_port, workdir):
    """varnishd with the shipped VCL pointed at `backend_port`; None when not installed."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not Path(varnishd).exists():
        log("varnishd is not installed: no Varnish rows (apt-get install varnish varnish-modules)")
        yield None
        return
    home = Path(tempfile.mkdtemp(prefix="archive-live-varnish-"))
    home.chmod(0o755)  # varnishd drops to its own user
    vcl = home / "archive.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{backend_port}"'))
    vcl.chmod(0o644)
    port = free_port()
    command = [varnishd, "-n", home / "work", "-a", f"127.0.0.1:{port}", "-f", vcl]
    command += ["-s", "malloc,256m", "-T", "none", "-P", home / "varnish.pid"]
    subprocess.run([str(part) for part in command], check=True, capture_output=True)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        with contextlib.suppress(OSError, ValueError):
            subprocess.run(["kill", (home / "varnish.pid").read_text().strip()], check=False)
        shutil.rmtree(home, ignore_errors=True)


def reader_paths(base_url):
    """Every page of the sitemap, then common filtered lists, most popular first."""
    sitemap = read(base_url + "/sitemap.xml")
    if "<sitemapindex" in sitemap:  # an index: its sitemaps hold the pages
        parts = re.findall(r"<loc>([^<]+)</loc>", sitemap)
        sitemap = "".join(read(base_url + urllib.parse.urlsplit(loc).path) for loc in parts)
    locs = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = list(dict.fromkeys(path_of(loc) for loc in locs))
    person = re.compile(r"/(people|organisations)/[^/]+/")
    actors = [p.split("/")[2] for p in pages if person.fullmatch(p)]
    days = sorted(set(re.findall(r"day=(\d{4}-\d\d-\d\d)", sitemap))) or ["2023-11-17"]
    filtered = [f"/events/?actor={slug}" for slug in actors[:10]]
    filtered += [f"/events/?day={day}" for day in days]
    filtered += ["/events/?kind=firing", "/events/?kind=appointment", "/events/?q=altman"]
    filtered = [p for p in filtered if p not in pages]
    popular = [p for p in ("/", "/events/", "/en/", "/people/") if p in pages]
    rest = [p for p in pages if p not in popular]
    random.Random(1).shuffle(rest)
    return popular + filtered[:6] + rest + filtered[6:]


def read(url):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read().decode()


def path_of(loc):
    parts = urllib.parse.urlsplit(loc.replace("&amp;", "&"))
    return parts.path + (f"?{parts.query}" if parts.query else "")


def zipf_table(paths):
    weights = [1 / (rank**ZIPF_EXPONENT) for rank in range(1, len(paths) + 1)]
    total = sum(weights)
    table = []
    for path, weight in zip(paths, weights, strict=True):
        table += [path] * max(1, math.floor(SAMPLES * weight / total))
    return table


def write_script(path, paths):
    entries = ",\n".join(f'  "{p}"' for p in zipf_table(paths))
    path.write_text(
        f"local paths = {{\n{entries}\n}}\n"
        "local n = #paths\n"
        'wrk.headers["Accept-Encoding"] = "gzip"\n'
        "function setup(thread) thread:set('seed', math.random(1, 1000000)) end\n"
        "function init(args) math.randomseed(seed or os.time()) end\n"
        'function request() return wrk.format("GET", paths[math.random(n)]) end\n'
    )
    return path


def warm(base_url, paths, rounds=4):
    """Each page asked a few times, so that every worker's own cache (local memory) holds it
    before a phase starts, not only the worker that answered first."""
    for _ in range(rounds):
        for path in paths:
            with contextlib.suppress(OSError):
                probe(base_url + path, {"Accept-Encoding": "gzip"}, timeout=30)


def phase(base_url, script, options):
    return run_wrk(
        base_url + "/",
        duration=options["live_duration"],
        connections=CONNECTIONS,
        timeout=options["timeout"],
        script=script,
    )


class Editor(threading.Thread):
    """Saves an event through the admin every SAVE_EVERY seconds, as a browser does."""

    def __init__(self, base_url):
        super().__init__(daemon=True)
        self.base_url = base_url
        self.stopping = threading.Event()
        self.saves, self.failures, self.seconds = 0, 0, []
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))

    def __enter__(self):
        self.log_in()
        self.events = self.event_urls()
        self.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.join()

    def fetch(self, path, data=None):
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(self.base_url + path, data=body)
        with self.opener.open(request, timeout=30) as response:
            return response.geturl(), response.read().decode()

    def log_in(self):
        _url, page = self.fetch("/admin/login/")
        data = form_data(page, "login-form")
        data.update(username=[EDITOR], password=[PASSWORD])
        url, _page = self.fetch("/admin/login/", data)
        if "/login/" in url:
            raise RuntimeError("the bench editor could not log in")

    def event_urls(self):
        _url, page = self.fetch("/admin/events/event/")
        return sorted(set(re.findall(r'href="(/admin/events/event/\d+/change/)', page)))

    def run(self):
        turn = 0
        while not self.stopping.wait(SAVE_EVERY):
            path = self.events[turn % len(self.events)]
            turn += 1
            started = time.monotonic()
            try:
                _url, page = self.fetch(path)
                data = form_data(page, "event_form")
                summary = data["summary"][0].split(" [mise à jour")[0]
                data["summary"] = [f"{summary} [mise à jour {turn}]"]
                url, _page = self.fetch(path, data)
                if url.rstrip("/").endswith("/change"):  # the form again: refused
                    raise RuntimeError("the admin refused the save")
                self.saves += 1
                self.seconds.append(time.monotonic() - started)
            except (OSError, RuntimeError, KeyError, IndexError) as error:
                self.failures += 1
                log(f"  live: a save failed: {error}")


def render(rows, paths, options, varnish):
    lines = [
        "",
        "## Live: readers while an editor saves",
        "",
        f"The story, {options['workers']} gunicorn workers, page cache on; {len(paths)} paths "
        f"(every sitemap page and common filtered lists) drawn with Zipf weights, "
        f"{CONNECTIONS} connections, {options['live_duration']} s a phase, gzip accepted. "
        f"Writes: an admin save of an event every {SAVE_EVERY:g} s (change form read, then "
        "posted with a changed summary).",
        "",
        "| phase | req/s | p50 | p99 | vs no writes | saves |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    quiet = None
    for name, result, editor in rows:
        if editor is None:
            quiet = result
        ratio = (
            f"{result.rps / quiet.rps:.2f}×"
            if editor is not None and result.rps and quiet and quiet.rps
            else "—"
        )
        saves = f"{editor.saves} ({editor.failures} failed)" if editor is not None else "—"
        rps = f"{result.rps:,.0f}" if result.rps else (result.error or "failed")
        p50 = f"{result.p50_ms:.1f} ms" if result.p50_ms is not None else "—"
        p99 = f"{result.p99_ms:.1f} ms" if result.p99_ms is not None else "—"
        lines.append(f"| {name} | {rps} | {p50} | {p99} | {ratio} | {saves} |")
    if not varnish:
        lines += ["", "varnishd was not installed: no row through Varnish."]
    return "\n".join(lines) + "\n"
