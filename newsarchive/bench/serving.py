"""gunicorn as `make run` serves it (core/processes.py), pointed at a throwaway database, and
what its log says about a run: the statuses it answered and the last exception."""

import contextlib
import re
from collections import Counter
from pathlib import Path

from django.core.management.base import CommandError

from core.processes import ServerFailed, answers, free_port, gunicorn, probe
from newsarchive.bench import BASE_DIR, log
from newsarchive.bench.databases import child_env

SERVER_START_TIMEOUT = 120  # seconds; the first request may build caches on a big archive
PROBE_TIMEOUT = 120


@contextlib.contextmanager
def serving(database_url, *, page_cache, workers, log_path, port=None, extra_env=None):
    """Stopped on the way out whatever happens (failure, Ctrl-C, SIGTERM)."""
    port = port or free_port()
    log(f"starting gunicorn on port {port}, page cache {'on' if page_cache else 'off'}")
    server = gunicorn(
        workers=workers,
        port=port,
        env={**child_env(database_url, page_cache), **(extra_env or {})},
        log_path=log_path,
        ready=answers("/bench-is-serving/", timeout=PROBE_TIMEOUT),
        timeout=SERVER_START_TIMEOUT,
    )
    with contextlib.ExitStack() as stack:
        try:
            started = stack.enter_context(server)
        except ServerFailed as exc:
            raise CommandError(str(exc)) from exc
        yield started


def safe_probe(url, headers=None):
    try:
        return probe(url, headers, timeout=PROBE_TIMEOUT)
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
