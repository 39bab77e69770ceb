"""`/events.json`, `/events.csv` and the per-page JSON: what a data user gets."""

import csv
import io
import re

import pytest
from django.urls import reverse

from events.models import Article, Event, Passage
from newsarchive.publishing.exports import CSV_COLUMNS, PAGE_SIZE, SOURCE_CSV_COLUMNS
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
)

STORY = "que-se-passe-t-il-avec-openai-et-sam-altman"  # the story's one source document

pytestmark = pytest.mark.postgres


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return response.json()


def follow_pages(client, url):
    """Every event slug of a JSON listing, following `next` cursors to the end."""
    slugs, pages = [], 0
    while url:
        data = get_json(client, url)
        slugs += [event["slug"] for event in data["events"]]
        url, pages = data["next"], pages + 1
        assert pages < 50
    return slugs, pages


def csv_rows(response):
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def many(db):
    """120 events (more than two JSON pages), one actor in every third of them."""
    alice, bob = PersonFactory(name="Alice Durand"), OrganisationFactory(name="Bêta Corp")
    events = EventFactory.create_batch(120)
    for index, event in enumerate(events):
        if index % 3 == 0:
            event.participations.create(actor=alice, part="initiator")
        event.participations.create(actor=bob, part="participant")
    return alice, bob, events


def test_story_events_json_lists_every_event_with_its_facts(client, story):
    data = get_json(client, "/events.json")
    assert data["total"] == Event.objects.count() == data["count"]
    assert data["next"] is None
    first = data["events"][0]
    event = Event.objects.order_by("occurred_at", "slug").first()
    assert first["slug"] == event.slug and first["title"] == event.title
    assert first["occurred_at"].endswith("-08:00")
    assert first["precision"] == event.precision
    assert first["url"] == f"http://testserver/events/{event.slug}/"
    assert first["passages"] == sorted(p.number for p in event.passages.all())
    assert {a["slug"] for a in first["actors"]} == {
        p.actor.slug for p in event.participations.all()
    }
    assert all(a["part"] for a in first["actors"])
    days = {row["value"]: row["count"] for row in data["facets"]["day"]}
    assert sum(days.values()) == data["total"]
    assert "2023-11-17" in days


def test_filters_are_those_of_the_events_page(client, story):
    data = get_json(client, "/events.json?actor=sam-altman&kind=firing")
    assert data["total"] >= 1
    for event in data["events"]:
        assert event["kind"] == "firing"
        assert "sam-altman" in {a["slug"] for a in event["actors"]}
    page = client.get("/events/?actor=sam-altman&kind=firing").content.decode()
    assert re.search(rf"\b{data['total']} événements?\b", page)
    # An alias works as on the page.
    assert (
        get_json(client, "/events.json?actor=Ilya")["total"]
        == Event.objects.filter(participations__actor__slug="ilya-sutskever").count()
    )


@pytest.mark.parametrize(
    "query, parameter",
    [
        ("day=2023-13-45", "day"),
        ("kind=nope", "kind"),
        ("actor=personne-inconnue", "actor"),
        ("sort=sideways", "sort"),
        ("day=2023-11-17&day=2023-11-18", "day"),
        ("cursor=not-a-cursor", "cursor"),
        ("cursor=WyJ4IiwgMV0", "cursor"),
        ("q=" + "x" * 300, "q"),
    ],
)
def test_bad_values_are_a_400_naming_the_parameter(client, story, query, parameter):
    for url in (f"/events.json?{query}", f"/events.csv?{query}", f"/feeds/events.atom?{query}"):
        data = get_json(client, url, status=400)
        assert parameter in data["errors"], data
        assert data["errors"][parameter][0]


@pytest.mark.parametrize("extra", ["", "&sort=desc", "&actor=alice-durand", "&q=evenement"])
def test_cursor_pages_through_every_event_once_in_order(client, many, extra):
    alice, _bob, events = many
    url = f"/events.json?{extra.lstrip('&')}"
    slugs, pages = follow_pages(client, url)
    expected = Event.objects.order_by("occurred_at", "slug")
    if "alice" in extra:
        expected = expected.filter(participations__actor=alice)
    expected = list(expected.values_list("slug", flat=True))
    if "desc" in extra:
        expected.reverse()
    assert slugs == expected
    assert pages == -(-len(expected) // PAGE_SIZE)


def test_json_query_count_is_fixed(client, many, django_assert_max_num_queries):
    for url in (
        "/events.json",
        "/events.json?actor=alice-durand",
        "/events.json?actor=alice-durand&actor=beta-corp&match=all",
        "/events.json?q=evenement&sort=desc",
        "/events.json?day=2023-11-20&kind=statement",
    ):
        # Ten, and one for the source-document facet.
        with django_assert_max_num_queries(11):
            data = get_json(client, url)
        if data["next"]:
            with django_assert_max_num_queries(11):
                get_json(client, data["next"])


def test_csv_streams_every_event_with_stable_columns(client, many, django_assert_max_num_queries):
    response = client.get("/events.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    with django_assert_max_num_queries(20):  # a few per chunk of 500: here one chunk
        rows = csv_rows(response)
    assert list(rows[0]) == CSV_COLUMNS
    assert [row["slug"] for row in rows] == list(
        Event.objects.order_by("occurred_at", "slug").values_list("slug", flat=True)
    )
    assert rows[0]["actors"].startswith("alice-durand:initiator")
    assert "Bêta Corp" in rows[0]["actor_names"]


def test_csv_follows_the_filters_across_chunks(client, many, monkeypatch):
    monkeypatch.setattr("newsarchive.publishing.exports.CSV_CHUNK", 7)
    alice = many[0]
    rows = csv_rows(client.get("/events.csv?actor=alice-durand&sort=desc"))
    expected = list(
        Event.objects.filter(participations__actor=alice)
        .order_by("-occurred_at", "-slug")
        .values_list("slug", flat=True)
    )
    assert [row["slug"] for row in rows] == expected and len(expected) == 40


def test_event_json_has_account_quotes_sources_and_neighbours(client, story):
    event = Event.objects.filter(quotes__isnull=False).order_by("occurred_at").first()
    data = get_json(client, f"/events/{event.slug}.json")
    assert data["title"] == event.title and data["body"] == event.body
    quote = event.quotes.order_by("position").first()
    shown = {q["slug"]: q for q in data["quotes"]}[quote.slug]
    assert shown["text"] == quote.text
    assert shown["speaker"]["slug"] == quote.speaker.slug
    assert shown["passages"] == sorted(p.number for p in quote.passages.all())
    previous, following = Event.objects.neighbours(event)
    assert data["previous"] == (previous.slug if previous else None)
    assert data["next"] == (following.slug if following else None)


def test_actor_json_has_roles_events_and_quotes(client, story):
    data = get_json(client, "/people/sam-altman.json")
    assert data["name"] == "Sam Altman" and data["kind"] == "person"
    assert "Sam" in data["aliases"]
    titles = [role["title"] for role in data["roles"]]
    assert "PDG" in titles
    ceo = next(role for role in data["roles"] if role["title"] == "PDG")
    assert ceo["end"]["at"].startswith("2023-11-17T12:00") and ceo["end"]["precision"]
    assert len(data["events"]) == min(25, data["event_count"])
    assert data["all_events"] == "http://testserver/events.json?actor=sam-altman"
    org = get_json(client, "/organisations/openai.json")
    assert org["kind"] == "organisation" and org["organisation_kind"] == "company"


def test_unknown_or_mismatched_slug_is_a_json_404(client, story):
    for url in ("/events/nothing-here.json", "/people/openai.json", "/organisations/x.json"):
        data = get_json(client, url, status=404)
        assert data["error"]


def test_search_json_matches_the_search_page(client, story):
    data = get_json(client, "/search.json?q=sutskever")
    assert data["q"] == "sutskever"
    assert [p["name"] for p in data["groups"]["people"]["results"]] == ["Ilya Sutskever"]
    assert data["groups"]["events"]["total"] == len(data["groups"]["events"]["results"]) > 0
    assert get_json(client, "/search.json")["groups"] == {}
    assert "q" in get_json(client, "/search.json?q=a&q=b", status=400)["errors"]


def test_detail_json_query_counts(client, story, django_assert_max_num_queries):
    with django_assert_max_num_queries(11):
        get_json(client, "/people/sam-altman.json")
    with django_assert_max_num_queries(11):
        get_json(client, "/organisations/openai.json")
    with django_assert_max_num_queries(11):
        get_json(client, "/events/le-conseil-licencie-sam-altman.json")
    with django_assert_max_num_queries(11):
        get_json(client, "/search.json?q=altman")


def test_pages_link_their_data(client, story):
    checks = {
        "/events/?actor=sam-altman": "/events.json?actor=sam-altman",
        "/en/events/?kind=firing": "/events.json?kind=firing",
        "/events/le-conseil-licencie-sam-altman/": "/events/le-conseil-licencie-sam-altman.json",
        "/people/sam-altman/": "/people/sam-altman.json",
        "/organisations/openai/": "/organisations/openai.json",
        "/search/?q=ilya": "/search.json?q=ilya",
    }
    for page, data_url in checks.items():
        html = client.get(page).content.decode()
        assert f'<link rel="alternate" type="application/json" href="{data_url}">' in html
        assert f'<a href="{data_url}" type="application/json">JSON</a>' in html
        assert client.get(data_url).status_code == 200
    html = client.get("/events/?day=2023-11-17").content.decode()
    assert '<a href="/events.csv?day=2023-11-17" type="text/csv">CSV</a>' in html


def test_json_is_cached_and_revalidated_like_the_pages(client, story):
    first = client.get("/events.json?kind=firing")
    again = client.get("/events.json?kind=firing")
    assert again["X-Cache"] == "hit" and again.content == first.content
    assert (
        client.get("/events.json?kind=firing", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    )
    EventFactory(kind="firing")
    fresh = client.get("/events.json?kind=firing")
    assert fresh.json()["total"] == first.json()["total"] + 1


def test_documented_fields_are_all_present(client, story):
    """docs/data.md: every field in its tables exists in the live responses."""
    from pathlib import Path

    from django.conf import settings

    QuoteFactory(event=Event.objects.get(slug="le-conseil-licencie-sam-altman"))
    doc = (Path(settings.BASE_DIR) / "docs" / "data.md").read_text()
    sections = re.split(r"^## ", doc, flags=re.M)[1:]
    samples = {
        "`/events.json`": get_json(client, "/events.json"),
        "`/events/<slug>.json`": get_json(client, "/events/le-conseil-licencie-sam-altman.json"),
        "`/people/<slug>.json`": get_json(client, "/people/sam-altman.json"),
        "`/search.json?q=`": get_json(client, "/search.json?q=altman"),
        "`/sources.json`": get_json(client, "/sources.json"),
    }
    csv_headers = {
        "`/events.csv`": list(csv_rows(client.get("/events.csv"))[0]),
        "`/sources.csv`": list(csv_rows(client.get("/sources.csv"))[0]),
    }
    checked = 0
    for section in sections:
        title = section.splitlines()[0]
        fields = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
        key = next((k for k in samples if title.startswith(k)), None)
        csv_key = next((k for k in csv_headers if title.startswith(k)), None)
        if csv_key:
            assert fields == csv_headers[csv_key], title
            checked += len(fields)
        elif key:
            for path in fields:
                assert resolve(samples[key], path), f"{title}: {path} missing"
                checked += 1
    assert checked > 110


def resolve(data, path):
    """Whether `path` (`a[].b.c`) exists in `data`, for the first item of each list."""
    node = data
    for part in path.split("."):
        is_list = part.endswith("[]")
        name = part[:-2] if is_list else part
        if not isinstance(node, dict) or name not in node:
            return False
        node = node[name]
        if is_list:
            if not isinstance(node, list) or not node:
                return False
            node = node[0]
    return True


def test_reverse_names(db):
    assert reverse("publishing:events_json") == "/events.json"
    assert reverse("publishing:event_json", kwargs={"slug": "x"}) == "/events/x.json"


def test_search_json_names_an_actor_like_the_page(client, story):
    """« sutskever » names Ilya Sutskever: his events (as many as his box counts), then the
    other events that hold the word, as the search page lists them."""
    data = get_json(client, "/search.json?q=sutskever")
    ilya = Event.objects.filter(participations__actor__slug="ilya-sutskever")
    assert data["groups"]["events"]["total"] == ilya.count()
    assert {e["slug"] for e in data["groups"]["events"]["results"]} == set(
        ilya.values_list("slug", flat=True)
    )
    mentions = {e["slug"] for e in data["groups"]["mentions"]["results"]}
    assert not mentions & {e["slug"] for e in data["groups"]["events"]["results"]}


# Source documents (`/sources.json`, `/sources.csv`) and the passages exports cite.


def test_sources_json_lists_the_story_article_with_its_counts(client, story):
    data = get_json(client, "/sources.json")
    assert data["total"] == data["count"] == 1 and data["next"] is None
    assert data["html"] == "http://testserver/sources/"
    (source,) = data["sources"]
    article = Article.objects.for_index().get()
    assert source == {
        "slug": STORY,
        "url": f"http://testserver/sources/{STORY}/",
        "title": article.title,
        "outlet": None,  # the capture does not say: unknown, not invented
        "published_at": None,
        "precision": None,
        "language": "fr",
        "passage_count": Passage.objects.filter(article=article).count(),
        "fact_count": article.fact_count,
    }
    assert source["passage_count"] == 39 and source["fact_count"] == 32
    assert client.get(source["url"]).status_code == 200


def test_sources_csv_streams_the_same_documents(client, story):
    response = client.get("/sources.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="sources.csv"' in response["Content-Disposition"]
    (row,) = csv_rows(response)
    assert list(row) == SOURCE_CSV_COLUMNS
    json_row = get_json(client, "/sources.json")["sources"][0]
    assert row == {
        key: "" if json_row[key] is None else str(json_row[key]) for key in SOURCE_CSV_COLUMNS
    }


@pytest.fixture
def documents(db):
    """120 source documents (more than two JSON pages), the second with a date, an outlet, an
    event and three passages."""
    import datetime

    articles = [
        Article(slug=f"document-{n:03d}", title=f"Document {n}", language="en") for n in range(120)
    ]
    Article.objects.bulk_create(articles)
    dated = Article.objects.get(slug="document-001")
    dated.outlet = "The Verge"
    dated.published_at = datetime.datetime(2023, 11, 18, 20, 0, tzinfo=datetime.UTC)
    dated.published_precision = "hour"
    dated.save()
    passages = [PassageFactory(article=dated, number=n) for n in (1, 2, 41)]
    EventFactory().passages.set(passages[1:])
    return dated


def test_sources_json_pages_with_a_cursor_at_a_fixed_cost(
    client, documents, django_assert_max_num_queries
):
    slugs, url, pages = [], "/sources.json", 0
    while url:
        with django_assert_max_num_queries(6):
            data = get_json(client, url)
        assert data["total"] == 120
        slugs += [source["slug"] for source in data["sources"]]
        url, pages = data["next"], pages + 1
    assert pages == 3
    assert slugs == list(Article.objects.order_by("pk").values_list("slug", flat=True))
    second = get_json(client, "/sources.json")["sources"][1]
    assert second["outlet"] == "The Verge"
    assert second["published_at"] == "2023-11-18T12:00:00-08:00"
    assert second["precision"] == "hour" and second["language"] == "en"
    assert second["passage_count"] == 3 and second["fact_count"] == 1


def test_sources_csv_streams_across_chunks(client, documents, monkeypatch):
    monkeypatch.setattr("newsarchive.publishing.exports.CSV_CHUNK", 7)
    rows = csv_rows(client.get("/sources.csv"))
    assert [row["slug"] for row in rows] == list(
        Article.objects.order_by("pk").values_list("slug", flat=True)
    )
    assert rows[1]["passage_count"] == "3" and rows[1]["outlet"] == "The Verge"
    assert rows[0]["outlet"] == "" and rows[0]["passage_count"] == "0"


@pytest.mark.parametrize("cursor", ["x", "WyJ4Il0", "W3RydWVd", "W10"])
def test_a_bad_sources_cursor_is_a_400(client, db, cursor):
    for url in ("/sources.json", "/sources.csv"):
        data = get_json(client, f"{url}?cursor={cursor}", status=400)
        assert data["errors"]["cursor"]


def test_cited_passages_name_their_source_document(client, documents):
    event = documents.passages.get(number=2).events.get()
    quote = QuoteFactory(event=event)
    quote.passages.set(documents.passages.filter(number=41))
    expected = [
        {
            "source": "document-001",
            "passage": 2,
            "url": "http://testserver/sources/document-001/#p2",
        },
        {
            "source": "document-001",
            "passage": 41,
            "url": "http://testserver/sources/document-001/?page=2#p41",
        },
    ]
    (listed,) = get_json(client, "/events.json")["events"]
    assert listed["passages"] == [2, 41] and listed["citations"] == expected
    detail = get_json(client, f"/events/{event.slug}.json")
    assert detail["citations"] == expected
    assert detail["quotes"][0]["citations"] == expected[1:]
    speaker = quote.speaker
    actor = get_json(
        client, f"/{'people' if speaker.is_person else 'organisations'}/{speaker.slug}.json"
    )
    assert actor["quotes"][0]["citations"] == expected[1:]
    (row,) = csv_rows(client.get("/events.csv"))
    assert row["passages"] == "2;41"
    assert row["citations"] == "document-001:2;document-001:41"


def test_story_events_cite_the_story_article(client, story):
    for event in get_json(client, "/events.json")["events"]:
        assert [c["passage"] for c in event["citations"]] == event["passages"]
        assert {c["source"] for c in event["citations"]} <= {STORY}


def test_the_sources_page_links_its_data(client, story):
    html = client.get("/sources/").content.decode()
    assert '<link rel="alternate" type="application/json" href="/sources.json">' in html
    assert '<a href="/sources.csv" type="text/csv">CSV</a>' in html
