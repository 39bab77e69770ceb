"""Atom feeds: every event newest first, or those of any filter of `/events/`."""

import xml.etree.ElementTree as ET

import pytest

from editions.models import Translation
from events.models import Event

pytestmark = pytest.mark.postgres

ATOM = "{http://www.w3.org/2005/Atom}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"].startswith("application/atom+xml")
    return ET.fromstring(response.content)


def assert_valid_atom(feed):
    """The elements RFC 4287 requires of a feed and of each entry."""
    assert feed.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert feed.find(f"{ATOM}{name}").text
    assert feed.find(f"{ATOM}author/{ATOM}name").text
    assert feed.find(f"{ATOM}link[@rel='self']") is not None
    for entry in feed.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link[@rel='alternate']").get("href").startswith("http://")


def test_every_event_newest_first_with_time_summary_and_actors(client, story):
    feed = parse(client, "/feeds/events.atom")
    assert_valid_atom(feed)
    entries = feed.findall(f"{ATOM}entry")
    latest = Event.objects.order_by("-occurred_at", "-slug")
    assert len(entries) == min(50, latest.count())
    first, event = entries[0], latest.first()
    assert first.find(f"{ATOM}title").text == event.title
    assert first.find(f"{ATOM}summary").text == event.summary
    link = first.find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/events/{event.slug}/"
    assert client.get(link).status_code == 200
    assert first.find(f"{ATOM}published").text.startswith(event.occurred_at.date().isoformat())
    terms = {c.get("term") for c in first.findall(f"{ATOM}category")}
    assert terms == {p.actor.name for p in event.participations.all()}
    times = [e.find(f"{ATOM}published").text for e in entries]
    assert times == sorted(times, reverse=True)


def test_a_feed_follows_one_person(client, story):
    feed = parse(client, "/feeds/events.atom?actor=greg-brockman")
    assert_valid_atom(feed)
    assert "Greg Brockman" in feed.find(f"{ATOM}title").text
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == Event.objects.filter(participations__actor__slug="greg-brockman").count()
    for entry in entries:
        assert "Greg Brockman" in {c.get("term") for c in entry.findall(f"{ATOM}category")}
    page = feed.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert page == "http://testserver/events/?actor=greg-brockman"


def test_sort_cannot_turn_the_feed_upside_down(client, story):
    entries = parse(client, "/feeds/events.atom?sort=asc").findall(f"{ATOM}entry")
    times = [e.find(f"{ATOM}published").text for e in entries]
    assert times == sorted(times, reverse=True)


@pytest.mark.parametrize(
    "page, feed",
    [
        ("/", "/feeds/events.atom"),
        ("/people/sam-altman/", "/feeds/events.atom?actor=sam-altman"),
        ("/en/", "/en/feeds/events.atom"),
        ("/en/people/sam-altman/", "/en/feeds/events.atom?actor=sam-altman"),
        ("/en/events/?kind=firing", "/en/feeds/events.atom?kind=firing"),
        ("/en/sources/", "/en/feeds/events.atom"),
    ],
)
def test_pages_link_their_feed(client, story, page, feed):
    html = client.get(page).content.decode()
    assert 'type="application/atom+xml" title="' in html
    assert f'href="{feed}"' in html
    assert client.get(feed).status_code == 200


def test_feed_query_count_is_fixed(client, story, django_assert_max_num_queries):
    with django_assert_max_num_queries(10):
        parse(client, "/feeds/events.atom?actor=sam-altman")


def test_an_empty_feed_is_valid_and_does_not_change_between_requests(client, db):
    from tests.factories import OrganisationFactory

    OrganisationFactory(name="Sans événement")
    first = client.get("/feeds/events.atom?actor=sans-evenement")
    feed = ET.fromstring(first.content)
    assert_valid_atom(feed)
    assert feed.findall(f"{ATOM}entry") == []
    from django.core.cache import cache

    cache.clear()  # rendered afresh, not replayed
    assert client.get("/feeds/events.atom?actor=sans-evenement").content == first.content


# The English edition's feed.


def english(event, field):
    row = Translation.objects.filter(event=event, field=field, language="en").first()
    return row.text if row else getattr(event, field)


