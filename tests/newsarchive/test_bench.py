"""`manage.py bench`'s in-process part: which pages it picks and what it measures of them.
(The load test itself, gunicorn and wrk, is `make bench`; it never runs in the suite.)"""

import runpy
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from core.processes import GUNICORN_CONFIG
from newsarchive.bench.databases import ThrowawayDatabase
from newsarchive.bench.pages import PAGE_KEYS, measure_pages, pick_pages
from newsarchive.bench.wrk import parse_wrk
from people.models import Actor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def archive():
    call_command("generate_archive", events=50, actors=20, seed=1, verbosity=0)


def test_picks_every_page_type_from_the_archive(archive):
    pages = {page.key: page for page in pick_pages()}

    assert list(pages) == list(PAGE_KEYS)
    assert all(page.url for page in pages.values())
    popular = Actor.objects.most_involved().first()
    assert pages["events_popular_actor"].url == f"/events/?actor={popular.slug}"
    assert pages["events_q"].url == "/events/?q=d%C3%A9mission"
    assert pages["search"].url == "/search/?q=d%C3%A9mission"
    assert pages["event"].url.startswith("/events/")
    assert pages["person"].url.startswith("/people/")
    assert pages["organisation"].url.startswith("/organisations/")
    assert pages["events_en"].url == "/en/events/"
    # The first generated source document stands for the reading view.
    assert pages["article"].url == "/sources/document-synthetique-1/"


def test_measures_status_queries_and_size_of_each_page(archive):
    results = {result["key"]: result for result in measure_pages(pick_pages())}

    assert set(results) == set(PAGE_KEYS)
    for key, result in results.items():
        assert isinstance(result["queries"], int) and result["queries"] >= 0, key
        assert result["status"] == 200, (key, result["error"])
        assert result["error"] is None
        assert result["bytes"] > 1000, key  # a whole HTML page, not an empty body
    # The actor filters read the list page: both rendered, the popular actor's is no smaller.
    assert results["events_popular_actor"]["bytes"] >= results["events_rare_actor"]["bytes"]


def test_reports_a_failing_page_instead_of_crashing(archive, monkeypatch):
    monkeypatch.setattr(
        "events.views.EventListView.get", lambda *args, **kwargs: 1 / 0, raising=True
    )
    pages = [page for page in pick_pages() if page.key == "events"]

    (result,) = measure_pages(pages)

    assert result["status"] == 500
    assert result["error"].startswith("ZeroDivisionError: division by zero")
    assert "test_bench.py" in result["error"]


def test_reads_wrk_output():
    output = """Running 5s test @ http://127.0.0.1:8000/
  2 threads and 8 connections
  Latency Distribution
     50%  850.00us
     75%    2.10ms
     90%    5.00ms
     99%    1.20s
  4123 requests in 5.00s, 10.00MB read
  Socket errors: connect 0, read 0, write 0, timeout 3
  Non-2xx or 3xx responses: 12
Requests/sec:    824.60
Transfer/sec:      2.00MB
"""
    result = parse_wrk(output)

    assert result.rps == 824.6
    assert result.p50_ms == pytest.approx(0.85)
    assert result.p99_ms == pytest.approx(1200)
    assert (result.requests, result.bad_status, result.timeouts) == (4123, 12, 3)


@pytest.mark.parametrize(
    "url", ["postgres:///newsarchive", "sqlite:////tmp/db.sqlite3", "mysql:///x_bench"]
)
def test_refuses_a_database_not_meant_to_be_thrown_away(url):
    with pytest.raises(Exception, match="Refusing|Unsupported"):
        ThrowawayDatabase(url)


def test_small_archive_database_is_a_throwaway_one_too():
    database = ThrowawayDatabase("postgres://me@db:5433/newsarchive_bench?sslmode=disable")
    assert database.sibling("small").url == (
        "postgres://me@db:5433/newsarchive_small_bench?sslmode=disable"
    )
    sqlite = ThrowawayDatabase("sqlite:////tmp/x/archive-bench.sqlite3")
    assert sqlite.sibling("small").name == "/tmp/x/archive_small_bench.sqlite3"


def test_make_run_bench_and_the_tests_serve_with_the_one_gunicorn_config():
    root = Path(settings.BASE_DIR)
    config = runpy.run_path(str(root / "gunicorn.conf.py"))
    assert root / "gunicorn.conf.py" == GUNICORN_CONFIG
    assert "--config gunicorn.conf.py" in (root / "Makefile").read_text()
    # gunicorn's control socket has one fixed default path: two servers would share it.
    assert config["control_socket_disable"] is True
    assert config["worker_class"] == "sync" and config["timeout"] > 0
    assert "%(M)s" in config["access_log_format"]  # the time each request took
    assert not (root / "newsarchive" / "http" / "gunicorn.py").exists()
