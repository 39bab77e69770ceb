"""Purging the caching proxies in front (Varnish with xkey) of what a write touched.

After a write commits, its keys go to a queue; one thread per process sends them as
`PURGE /` with an `xkey-purge` header to every proxy of `ARCHIVE_PURGE_URLS`. The writer never
waits for a proxy and never fails because of one: a proxy that does not answer is logged and
retried with growing pauses (keys that queue meanwhile are merged into the retry), then given
up with an error in the log. Nothing is sent when no proxy is configured.
"""

import logging
import queue
import threading
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

RETRY_PAUSES = (0.2, 0.5, 1, 2, 4, 8)
# Varnish takes request headers of up to 8 KB by default.
MAX_HEADER = 4000

_queue = queue.Queue()
_lock = threading.Lock()
_worker = None
_idle = threading.Event()
_idle.set()


def schedule(keys):
    """Purge `keys` once the current transaction commits (now, outside one)."""
    if not settings.ARCHIVE_PURGE_URLS or not keys:
        return
    keys = frozenset(keys)
    transaction.on_commit(lambda: _enqueue(keys))


def _enqueue(keys):
    global _worker
    with _lock:
        _idle.clear()
        _queue.put(keys)
        if _worker is None or not _worker.is_alive():
            _worker = threading.Thread(target=_run, name="archive-purge", daemon=True)
            _worker.start()


def flush(timeout=10):
    """Wait until every queued purge was sent or given up (tests, management commands)."""
    return _idle.wait(timeout)


def _drain(keys):
    while True:
        try:
            keys |= _queue.get_nowait()
        except queue.Empty:
            return keys


def _run():
    while True:
        try:
            keys = set(_queue.get(timeout=5))
        except queue.Empty:
            with _lock:
                if _queue.empty():
                    _idle.set()
                    return
            continue
        pending = {url: set() for url in settings.ARCHIVE_PURGE_URLS}
        for attempt, pause in enumerate((0, *RETRY_PAUSES)):
            time.sleep(pause)
            keys = _drain(keys)
            for url in pending:
                pending[url] |= keys
            keys = set()
            for url, url_keys in list(pending.items()):
                try:
                    purge(url, url_keys, timeout=settings.ARCHIVE_PURGE_TIMEOUT)
                except (OSError, urllib.error.URLError) as error:
                    logger.warning("purge of %s failed (attempt %d): %s", url, attempt + 1, error)
                else:
                    del pending[url]
            if not pending:
                break
        for url, url_keys in pending.items():
            logger.error("gave up purging %d keys at %s", len(url_keys), url)
        with _lock:
            if _queue.empty():
                _idle.set()


def chunks(keys):
    chunk, size = [], 0
    for key in sorted(keys):
        if chunk and size + len(key) + 1 > MAX_HEADER:
            yield " ".join(chunk)
            chunk, size = [], 0
        chunk.append(key)
        size += len(key) + 1
    if chunk:
        yield " ".join(chunk)


def purge(base_url, keys, timeout=2):
    """Send the purge of `keys` to one proxy; raise OSError when it does not answer 200."""
    for header in chunks(keys):
        request = urllib.request.Request(
            base_url.rstrip("/") + "/", method="PURGE", headers={"xkey-purge": header}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            if response.status != 200:
                raise OSError(f"answered {response.status}")
