"""Surrogate keys: a write reaches the pages that show what it changed, and no other.

Each test warms pages through the page cache, makes one kind of write, then reads again:
the pages that show the change serve it on the very next request; a chosen unrelated page
is still the cached copy (`X-Cache: hit`) with the same ETag, so a browser's conditional GET
still gets a 304. A differential test then runs random sequences of writes (Hypothesis) over
a small archive and compares every page served through the cache with the same page rendered
with the cache off.
"""

import datetime
import threading
import time

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import transaction
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reversion.models import Version

from core.html_forms import form_data
from editions.models import Translation
from events.models import Event, Participation, Quote
from newsarchive.http.caching import PublicPageCacheMiddleware
from people.models import Actor, Alias
from tests.conftest import ReadingClient
from tests.editions.factories import AccountFactory
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
)
from tests.newsarchive.editing import admin_edit, editor_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

DAY = datetime.datetime(2023, 11, 17, 20, tzinfo=datetime.UTC)  # noon in San Francisco


@pytest.fixture
def three():
    """Three events on three days; Sam in the first, Greg in the others."""
    sam = PersonFactory(name="Sam Altman", slug="sam-altman")
    greg = PersonFactory(name="Greg Brockman", slug="greg-brockman")
    board = OrganisationFactory(name="Conseil", slug="conseil")
    first = EventFactory(
        slug="premier", title="Sam Altman est licencié", occurred_at=DAY, actors=[sam, board]
    )
    second = EventFactory(
        slug="deuxieme",
        title="Greg Brockman démissionne",
        occurred_at=DAY + datetime.timedelta(days=1),
        kind=Event.Kind.RESIGNATION,
        actors=[greg],
    )
    third = EventFactory(
        slug="troisieme",
        title="Greg Brockman revient",
        occurred_at=DAY + datetime.timedelta(days=2),
        actors=[greg],
    )
    return {"sam": sam, "greg": greg, "board": board, "events": [first, second, third]}


@pytest.fixture
def editor():
    """A second client, logged in to the admin: the readers stay anonymous."""
    return editor_client()


def warm(client, *urls):
    """Read each page twice: the second read is the cached copy. Returns their ETags."""
    etags = {}
    for url in urls:
        client.get(url)
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "hit", url
        etags[url] = response["ETag"]
    return etags


def assert_kept(client, etags):
    """These pages were not touched: same cached copy, same ETag, still a 304."""
    for url, etag in etags.items():
        response = client.get(url)
        assert response.get("X-Cache") == "hit", f"{url} was rendered again"
        assert response["ETag"] == etag, url
        assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304, url


def shows(client, url, text):
    response = client.get(url)
    assert response.status_code == 200, url
    return text in response.content.decode()


def test_pages_name_what_they_show_in_bounded_headers(client, three):
    first, second, third = three["events"]
    detail = client.get(first.get_absolute_url())
    keys = detail["xkey"].split()
    assert detail["Surrogate-Key"] == detail["xkey"]
    assert f"e{first.pk}" in keys and f"e{second.pk}" in keys  # itself and its neighbour
    assert f"e{third.pk}" not in keys
    listing = client.get("/events/?actor=greg-brockman")["xkey"].split()
    assert {f"e{second.pk}", f"e{third.pk}"} <= set(listing)
    assert f"e{first.pk}" not in listing
    assert "x:events_event" not in listing  # no search: text edits elsewhere do not reach it
    assert "x:events_event" in client.get("/events/?q=greg")["xkey"].split()


def test_a_page_of_more_records_than_the_limit_names_their_table(client, monkeypatch):
    EventFactory.create_batch(45)
    monkeypatch.setattr("core.surrogates.MAX_RECORD_KEYS", 10)
    keys = client.get("/events/")["xkey"].split()
    assert "t:events_event" in keys
    assert not [key for key in keys if key.startswith("e") and key[1:].isdigit()]


def test_a_summary_edit_reaches_the_pages_that_show_the_event_and_no_other(client, editor, three):
    first, second, third = three["events"]
    kept = warm(client, third.get_absolute_url(), "/events/?actor=greg-brockman", "/people/")
    warm(client, first.get_absolute_url(), "/events/", "/", "/events/?q=rectificatif")
    change = reverse("admin:events_event_change", args=[first.pk])
    admin_edit(editor, change, summary="Rectificatif publié par la rédaction.")
    for url in [first.get_absolute_url(), "/events/"]:
        assert shows(client, url, "Rectificatif publié par la rédaction."), url
    assert shows(client, "/events/?q=rectificatif", first.title)
    assert_kept(client, kept)


def test_a_title_edit_reaches_the_neighbours_and_the_english_pages(client, editor, three):
    first, second, third = three["events"]
    kept = warm(client, third.get_absolute_url(), "/en/events/?actor=greg-brockman")
    pages = [second.get_absolute_url(), "/en/events/", "/en/", "/people/sam-altman/"]
    warm(client, *pages)
    admin_edit(editor, reverse("admin:events_event_change", args=[first.pk]), title="Renvoyé")
    for url in pages:
        assert shows(client, url, "Renvoyé"), url
    assert_kept(client, kept)


