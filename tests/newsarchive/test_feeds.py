"""Atom feeds: every event newest first, or those of any filter of `/events/`."""

import xml.etree.ElementTree as ET

import pytest

from events.models import Event

pytestmark = pytest.mark.postgres

ATOM = "{http://www.w3.org/2005/Atom}"


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
        ("/en/events/?kind=firing", "/feeds/events.atom?kind=firing"),
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
