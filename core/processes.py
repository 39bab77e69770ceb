"""Servers started for a while and stopped for sure: the one harness behind `manage.py bench`,
`scripts/fault_test.py` and the tests that serve the archive with a real gunicorn.

Standard library only, so the fault test (a plain script, no Django settings) can use it too.

    with gunicorn(workers=1, env=env, log_path=log, ready=answers("/healthz", status=200)) as s:
        urlopen(s.base_url + "/events/")
"""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
# The venv's own gunicorn (the Makefile's $(BIN)/gunicorn), next to the running Python.
GUNICORN = Path(sys.executable).with_name("gunicorn")
GUNICORN_CONFIG = ROOT / "gunicorn.conf.py"  # the one `make run` uses
# Longer than gunicorn.conf.py's graceful_timeout, so a clean stop is never cut short.
STOP_GRACE = 30


class ServerFailed(RuntimeError):
    """The server exited or did not answer in time; the message ends with its log's tail."""


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def tail(path, lines=30):
    if path is None:
        return "(no log kept)"
    with contextlib.suppress(OSError):
        return "\n".join(Path(path).read_text(errors="replace").splitlines()[-lines:])
    return ""


def probe(url, headers=None, timeout=5):
    """One GET, no redirect followed: (status, headers). Raises OSError when nothing answers."""
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


# Readiness checks: called with the port until one returns true.


def listening(port):
    # Only a connection, no request: a request would reach the database, which a test may
    # have taken away on purpose (and a worker logs each fault once).
    with socket.create_connection(("127.0.0.1", port), timeout=1):
        return True


def answers(path="/", *, headers=None, status=None, timeout=5):
    """Ready when `path` gets an HTTP answer (`status` if given: a 404 or a 503 is an answer
    too, and a missing page answers fast at any size, where the home page may take long)."""

    def ready(port):
        got, _ = probe(f"http://127.0.0.1:{port}{path}", headers, timeout)
        return status is None or got == status

    return ready


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log_path: Path | None  # its output, to explain a failure

    @property
    def base_url(self):
        return f"http://127.0.0.1:{self.port}"


@contextlib.contextmanager
def serving(
    command,
    *,
    port,
    env=None,
    log_path=None,
    ready: Callable[[int], bool] = listening,
    timeout=60,
    cwd=ROOT,
):
    """`command` running until the block ends, however it ends (failure, Ctrl-C, SIGTERM);
    entered once `ready(port)` holds. Output is appended to `log_path` (dropped without one)."""
    log_path = Path(log_path) if log_path else None
    with open(log_path, "ab") if log_path else open(os.devnull, "wb") as output:
        # Its own session: a Ctrl-C reaches us alone, and we stop the server and its workers
        # together, in order, instead of racing them.
        process = subprocess.Popen(
            [str(part) for part in command],
            cwd=cwd,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_until_ready(process, port, ready, timeout, log_path)
        yield Server(process, port, log_path)
    finally:
        stop(process)


def wait_until_ready(process, port, ready, timeout, log_path):
    name = Path(process.args[0]).name
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerFailed(f"{name} exited ({process.returncode}):\n{tail(log_path)}")
        # A connection refused or dropped, or a garbled answer, while it boots: not yet.
        with contextlib.suppress(OSError, http.client.HTTPException):
            if ready(port):
                return
        time.sleep(0.1)
    raise ServerFailed(f"{name} did not answer in {timeout} s:\n{tail(log_path)}")


def stop(process, grace=STOP_GRACE):
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)  # graceful: the master stops its workers
    try:
        process.wait(timeout=grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def gunicorn(*, workers, port=None, env=None, log_path=None, ready=listening, timeout=60):
    """The archive served as `make run` serves it (same config file), on 127.0.0.1."""
    port = port or free_port()
    command = [
        GUNICORN, "--config", GUNICORN_CONFIG,
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers),
    ]  # fmt: skip
    return serving(command, port=port, env=env, log_path=log_path, ready=ready, timeout=timeout)


def manage(env, *args):
    """A manage.py command in a subprocess, so that `env` (DATABASE_URL above all) decides
    which database it works on, not this process's settings."""
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )
