"""A database that cannot be reached or written to: a styled 503 with Retry-After, in the page's
language, one log line per fault, connections closed, and pages back as soon as it is."""

import logging

import pytest
from django.contrib.auth import get_user_model
from django.db import OperationalError, connection, connections
from django.test import Client

from newsarchive.database import faults
from newsarchive.models import DataVersion

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def reader():
    # A fault is answered, not raised: what a browser gets, not the test client's re-raise.
    return Client(raise_request_exception=False)


@pytest.fixture(autouse=True)
def no_fault_left():
    faults.state.current = None
    yield
    faults.state.current = None


@pytest.fixture
def database_down(monkeypatch):
    """The page cache's data-version read, the first database read of every public page,
    fails as it does when PostgreSQL is stopped or the SQLite file is missing."""
    state = {"down": True}
    current = DataVersion.objects.current

    def read(queryset):
        if state["down"]:
            raise OperationalError("connection to server on socket failed: No such file")
        return current()

    monkeypatch.setattr(type(DataVersion.objects), "current", read)
    return state


def assert_service_unavailable(response, heading, language):
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response["Content-Language"] == language
    assert "no-store" in response["Cache-Control"]
    assert f'<html lang="{language}">' in html
    assert f"<h1>{heading}</h1>" in html
    assert "style=" not in html and "<script" not in html
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "Set-Cookie" not in response


def test_a_public_page_is_a_styled_503_while_the_database_is_down(reader, database_down):
    response = reader.get("/events/")
    assert_service_unavailable(response, "Archive momentanément indisponible", "fr")


def test_the_503_page_is_english_under_en(reader, database_down):
    response = reader.get("/en/events/")
    assert_service_unavailable(response, "Archive temporarily unavailable", "en")


def test_a_fault_in_a_view_is_a_503_too(reader, monkeypatch):
    def fail(*args, **kwargs):
        raise OperationalError("attempt to write a readonly database")

    monkeypatch.setattr("events.views.EventListView.get", fail)
    response = reader.get("/events/", headers={"Cookie": "sessionid=x"})  # past the cache

    assert_service_unavailable(response, "Archive momentanément indisponible", "fr")


def test_a_bug_is_still_a_500(reader, monkeypatch):
    monkeypatch.setattr("events.views.EventListView.get", lambda *a, **k: 1 / 0)
    response = reader.get("/events/", headers={"Cookie": "sessionid=x"})

    assert response.status_code == 500
    assert "Retry-After" not in response


# Outside a test transaction: on PostgreSQL, the connection the fault closed must reconnect.
@pytest.mark.django_db(transaction=True)
def test_one_log_line_per_fault_and_recovery_is_noticed(reader, database_down, caplog):
    caplog.set_level(logging.INFO)
    for path in ("/", "/events/", "/en/people/", "/search/?q=x"):
        assert reader.get(path).status_code == 503

    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in errors] == [
        "Database unavailable, answering 503 until it is back: "
        "OperationalError: connection to server on socket failed: No such file"
    ]
    assert all(r.exc_info is None for r in caplog.records), "no traceback"

    database_down["down"] = False
    caplog.clear()
    response = reader.get("/events/")

    assert response.status_code == 200
    assert "Database reachable again" in caplog.text
    assert not faults.state.active


def test_every_connection_is_closed_on_a_fault(reader, database_down, monkeypatch):
    closed = []
    monkeypatch.setattr(
        type(connections["default"]), "close", lambda self: closed.append(self.alias)
    )

    reader.get("/")

    assert closed == ["default"]


@pytest.mark.django_db(transaction=True)
def test_a_read_only_database_is_a_503_for_a_save_and_recovers():
    """The real thing, on SQLite and PostgreSQL: the connection is made read-only, a login
    (which writes its session) is refused with a 503; the fault closed the connection, so the
    next one is read-write again and the same login works."""
    get_user_model().objects.create_user("redaction", password="mot-de-passe-test", is_staff=True)
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA query_only = ON")
        else:
            cursor.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
    browser = Client(raise_request_exception=False)
    login = {"username": "redaction", "password": "mot-de-passe-test"}

    refused = browser.post("/admin/login/?next=/admin/", login)
    if connection.vendor == "sqlite":
        # An in-memory test database cannot be closed (it would vanish): lift the pragma.
        connection.cursor().execute("PRAGMA query_only = OFF")

    assert refused.status_code == 503
    assert refused["Retry-After"] == "30"
    accepted = browser.post("/admin/login/?next=/admin/", login)
    assert accepted.status_code == 302 and accepted["Location"] == "/admin/"
