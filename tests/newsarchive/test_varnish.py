"""Through a real Varnish (Debian's varnish 7.1 with varnish-modules' xkey) and the shipped
VCL, deploy/varnish/default.vcl: pages are served from Varnish's cache, an admin save purges
exactly the pages that show the change, and an unrelated page stays in Varnish's cache."""

import datetime
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from newsarchive.http import purging
from tests.factories import EventFactory, PersonFactory
from tests.newsarchive.editing import admin_edit, editor_client

pytestmark = [pytest.mark.django_db(transaction=True)]

VCL = Path(django_settings.BASE_DIR) / "deploy" / "varnish" / "default.vcl"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def varnish(live_server, settings):
    """varnishd in front of the live server, with the shipped VCL pointed at it."""
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    assert Path(varnishd).exists(), "varnishd is missing: `make test` installs it (apt)"
    backend_port = live_server.url.rsplit(":", 1)[1]
    # Varnish drops to its own user: its folder is outside pytest's private temporary one.
    home = Path(tempfile.mkdtemp(prefix="archive-varnish-"))
    home.chmod(0o755)
    vcl = home / "archive.vcl"
    vcl.write_text(VCL.read_text().replace('.port = "8000"', f'.port = "{backend_port}"'))
    vcl.chmod(0o644)
    port = free_port()
    started = subprocess.run(
        [varnishd, "-n", str(home / "work"), "-a", f"127.0.0.1:{port}", "-f", str(vcl)]
        + ["-s", "malloc,32m", "-T", "none", "-P", str(home / "varnish.pid")],
        capture_output=True,
        text=True,
    )
    assert started.returncode == 0, started.stderr + started.stdout
    url = f"http://127.0.0.1:{port}"
    for _ in range(50):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    settings.ARCHIVE_PURGE_URLS = [url]
    settings.ALLOWED_HOSTS = ["*"]
    yield url
    pid = int((home / "varnish.pid").read_text())
    subprocess.run(["kill", str(pid)], check=False)
    shutil.rmtree(home, ignore_errors=True)


def get(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.headers, response.read().decode()


def test_varnish_serves_pages_and_a_save_purges_exactly_what_it_changed(
    varnish, live_server, monkeypatch
):
    sent = []
    send = purging.purge
    monkeypatch.setattr(
        purging, "purge", lambda url, keys, **kw: (sent.append(set(keys)), send(url, keys, **kw))
    )
    sam = PersonFactory(name="Sam Altman", slug="sam-altman")
    # Explicit moments (the factory's follow the session's sequence): events between the two,
    # so that neither is the other's neighbour.
    start = datetime.datetime(2023, 11, 17, 20, tzinfo=datetime.UTC)
    changed = EventFactory(
        slug="premier", title="Sam Altman est licencié", actors=[sam], occurred_at=start
    )
    for day in (1, 2, 3):
        EventFactory(occurred_at=start + datetime.timedelta(days=day))
    EventFactory(
        slug="lointain",
        title="Un fait sans rapport",
        occurred_at=start + datetime.timedelta(days=30),
    )
    assert purging.flush()
    pages = {
        "changed": f"{varnish}/events/premier/",
        "list": f"{varnish}/events/",
        "other": f"{varnish}/events/lointain/",
    }
    for url in pages.values():
        get(url)
        headers, _body = get(url)
        assert headers["X-Varnish-Cache"] == "hit", url
        assert "xkey" not in headers and "Surrogate-Key" not in headers  # Varnish's alone

    editor = editor_client()
    change = reverse("admin:events_event_change", args=[changed.pk])
    sent.clear()
    admin_edit(editor, change, summary="Rectificatif publié par la rédaction.")
    assert purging.flush()
    purged = set().union(*sent)
    other_keys = set(get(f"{live_server.url}/events/lointain/")[0]["xkey"].split())

    for name in ("changed", "list"):
        headers, body = get(pages[name])
        assert headers["X-Varnish-Cache"] == "miss", name
        assert "Rectificatif publié par la rédaction." in body, name
    headers, body = get(pages["other"])
    assert headers["X-Varnish-Cache"] == "hit", (purged & other_keys, purged)
    assert "Un fait sans rapport" in body


def test_editors_and_other_methods_pass_through_varnish(varnish):
    EventFactory(slug="premier")
    request = urllib.request.Request(f"{varnish}/events/", headers={"Cookie": "sessionid=abc"})
    for _ in range(2):
        with urllib.request.urlopen(request, timeout=10) as response:
            assert response.headers["X-Varnish-Cache"] == "miss"
    # A purge names its keys; without them Varnish says so.
    bare = urllib.request.Request(f"{varnish}/", method="PURGE")
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(bare, timeout=10)
    assert refused.value.code == 400
