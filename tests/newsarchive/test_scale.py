"""Every page bounded at scale: a generated archive that crosses every limit (an actor in
thousands of events, more days, actors and co-actors than any facet shows, more events a day
than the home page draws), each page type within its query and size budget."""

import datetime
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from events.listing import FACET_SIZE, FACET_SIZE_MORE
from events.models import Article, Event, FacetCount, Passage
from events.models.provenance import PASSAGES_PER_PAGE
from events.views import EventListView
from newsarchive.models import Correction
from newsarchive.pages.home import EVENTS_PER_DAY
from people.models import Actor

pytestmark = pytest.mark.postgres

# Ten, and one for the events list's source-document facet (issue 19).
MAX_QUERIES = 11
MAX_HTML = 100_000


@pytest.fixture(scope="module")
def archive(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("generate_archive", events=6000, actors=400, seed=7, days=40, verbosity=0)
        yield
        # As after a transactional test: empty every table (row-by-row deletes would recount).
        call_command("flush", interactive=False, verbosity=0)


def urls():
    popular = Actor.objects.most_involved().first()
    person = Actor.objects.people().most_involved().first()
    organisation = Actor.objects.organisations().most_involved().first()
    rare = Actor.objects.filter(event_count=1).first()
    second = Actor.objects.most_involved()[1]
    middle = Event.objects.order_by("occurred_at", "slug")[3000]
    busy_day = FacetCount.objects.filter(actor=None, facet="day").order_by("-count").first()
    per_page = EventListView.paginate_by
    last_page = -(-Event.objects.count() // per_page)
    deep_page = popular.event_count // per_page
    corrected = Correction.objects.exclude(event=None).order_by("-revision_id").first().event
    largest = Article.objects.for_reading().order_by("-last_number").first()
    smallest = Article.objects.for_reading().order_by("last_number").first()
    last_source_page = -(-largest.last_number // PASSAGES_PER_PAGE)
    return {
        "home": "/",
        "events": "/events/",
        "events, last page": f"/events/?page={last_page}",
        "events, newest first": "/events/?sort=desc&page=50",
        "popular actor": f"/events/?actor={popular.slug}",
        "popular actor, more actors": f"/events/?actor={popular.slug}&more=actor",
        "popular actor, more days": f"/events/?actor={popular.slug}&more=day",
        "popular actor, deep page": f"/events/?actor={popular.slug}&page={deep_page}",
        "popular actor and a kind": f"/events/?actor={popular.slug}&kind=statement",
        "popular actor and a day": f"/events/?actor={popular.slug}&day={busy_day.value}",
        "rare actor": f"/events/?actor={rare.slug}",
        "two actors, all": f"/events/?actor={popular.slug}&actor={second.slug}&match=all",
        "two actors, any": f"/events/?actor={popular.slug}&actor={second.slug}",
        "a kind": "/events/?kind=message",
        "a claim": "/events/?claim=reported",
        "popular actor and a claim": f"/events/?actor={popular.slug}&claim=alleged",
        "disputes": "/disputes/",
        "a day": f"/events/?day={busy_day.value}",
        "words": "/events/?q=démission",
        "words and an actor": f"/events/?q=réunion&actor={popular.slug}",
        "search": "/search/?q=démission",
        "search, a name": f"/search/?q={popular.name}",
        "event": middle.get_absolute_url(),
        "popular person": person.get_absolute_url(),
        "popular person, as of": person.get_absolute_url() + "?at=2022-01-20T12:00",
        "organisation": organisation.get_absolute_url(),
        "people": "/people/",
        "people, last page": "/people/?page=4",
        "organisations": "/organisations/",
        "English events": f"/en/events/?actor={popular.slug}",
        "English person": "/en" + person.get_absolute_url(),
        # The English edition reads every shown record's translations in one more query.
        "English home": "/en/",
        "English events, a day": f"/en/events/?day={busy_day.value}",
        "English event": "/en" + middle.get_absolute_url(),
        "English organisation": "/en" + organisation.get_absolute_url(),
        "English person, as of": "/en" + person.get_absolute_url() + "?at=2022-01-20T12:00",
        "English people": "/en/people/",
        "English search": f"/en/search/?q={popular.name}",
        "English disputes": "/en/disputes/",
        "quotes": "/quotes/",
        "quotes, a speaker and a day": f"/quotes/?speaker={popular.slug}&day={busy_day.value}",
        "network": "/network/",
        "English network": "/en/network/",
        "changes": "/changes/",
        "changes, last page": f"/changes/?page={-(-Correction.objects.count() * 2 // 20)}",
        "English changes": "/en/changes/?page=3",
        "changes of one event": f"/changes/?event={corrected.slug}",
        "corrected event": corrected.get_absolute_url(),
        "English corrected event": "/en" + corrected.get_absolute_url(),
        "sources": "/sources/",
        "largest source": largest.get_absolute_url(),
        "largest source, last page": f"{largest.get_absolute_url()}?page={last_source_page}",
        "English largest source": "/en" + largest.get_absolute_url() + "?page=20",
        "events of the largest source": f"/events/?source={largest.slug}",
        "events of a source and an actor": f"/events/?source={smallest.slug}&actor={popular.slug}",
        "events of a source, newest first": f"/events/?source={largest.slug}&sort=desc&page=9",
    }


def over_budget(client, urls, max_bytes, max_queries=MAX_QUERIES):
    """The URLs that fail, pass `max_queries` or send more than `max_bytes`, with what each
    did: (url, status, queries, bytes)."""
    over = {}
    for name, url in urls.items():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        row = (url, response.status_code, len(queries), len(response.content))
        if row[1] != 200 or row[2] > max_queries or row[3] > max_bytes:
            over[name] = row
    return over


@pytest.mark.django_db
def test_the_archive_crosses_every_limit(archive):
    popular = Actor.objects.most_involved().first()
    assert popular.event_count > 1000  # past SQLite's 1,000-term expression limit
    # A history of hundreds of edits, pages and pages of /changes/.
    assert Correction.objects.count() > 100
    # A source document of thousands of passages, far past a page of them.
    largest = Article.objects.for_reading().order_by("-last_number").first()
    assert largest.last_number > 25 * PASSAGES_PER_PAGE
    assert FacetCount.objects.filter(actor=popular, facet="actor").count() > FACET_SIZE * 10
    assert FacetCount.objects.filter(actor=None, facet="day").count() > FACET_SIZE
    assert FacetCount.objects.filter(actor=None, facet="day").order_by("-count")[0].count > (
        EVENTS_PER_DAY
    )
    assert Actor.objects.filter(event_count=1).exists()


@pytest.mark.django_db
def test_every_page_is_bounded(client, archive, settings):
    settings.ARCHIVE_PAGE_CACHE = False  # measure the work, not the cache
    over = over_budget(client, urls(), MAX_HTML)
    assert not over, "\n".join(f"{name}: {row}" for name, row in over.items())


@pytest.mark.django_db
def test_the_popular_actors_page_shows_the_top_of_each_facet(client, archive):
    popular = Actor.objects.most_involved().first()
    response = client.get(f"/events/?actor={popular.slug}")
    facets = response.context["facets"]
    assert len(facets["actor"]) == FACET_SIZE
    assert facets["actor"][0]["actor__slug"] == popular.slug
    counts = [row["count"] for row in facets["actor"][1:]]
    assert counts == sorted(counts, reverse=True)
    assert response.context["paginator"].count == popular.event_count
    page = response.content.decode()
    assert f'href="?actor={popular.slug}&amp;more=actor#facet-actor">Plus de valeurs' in page
    response = client.get(f"/events/?actor={popular.slug}&more=actor")
    more = response.context["facets"]
    assert len(more["actor"]) == FACET_SIZE_MORE  # more, still bounded, and only that facet
    assert len(more["day"]) == FACET_SIZE
    page = response.content.decode()
    assert f"Les {FACET_SIZE_MORE} valeurs les plus fréquentes." in page
    assert f'href="?actor={popular.slug}#facet-actor">Moins de valeurs' in page
    # Days all in one year leave it out (the generated weeks here); over several, they say it.
    years = {row["day"].year for row in more["day"]}
    assert any(str(row["day"].year) in row["label"] for row in more["day"]) == (len(years) > 1)
    # The actor field suggests the most involved names, never all of them.
    assert page.count("<option value=") < 200


@pytest.mark.django_db
def test_the_home_page_shows_the_latest_days_within_bounds(client, archive):
    response = client.get("/")
    days = response.context["days"]
    assert 1 <= len(days) <= 7
    assert all(len(day.events) <= EVENTS_PER_DAY for day in days)
    assert any(day.more for day in days)
    assert "autres événements ce jour-là" in response.content.decode()


MAX_DATA = 200_000


def data_urls():
    popular = Actor.objects.most_involved().first()
    person = Actor.objects.people().most_involved().first()
    organisation = Actor.objects.organisations().most_involved().first()
    middle = Event.objects.order_by("occurred_at", "slug")[3000]
    corrected = Correction.objects.exclude(event=None).order_by("-revision_id").first().event
    return {
        "events.json": "/events.json",
        "events.json, popular actor": f"/events.json?actor={popular.slug}",
        "events.json, popular actor, newest": f"/events.json?actor={popular.slug}&sort=desc",
        "events.json, words": "/events.json?q=démission",
        "events.json, a kind and a day": "/events.json?kind=message&day=2022-01-20",
        "event json": f"/events/{middle.slug}.json",
        "person json": f"/people/{person.slug}.json",
        "organisation json": f"/organisations/{organisation.slug}.json",
        "search json": f"/search.json?q={popular.name}",
        "sources json": "/sources.json",
        "changes json": "/changes.json",
        "changes json, one event": f"/changes.json?event={corrected.slug}",
        "changes feed": "/feeds/changes.atom",
        "feed": "/feeds/events.atom",
        "feed, popular actor": f"/feeds/events.atom?actor={popular.slug}",
        "sitemap": "/sitemap.xml",
        "sitemap, events": "/sitemap-events.xml?p=20",
        "sitemap, actors": "/sitemap-actors.xml",
    }


@pytest.mark.django_db
def test_every_export_is_bounded(client, archive, settings):
    settings.ARCHIVE_PAGE_CACHE = False
    over = over_budget(client, data_urls(), MAX_DATA)
    assert not over, "\n".join(f"{name}: {row}" for name, row in over.items())


@pytest.mark.django_db
def test_a_json_cursor_deep_in_the_archive_costs_what_the_first_page_costs(client, archive):
    popular = Actor.objects.most_involved().first()
    url = f"/events.json?actor={popular.slug}"
    for _ in range(3):
        url = client.get(url).json()["next"]
    deep = Event.objects.filter(participations__actor=popular).order_by("occurred_at", "slug")
    with CaptureQueriesContext(connection) as queries:
        data = client.get(url).json()
    assert len(queries) <= MAX_QUERIES
    assert [e["slug"] for e in data["events"]] == [e.slug for e in deep[150:200]]


@pytest.mark.django_db
def test_the_csv_export_starts_at_once(client, archive):
    """The first rows come after a bounded number of queries, whatever the archive's size."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/events.csv")
        stream = iter(response.streaming_content)
        head = [next(stream) for _ in range(10)]
    assert len(queries) <= MAX_QUERIES
    assert head[1].startswith(b"slug,url,occurred_at")
    rows = sum(1 for _ in stream) + 8
    assert rows == Event.objects.count()


# The editors' admin at the same scale: every list, its search and its filters, every form.
MAX_ADMIN_QUERIES = 12
# A form also reads its history token, its inlines (and their joined rows) and translations.
MAX_ADMIN_FORM_QUERIES = 15
MAX_ADMIN_HTML = 100_000
ADMIN_LISTS = [
    "events/event",
    "events/source",
    "events/article",
    "events/passage",
    "events/quote",
    "events/roleevidence",
    "events/dispute",
    "events/account",
    "events/eventorder",
    "people/actor",
    "people/role",
    "editions/translation",
]


@pytest.fixture
def passages():
    """An article of thousands of passages, the picker's worst case."""
    article = Article.objects.create(slug="long", title="Un très long article")
    Passage.objects.bulk_create(
        Passage(article=article, number=n, text=f"Paragraphe {n} : la démission du conseil.")
        for n in range(1, 3001)
    )
    return article


def admin_urls(article):
    popular = Actor.objects.most_involved().first()
    busy_day = FacetCount.objects.filter(actor=None, facet="day").order_by("-count").first()
    day = datetime.date.fromisoformat(busy_day.value)
    urls = {}
    for path in ADMIN_LISTS:
        urls[path] = f"/admin/{path}/"
        urls[f"{path}, search"] = f"/admin/{path}/?q=Démission"
    events = "/admin/events/event/"
    urls.update(
        {
            "events, search a name": f"{events}?q={popular.name}",
            "events, search a name, last page": f"{events}?q={popular.name}&p=20",
            "events, the most involved actor": f"{events}?actor={popular.pk}",
            "events, the actor and a kind": f"{events}?actor={popular.pk}&kind__exact=statement",
            "events, a year": f"{events}?day={day.year}",
            "events, a month": f"{events}?day={day.year}-{day.month:02d}",
            "events, a day": f"{events}?day={day.isoformat()}",
            "events, a claim": f"{events}?claim__exact=reported",
            "events, last page": f"{events}?p={Event.objects.count() // 50}",
            "actors, search a name": f"/admin/people/actor/?q={popular.name}",
            "passages, an article": f"/admin/events/passage/?article__id__exact={article.pk}",
            "passage picker, search": "/admin/autocomplete/?app_label=events&model_name=event"
            "&field_name=passages&term=demission",
            "actor picker, search": "/admin/autocomplete/?app_label=events"
            f"&model_name=participation&field_name=actor&term={popular.name[:4]}",
        }
    )
    return urls


def admin_form_urls(article):
    popular = Actor.objects.most_involved().first()
    crowded = (
        Event.objects.annotate(n=Count("participations")).order_by("-n", "pk").values("pk").first()
    )
    return {
        "event form, most participants": f"/admin/events/event/{crowded['pk']}/change/",
        "event form, new": "/admin/events/event/add/",
        "actor form, most involved": f"/admin/people/actor/{popular.pk}/change/",
        "actor history": f"/admin/people/actor/{popular.pk}/history/",
        "article form, thousands of passages": f"/admin/events/article/{article.pk}/change/",
    }


@pytest.mark.django_db
def test_every_admin_page_is_bounded(client, archive, editor, passages):
    over = over_budget(client, admin_urls(passages), MAX_ADMIN_HTML, MAX_ADMIN_QUERIES)
    over |= over_budget(client, admin_form_urls(passages), MAX_ADMIN_HTML, MAX_ADMIN_FORM_QUERIES)
    assert not over, "\n".join(f"{name}: {row}" for name, row in over.items())


@pytest.mark.django_db
def test_an_admin_search_for_a_frequent_name_is_counted_up_to_a_bound(client, archive, editor):
    """The most involved actor's name matches more events than the list counts: it says
    « plus de 1000 », and its pages are the matches in list order up to there."""
    popular = Actor.objects.most_involved().first()
    url = "/admin/events/event/"
    response = client.get(url, {"q": popular.name})
    cl = response.context["cl"]
    matches = list(cl.queryset.values_list("pk", flat=True))  # every match, in list order
    assert len(matches) > 1000
    assert set(popular.participations.values_list("event", flat=True)) <= set(matches)
    html = " ".join(response.content.decode().split())
    assert re.search(r"plus de 1\W?000 résultats", html)
    assert re.search(r"plus de 1\W?000 événements", html)
    assert [event.pk for event in cl.result_list] == matches[:50]
    last = client.get(url, {"q": popular.name, "p": 20}).context["cl"]
    assert [event.pk for event in last.result_list] == matches[950:1000]
    assert client.get(url, {"q": popular.name, "p": 21}).url.endswith("?e=1")