def test_moving_an_event_reaches_the_lists_it_leaves_and_enters(client, editor, three):
    first, second, third = three["events"]
    leaves, enters = "/events/?day=2023-11-18", "/events/?day=2023-11-19"
    warm(client, leaves, enters, "/")
    change = reverse("admin:events_event_change", args=[second.pk])
    data = {"occurred_at_0": "19/11/2023", "occurred_at_1": "12:00"}
    page = form_data(editor.get(change).content.decode(), "event_form")
    for name, value in data.items():
        if name in page:
            page[name] = [value]
    if "occurred_at_0" not in page:  # one field for date and time
        page["occurred_at"] = ["2023-11-19 12:00"]
    assert editor.post(change, page).status_code == 302
    second.refresh_from_db()
    assert second.day == datetime.date(2023, 11, 19)
    assert not shows(client, leaves, second.title)
    assert shows(client, enters, second.title)


def test_an_actor_rename_reaches_every_page_that_shows_the_actor(client, three):
    first, second, third = three["events"]
    pages = [first.get_absolute_url(), "/people/", "/events/", "/people/sam-altman/"]
    warm(client, *pages)
    sam = three["sam"]
    sam.name = "Samuel Altman"
    sam.save()
    for url in pages:
        assert shows(client, url, "Samuel Altman"), url


def test_participations_quotes_and_translations_reach_their_event(client, three):
    first, second, third = three["events"]
    page = first.get_absolute_url()
    warm(client, page, "/en" + page)
    Participation.objects.create(
        event=first, actor=three["greg"], part=Participation.Part.PARTICIPANT
    )
    assert shows(client, page, "Greg Brockman")
    QuoteFactory(event=first, speaker=three["sam"], text="Une phrase vérifiable.")
    assert shows(client, page, "Une phrase vérifiable.")
    Translation.objects.create(event=first, field="title", text="Sam Altman is fired")
    assert shows(client, "/en" + page, "Sam Altman is fired")
    Participation.objects.filter(event=first, actor=three["greg"]).delete()
    assert not shows(client, page, "/people/greg-brockman/")


