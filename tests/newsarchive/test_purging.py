"""Purging the proxies in front after a write: the keys it touched, after it commits, and a
proxy that does not answer never fails nor loses the write."""

import http.server
import threading

import pytest

from events.models import Event
from newsarchive.http import purging
from tests.factories import EventFactory

pytestmark = [pytest.mark.django_db(transaction=True)]


class Proxy(http.server.ThreadingHTTPServer):
    """A stand-in for Varnish: records each PURGE's keys; fails the first `failures`."""

    def __init__(self, failures=0):
        self.purged, self.failures = [], failures
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_PURGE(self):
                if proxy.failures:
                    proxy.failures -= 1
                    self.send_response(503)
                else:
                    proxy.purged.append(set(self.headers["xkey-purge"].split()))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"

    def purged_keys(self):
        return set().union(*self.purged) if self.purged else set()


@pytest.fixture
def proxy(settings):
    server = Proxy()
    settings.ARCHIVE_PURGE_URLS = [server.url]
    yield server
    server.shutdown()


@pytest.fixture
def quick_retries(monkeypatch):
    monkeypatch.setattr(purging, "RETRY_PAUSES", (0.05, 0.05, 0.05))


def test_a_save_purges_the_keys_it_touched_once_it_commits(proxy):
    event = EventFactory(title="Avant")
    assert purging.flush()
    proxy.purged.clear()
    event.summary = "Un autre résumé."
    event.save()
    assert purging.flush()
    keys = proxy.purged_keys()
    assert {f"e{event.pk}", "t:events_event", "x:events_event"} <= keys
    assert "s:events_event" not in keys  # a text edit moves no list


def test_nothing_is_purged_for_a_write_that_rolls_back(proxy):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        EventFactory()
        raise RuntimeError
    assert purging.flush()
    assert proxy.purged == []


def test_a_proxy_that_fails_is_retried(settings, quick_retries, caplog):
    server = Proxy(failures=2)
    settings.ARCHIVE_PURGE_URLS = [server.url]
    try:
        event = EventFactory()
        assert purging.flush()
        assert f"e{event.pk}" in server.purged_keys()
        assert "failed (attempt 1)" in caplog.text
    finally:
        server.shutdown()


def test_a_proxy_that_is_down_loses_no_write(settings, quick_retries, caplog):
    down = Proxy()
    down.shutdown()
    down.server_close()  # nothing listens there any more
    up = Proxy()
    settings.ARCHIVE_PURGE_URLS = [down.url, up.url]
    try:
        event = EventFactory(title="Écrit malgré tout")
        assert purging.flush(timeout=20)
        assert Event.objects.get(pk=event.pk).title == "Écrit malgré tout"
        assert f"e{event.pk}" in up.purged_keys()  # the proxy that answers is purged all the same
        assert "gave up purging" in caplog.text
        assert down.url in caplog.text
    finally:
        up.shutdown()


def test_long_key_lists_are_split_into_headers_varnish_accepts():
    keys = {f"e{n}" for n in range(5000)}
    headers = list(purging.chunks(keys))
    assert len(headers) > 1
    assert all(len(header) <= purging.MAX_HEADER for header in headers)
    assert set(" ".join(headers).split()) == keys
