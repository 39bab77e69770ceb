"""wrk on every page of a server, and what its output says."""

import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field

from django.core.management.base import CommandError

from newsarchive.bench import log, run
from newsarchive.bench.serving import log_size, safe_probe, served_since

WRK_THREADS = 2


def ensure_wrk():
    if shutil.which("wrk"):
        return
    if os.geteuid() != 0:
        raise CommandError("wrk is missing: run 'sudo apt-get install -y wrk', then bench again.")
    log("installing wrk (apt-get install -y wrk)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    # apt-get's output on stderr too: stdout carries only the table.
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, stdout=sys.stderr).returncode != 0:
        run(["apt-get", "update", "-qq"], env=env)
        run(install, env=env)
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


def run_wrk(url, *, duration, connections, timeout, headers=(), script=None):
    command = [
        "wrk", f"-t{min(WRK_THREADS, connections)}", f"-c{connections}", f"-d{duration}s",
        "--latency", "--timeout", f"{timeout}s",
    ]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    if script:  # a Lua script that picks each request's path (the live scenario)
        command += ["-s", str(script)]
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
