"""Several gunicorn processes that share nothing but the database (and Redis when REDIS_URL
is set), as the archive runs past one machine: a write seen through any of them is seen
through all of them on the very next request, and with Redis a page rendered by one is
served from the cache by the others."""

import contextlib
import os
import urllib.error
import urllib.request
import uuid

import dj_database_url
import pytest

from core.processes import answers, gunicorn, manage
from tests.servers import copy_sqlite

pytestmark = pytest.mark.postgres


def postgres_admin(url):
    config = dj_database_url.parse(url)
    return {k: v for k, v in {"host": config.get("HOST"), "user": config.get("USER")}.items() if v}


def postgres(url, *statements):
    import psycopg

    with psycopg.connect(dbname="postgres", autocommit=True, **postgres_admin(url)) as conn:
        for statement in statements:
            conn.execute(statement)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory, collected_static):
    """A database of its own, outside the test database, migrated and seeded once for the
    module (SQLite in a file, or a PostgreSQL database when the suite runs on PostgreSQL);
    each test gets a copy of it."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres"):
        name = f"archive_scaleout_{uuid.uuid4().hex[:8]}"
        postgres(url, f'CREATE DATABASE "{name}"')
        template = f"{url.rsplit('/', 1)[0]}/{name}"
    else:
        template = f"sqlite:///{tmp_path_factory.mktemp('scaleout') / 'template.sqlite3'}"
    env = {**os.environ, "DATABASE_URL": template, "DJANGO_SECRET_KEY": "scale-out-test-key"}
    manage(env, "migrate", "--noinput")
    manage(env, "seed_story")
    yield template
    if url.startswith("postgres"):
        postgres(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def database_url(prepared, tmp_path):
    """A copy of the prepared database for this test alone."""
    if not prepared.startswith("postgres"):
        copy = tmp_path / "archive.sqlite3"
        copy_sqlite(prepared.removeprefix("sqlite:///"), copy)
        yield f"sqlite:///{copy}"
        return
    base, template = prepared.rsplit("/", 1)
    name = f"archive_scaleout_{uuid.uuid4().hex[:8]}"
    postgres(prepared, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield f"{base}/{name}"
    postgres(prepared, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def get(port, path, headers=None):
    # One public host for every process, as behind a proxy (the cache key includes it).
    headers = {"Host": "localhost", **(headers or {})}
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), ""


@pytest.fixture
def servers(database_url, collected_static, tmp_path):
    env = {
        **os.environ,
        "DJANGO_STATIC_ROOT": str(collected_static),
        "DATABASE_URL": database_url,
        "DJANGO_SECRET_KEY": "scale-out-test-key",
        "ARCHIVE_CACHE_PREFIX": f"test-{uuid.uuid4().hex[:8]}",  # a shared Redis stays tidy
    }
    ready = answers("/robots-not-yet/", headers={"Host": "localhost"})
    with contextlib.ExitStack() as stack:
        ports = [
            stack.enter_context(
                gunicorn(workers=1, env=env, log_path=tmp_path / f"gunicorn-{n}.log", ready=ready)
            ).port
            for n in (1, 2)
        ]
        yield env, ports


def test_a_write_is_seen_through_every_process_at_once(servers):
    env, (a, b) = servers
    page = "/events/ilya-sutskever-contacte-sam-altman/"
    for port in (a, b, a, b):  # warm both processes' caches
        status, headers, html = get(port, page)
        assert status == 200 and "Ilya Sutskever contacte Sam Altman" in html
    old_etag = headers["ETag"]
    # A write from elsewhere (another machine's editor): a plain save, as the admin does.
    manage(
        env,
        "shell",
        "-c",
        "from events.models import Event; e = Event.objects.get(slug="
        "'ilya-sutskever-contacte-sam-altman'); e.title = 'Titre changé ailleurs'; e.save()",
    )
    for port in (b, a):
        status, headers, html = get(port, page)
        assert status == 200
        assert "Titre changé ailleurs" in html and "contacte Sam Altman</h1>" not in html
        assert headers["ETag"] != old_etag
        assert get(port, page, {"If-None-Match": old_etag})[0] == 200
        assert get(port, page, {"If-None-Match": headers["ETag"]})[0] == 304
        assert "Set-Cookie" not in headers


def test_with_redis_the_processes_share_one_cache(servers):
    _, (a, b) = servers
    first = get(a, "/events/?actor=sam-altman")[1]
    second = get(b, "/events/?actor=sam-altman")[1]
    assert first["X-Cache"] == "miss"
    # Rendered once by the first process: the second serves it from the shared cache with
    # Redis; with local memory each process renders it once.
    assert second["X-Cache"] == ("hit" if os.environ.get("REDIS_URL") else "miss")
    assert get(b, "/events/?actor=sam-altman")[1]["X-Cache"] == "hit"
