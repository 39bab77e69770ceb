"""SQLite failure modes, served by a real gunicorn (as `make run` serves the archive) on a
database file of the test's own:

- the file is missing when the workers start: every page is a 503 (and /healthz too), no
  empty database is created in its place, and the archive is back as soon as the file is;
- the file is write-protected when the workers connect: a save (a login) is a 503, and once
  the file is writable again saves work without a restart.
"""

import contextlib
import http.cookiejar
import os
import re
import shutil
import subprocess
import urllib.error
import urllib.parse
import urllib.request

import pytest

from core.processes import free_port, gunicorn, listening, manage
from tests.servers import copy_sqlite

PASSWORD = "mot-de-passe-test"


class Browser:
    """Cookies kept between requests, as a browser keeps them; no redirect followed."""

    def __init__(self, port):
        self.base = f"http://127.0.0.1:{port}"
        self.cookies = http.cookiejar.CookieJar()
        no_redirect = type(
            "NoRedirect",
            (urllib.request.HTTPRedirectHandler,),
            {"redirect_request": lambda *args: None},
        )
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookies), no_redirect
        )

    def request(self, path, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode()

    def open_login_form(self):
        status, _, html = self.request("/admin/login/")
        assert status == 200, html
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)

    def send_login_form(self, token):
        form = {"username": "redaction", "password": PASSWORD, "csrfmiddlewaretoken": token}
        return self.request("/admin/login/?next=/admin/", form)

    def log_in(self):
        return self.send_login_form(self.open_login_form())


def environment(database, static_root):
    return {
        **os.environ,
        "DJANGO_STATIC_ROOT": str(static_root),
        "DATABASE_URL": f"sqlite:///{database}",
        "DJANGO_SECRET_KEY": "sqlite-faults-test-key",
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, collected_static):
    """A migrated database with one editor, made once for the module."""
    database = tmp_path_factory.mktemp("sqlite-faults") / "template.sqlite3"
    env = environment(database, collected_static)
    manage(env, "migrate", "--noinput")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth.models import User; "
        f"User.objects.create_superuser('redaction', 'r@example.org', '{PASSWORD}')",
    )
    return database


@pytest.fixture
def archive(prepared, collected_static, tmp_path):
    """A copy of the prepared database for this test alone, and a way to serve it."""
    database = tmp_path / "archive.sqlite3"
    copy_sqlite(prepared, database)
    env = environment(database, collected_static)

    @contextlib.contextmanager
    def serve():
        port = free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        with gunicorn(workers=1, port=port, env=env, log_path=log, ready=listening):
            yield Browser(port), log

    return database, serve


def fault_lines(log):
    return [line for line in log.read_text().splitlines() if "Database unavailable" in line]


@contextlib.contextmanager
def write_protected(path):
    """The file made read-only: chattr +i as root (root ignores permission bits), else
    chmod. Lifted on the way out whatever happens."""
    as_root = os.geteuid() == 0
    if as_root:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    try:
        yield
    finally:
        if as_root:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o644)


def test_a_missing_database_is_a_503_until_it_is_back(archive):
    database, serve = archive
    moved = database.with_name("moved-away.sqlite3")
    shutil.move(database, moved)

    with serve() as (browser, log):
        for path in ("/", "/events/", "/en/people/"):
            status, headers, html = browser.request(path)
            assert status == 503, (path, html)
            assert headers["Retry-After"] == "30"
        assert "<h1>Archive temporarily unavailable</h1>" in html
        status, _, body = browser.request("/healthz")
        assert status == 503 and '"database unreachable"' in body
        assert not database.exists(), "a worker created an empty database"

        shutil.move(moved, database)

        status, _, html = browser.request("/events/")
        assert status == 200, html
        assert browser.request("/healthz")[:1] == (200,)
        assert browser.log_in()[0] == 302

    assert len(fault_lines(log)) == 1, log.read_text()
    assert "Traceback" not in log.read_text()


def test_saves_work_again_once_a_write_protected_database_is_writable(archive):
    database, serve = archive

    with serve() as (browser, log):
        with write_protected(database):
            status, _, html = browser.log_in()  # a login writes its session
            assert status == 503, html
            assert "<h1>Archive momentanément indisponible</h1>" in html
            # Reading still works, on a connection SQLite opened read-only...
            assert browser.request("/events/")[0] == 200
        # ...which was not kept: the very next save works, without a restart.
        status, headers, _ = browser.log_in()
        assert status == 302 and headers["Location"] == "/admin/"

    assert len(fault_lines(log)) == 1, log.read_text()
    assert "Traceback" not in log.read_text()


def test_a_shared_memory_file_that_stops_being_writable_is_a_503_not_a_crash(archive):
    # SQLite maps the -shm file: made immutable while mapped, it used to kill the worker
    # (SIGBUS) at its next database access.
    database, serve = archive
    shm = database.with_name(database.name + "-shm")

    with serve() as (browser, log):
        assert browser.request("/events/")[0] == 200
        assert shm.exists(), "the worker has the database open in WAL mode"
        token = browser.open_login_form()
        with write_protected(shm):
            status, headers, _ = browser.send_login_form(token)  # a save: writes to -shm
            assert status == 503 and headers["Retry-After"] == "30"
            for path in ("/events/", "/healthz"):
                assert browser.request(path)[0] == 503, path
        assert browser.request("/events/")[0] == 200
        assert browser.log_in()[0] == 302

    assert "SIGBUS" not in log.read_text() and "exited" not in log.read_text()
    assert len(fault_lines(log)) == 1, log.read_text()
