"""`/healthz` for load balancers: 200 "ok" when the database answers and is migrated, else 503;
never cached, no cookie."""

import json

import pytest
from django.db import OperationalError
from django.test import Client

from newsarchive.http import faults, health

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture(autouse=True)
def no_fault_left():
    yield
    faults.state.current = None


def test_healthz_says_ok_when_the_database_answers_and_is_migrated(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "ETag" not in response and "X-Cache" not in response


def test_healthz_is_never_served_from_the_page_cache(client, monkeypatch):
    assert client.get("/healthz").status_code == 200
    monkeypatch.setattr(health, "pending_migrations", lambda: [("events", "0099_next")])

    response = client.get("/healthz")

    assert response.status_code == 503


def test_healthz_is_503_while_a_migration_is_not_applied(client, monkeypatch):
    nodes, replacements = health.known_migrations()
    monkeypatch.setattr(
        health,
        "known_migrations",
        lambda: (nodes | {("events", "0099_not_applied_yet")}, replacements),
    )

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert json.loads(response.content) == {
        "status": "unavailable",
        "reason": "migrations not applied",
        "pending": ["events.0099_not_applied_yet"],
    }


def test_healthz_is_503_when_the_database_cannot_be_reached(monkeypatch, caplog):
    class Unreachable:
        def cursor(self):
            raise OperationalError('connection to server at "db" failed: Connection refused')

    monkeypatch.setattr(health, "connection", Unreachable())
    # The page cache's own database read comes first on public pages; not on this one.
    monkeypatch.setattr(
        "newsarchive.models.DataVersion.objects.current",
        lambda: pytest.fail("the page cache read the data version"),
    )

    response = Client(raise_request_exception=False).get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content) == {
        "status": "unavailable",
        "reason": "database unreachable",
    }
    # Polled every few seconds: the fault is logged once, not a 503 line per probe.
    Client().get("/healthz")
    assert "Database unavailable" in caplog.text
    assert "Service Unavailable" not in caplog.text


def test_healthz_takes_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    response = client.post("/healthz")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