def test_deletes_cascades_reverts_and_recoveries_reach_every_page(client, editor, three):
    first, second, third = three["events"]
    change = reverse("admin:events_event_change", args=[first.pk])
    admin_edit(editor, change, title="Première version")
    version = Version.objects.get_for_object(first).first()
    admin_edit(editor, change, title="Seconde version")
    warm(client, "/events/", first.get_absolute_url())
    admin_edit(editor, reverse("admin:events_event_revision", args=[first.pk, version.pk]))
    assert shows(client, "/events/", "Première version")
    delete = reverse("admin:events_event_delete", args=[first.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert client.get(first.get_absolute_url()).status_code == 404
    assert not shows(client, "/events/", "Première version")
    assert not shows(client, "/people/sam-altman/", "Première version")  # the cascade
    deleted = Version.objects.get_deleted(Event).first()
    admin_edit(editor, reverse("admin:events_event_recover", args=[deleted.pk]))
    assert shows(client, "/events/", "Première version")


def test_bulk_writes_reach_every_page(client, three):
    first, second, third = three["events"]
    warm(client, "/events/", first.get_absolute_url(), "/people/")
    Event.objects.filter(pk=first.pk).update(title="Titre en masse")
    assert shows(client, first.get_absolute_url(), "Titre en masse")
    assert shows(client, "/events/", "Titre en masse")


def test_a_generated_archive_reaches_every_page(client, db):
    warm(client, "/events/", "/people/", "/")
    assert shows(client, "/", "L’archive ne contient encore aucun événement.")
    call_command("generate_archive", events=12, actors=4, seed=5, verbosity=0)
    event = Event.objects.order_by("occurred_at").first()
    assert shows(client, "/events/", event.title)
    assert not shows(client, "/", "L’archive ne contient encore aucun événement.")
    assert shows(client, "/people/", Actor.objects.people().order_by("name").first().name)


def test_seed_story_reaches_every_page(client, db):
    warm(client, "/events/", "/people/")
    call_command("seed_story", verbosity=0)
    assert shows(client, "/events/", "Sam Altman")
    assert shows(client, "/people/", "Sam Altman")


def test_an_alias_reaches_the_search_and_not_the_event_pages(client, three):
    first, second, third = three["events"]
    kept = warm(client, third.get_absolute_url())
    warm(client, "/search/?q=sama")
    Alias.objects.create(actor=three["sam"], name="Sama")
    assert shows(client, "/search/?q=sama", "Sam Altman")
    assert_kept(client, kept)


def test_a_page_whose_keys_moved_renders_once_for_many_waiting_requests(db, settings):
    renders = []

    def slow_view(request):
        renders.append(1)
        time.sleep(0.3)
        return HttpResponse("<p>page</p>", content_type="text/html")

    middleware = PublicPageCacheMiddleware(slow_view)
    request = RequestFactory().get("/events/", HTTP_HOST="127.0.0.1")
    responses = []

    def read():
        responses.append(middleware(request))

    readers = [threading.Thread(target=read) for _ in range(8)]
    for reader in readers:
        reader.start()
    for reader in readers:
        reader.join()
    assert len(renders) == 1
    assert [r.content for r in responses] == [b"<p>page</p>"] * 8
    assert sorted(r["X-Cache"] for r in responses) == ["hit"] * 7 + ["miss"]


# --- The differential test ----------------------------------------------------------------


def archive():
    people = [PersonFactory(name=n) for n in ("Ada Lovelace", "Alan Turing", "Grace Hopper")]
    events = []
    for n in range(5):
        events.append(
            EventFactory(
                title=f"Fait {n}",
                occurred_at=DAY + datetime.timedelta(hours=10 * n),
                kind=[Event.Kind.STATEMENT, Event.Kind.FIRING][n % 2],
                actors=people[n % 3 : n % 3 + 2],
            )
        )
    QuoteFactory(event=events[0], speaker=people[0], text="Une citation.")
    return people, events


def pages(people, events):
    urls = ["/", "/events/", "/events/?day=2023-11-18", "/events/?kind=firing", "/people/"]
    urls += ["/events/?q=fait", "/events/?q=nouveau", "/search/?q=fait", "/quotes/", "/network/"]
    urls += ["/en/", "/en/events/", "/events.json", "/feeds/events.atom", "/sitemap.xml"]
    urls += [event.get_absolute_url() for event in events]
    urls += [f"/en{events[0].get_absolute_url()}"]
    urls += [person.get_absolute_url() for person in people]
    urls += [f"/events/?actor={person.slug}" for person in people]
    return urls


def write(op, n, people, events):
    event = Event.objects.filter(slug=events[n % len(events)].slug).first()
    person = Actor.objects.get(pk=people[n % len(people)].pk)
    if event is None:
        return
    if op == "title":
        event.title = f"Nouveau titre {n}"
        event.save()
    elif op == "summary":
        event.summary = f"Nouveau résumé {n}"
        event.save()
    elif op == "move":
        event.occurred_at += datetime.timedelta(hours=13 * (n + 1))
        event.save()
    elif op == "kind":
        event.kind = Event.Kind.RESIGNATION
        event.save()
    elif op == "add_actor":
        Participation.objects.get_or_create(
            event=event, actor=person, defaults={"part": Participation.Part.PARTICIPANT}
        )
    elif op == "remove_actor":
        Participation.objects.filter(event=event, actor=person).delete()
    elif op == "rename":
        person.name = f"Personne {n}"
        person.save()
    elif op == "quote":
        Quote.objects.create(
            slug=f"citation-ajoutee-{n}-{event.pk}", event=event, speaker=person, text=f"Dit {n}"
        )
    elif op == "delete":
        event.delete()
    elif op == "create":
        EventFactory(title=f"Fait nouveau {n}", occurred_at=DAY + datetime.timedelta(hours=n))
    elif op == "translate":
        Translation.objects.update_or_create(
            event=event, field="title", language="en", defaults={"text": f"Fact {n}"}
        )
    elif op == "bulk":
        Event.objects.filter(pk=event.pk).update(summary=f"Écrit en masse {n}")


OPS = ["title", "summary", "move", "kind", "add_actor", "remove_actor", "rename", "quote"]
OPS += ["delete", "create", "translate", "bulk"]


@settings(
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(st.lists(st.tuples(st.sampled_from(OPS), st.integers(0, 6)), min_size=1, max_size=4))
def test_every_page_through_the_cache_equals_the_page_rendered_without_it(db, writes):
    cached = ReadingClient()
    with override_settings(ARCHIVE_PAGE_CACHE=False):
        fresh = ReadingClient()
        fresh.get("/")  # its middleware is built now, with the cache off
    try:
        with transaction.atomic():
            people, events = archive()
            urls = pages(people, events)
            for url in urls:
                cached.get(url)
            for op, n in writes:
                write(op, n, people, events)
                for url in urls:
                    expected, got = fresh.get(url), cached.get(url)
                    assert got.status_code == expected.status_code, (op, n, url)
                    assert got.content == expected.content, (op, n, url)
            transaction.set_rollback(True)
    finally:
        cache.clear()


def test_disputes_and_cited_passages_reach_their_event_and_no_actor_list(client, three):
    first, second, third = three["events"]
    page = first.get_absolute_url()
    kept = warm(client, "/people/")
    warm(client, page, "/disputes/")
    account = AccountFactory(dispute__question="Combien de salariés ont signé ?")
    account.dispute.events.add(first)  # an m2m change
    assert shows(client, page, "Combien de salariés ont signé ?")
    assert shows(client, "/disputes/", "Combien de salariés ont signé ?")
    warm(client, "/events/")
    passage = PassageFactory(text="Un paragraphe cité désormais.")
    first.passages.add(passage)
    assert shows(client, page, f"#p{passage.number}")
    # The list's source facet counts the events citing the new document.
    assert shows(client, "/events/", f"?source={passage.article.slug}")
    assert_kept(client, kept)