def test_english_has_its_own_feed_in_english(client, story):
    feed = parse(client, "/en/feeds/events.atom")
    assert_valid_atom(feed)
    assert feed.get(XML_LANG) == "en"
    assert feed.find(f"{ATOM}title").text == "Crisis at OpenAI, November 16–20, 2023: the events"
    assert feed.find(f"{ATOM}subtitle").text.startswith("Every event of the archive")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "The archive"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://testserver/en/feeds/events.atom"
    )
    assert feed.find(f"{ATOM}link[@rel='alternate']").get("href") == "http://testserver/en/events/"
    entries = feed.findall(f"{ATOM}entry")
    latest = list(Event.objects.order_by("-occurred_at", "-slug")[:50])
    assert len(entries) == len(latest)
    translated = 0
    for entry, event in zip(entries, latest, strict=True):
        assert entry.find(f"{ATOM}title").text == english(event, "title")
        assert entry.find(f"{ATOM}summary").text == english(event, "summary")
        translated += english(event, "title") != event.title
        link = entry.find(f"{ATOM}link").get("href")
        assert link == f"http://testserver/en/events/{event.slug}/"
    assert translated > 10  # the shipped story is translated: the feed shows it
    # Organisation names the article gives in French are in English too.
    terms = {c.get("term") for e in entries for c in e.findall(f"{ATOM}category")}
    assert "OpenAI’s board of directors" in terms
    assert "Conseil d’administration d’OpenAI" not in terms


def test_the_french_feed_is_unchanged(client, story):
    feed = parse(client, "/feeds/events.atom")
    assert feed.get(XML_LANG) == "fr"
    assert feed.find(f"{ATOM}title").text == "Crise à OpenAI, 16–20 novembre 2023 : les événements"
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "L’archive"
    assert feed.find(f"{ATOM}link[@rel='self']").get("href") == (
        "http://testserver/feeds/events.atom"
    )
    event = Event.objects.order_by("-occurred_at", "-slug").first()
    assert feed.find(f"{ATOM}entry/{ATOM}title").text == event.title
    terms = {c.get("term") for c in feed.iter(f"{ATOM}category")}
    assert "Conseil d’administration d’OpenAI" in terms
    html = client.get("/").content.decode()
    assert (
        'type="application/atom+xml" title="Les événements (Atom)" href="/feeds/events.atom"'
        in (html)
    )


def test_english_filtered_feeds_follow_the_pages(client, story):
    feed = parse(
        client, "/en/feeds/events.atom?actor=conseil-d-administration-d-openai&kind=firing"
    )
    assert_valid_atom(feed)
    title = feed.find(f"{ATOM}title").text
    assert "OpenAI’s board of directors" in title and "d’administration" not in title
    assert (
        feed.find(f"{ATOM}link[@rel='alternate']")
        .get("href")
        .startswith("http://testserver/en/events/?actor=conseil-d-administration-d-openai")
    )
    day = parse(client, "/en/feeds/events.atom?day=2023-11-17").find(f"{ATOM}title").text
    assert "Friday, November 17, 2023" in day
    words = parse(client, "/en/feeds/events.atom?q=altman").find(f"{ATOM}title").text
    assert words.endswith("“altman”")
    assert client.get("/en/feeds/events.atom?day=nope").status_code == 400


def test_english_home_advertises_the_english_feed(client, story):
    html = client.get("/en/").content.decode()
    assert (
        '<link rel="alternate" type="application/atom+xml" title="The events (Atom)" '
        'href="/en/feeds/events.atom">'
    ) in html
    assert 'href="/feeds/events.atom' not in html
    person = client.get("/en/people/sam-altman/").content.decode()
    assert 'href="/en/feeds/events.atom?actor=sam-altman"' in person
    assert 'href="/feeds/events.atom' not in person


def test_english_feed_is_cached_apart_from_the_french_one(client, story, settings):
    settings.ARCHIVE_PAGE_CACHE = True
    french = client.get("/feeds/events.atom")
    english_feed = client.get("/en/feeds/events.atom")
    assert english_feed.content != french.content
    again = client.get("/en/feeds/events.atom")
    assert again["X-Cache"] == "hit" and again.content == english_feed.content
    assert client.get("/feeds/events.atom").content == french.content
    # A translation edited reaches the English feed, not the French one.
    event = Event.objects.order_by("-occurred_at", "-slug").first()
    Translation.objects.update_or_create(
        event=event, field="title", language="en", defaults={"text": "A new English title"}
    )
    fresh = ET.fromstring(client.get("/en/feeds/events.atom").content)
    assert fresh.find(f"{ATOM}entry/{ATOM}title").text == "A new English title"
    assert client.get("/feeds/events.atom").content == french.content


def test_english_feed_costs_one_query_more_than_the_french(client, story):
    """The translations of the entries and of the actor followed: one read, whatever the
    number of entries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as french:
        parse(client, "/feeds/events.atom?actor=sam-altman")
    with CaptureQueriesContext(connection) as english_queries:
        parse(client, "/en/feeds/events.atom?actor=sam-altman")
    assert len(english_queries) <= len(french) + 1
