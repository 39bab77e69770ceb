"""The benchmarked pages, picked from the current database, and what rendering each costs
(status, SQL queries, HTML size), measured in-process by the test client."""

import contextlib
import json
import traceback
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import urlencode

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from newsarchive.bench import BASE_DIR

SEARCH_WORD = "démission"


@dataclass
class Page:
    key: str  # stable across archives, to match a page of the big and the small archive
    name: str
    url: str | None  # None when the archive has nothing to show there (e.g. no events)


PAGE_KEYS = (
    "home",
    "events",
    "events_popular_actor",
    "events_rare_actor",
    "events_q",
    "search",
    "event",
    "person",
    "organisation",
    "article",
    "people",
    "events_en",
)


def pick_pages():
    """The benchmarked pages, their URLs picked from the current database's data."""
    from events.models import Event
    from people.models import Actor

    involved = Actor.objects.most_involved()
    popular = involved.first()
    # An actor met once is the cheap end of the actor filter; a tiny archive may have none,
    # so fall back to the least involved one (its count is in the page name).
    rare = involved.filter(event_count=1).order_by("name").first() or (
        involved.order_by("event_count", "name").first()
    )
    person = involved.people().first()
    organisation = involved.organisations().first()
    events = Event.objects.order_by("occurred_at", "slug")
    total = events.count()
    middle = events[total // 2] if total else None
    query = "?" + urlencode({"q": SEARCH_WORD})

    with translation.override("fr"):
        event_list = reverse("events:event_list")
        pages = [
            Page("home", "home", reverse("home")),
            Page("events", "event list", event_list),
            actor_filter_page("events_popular_actor", "events of popular actor", popular),
            actor_filter_page("events_rare_actor", "events of rare actor", rare),
            Page("events_q", f"events, q={SEARCH_WORD}", event_list + query),
            Page("search", f"search, q={SEARCH_WORD}", reverse("search") + query),
            Page("event", "event (middle)", middle and middle.get_absolute_url()),
            actor_page("person", "most involved person", person),
            actor_page("organisation", "most involved organisation", organisation),
            source_page(),
            Page("people", "people list", reverse("people:person_list")),
        ]
    with translation.override("en"):
        pages.append(Page("events_en", "event list (English)", reverse("events:event_list")))
    return pages


def source_page():
    """The first source document's reading view (what /article/ redirects to), or their list."""
    from events.models import Article

    first = Article.objects.order_by("pk").first()
    if first is None:  # an archive without documents: their list, empty
        return Page("article", "source documents", reverse("sources:source_list"))
    return Page(
        "article", "first source document", reverse("sources:source_detail", args=[first.slug])
    )


def actor_filter_page(key, name, actor):
    if actor is None:
        return Page(key, name, None)
    url = reverse("events:event_list") + "?" + urlencode({"actor": actor.slug})
    return Page(key, f"{name} ({plural_events(actor.event_count)})", url)


def actor_page(key, name, actor):
    if actor is None:
        return Page(key, name, None)
    return Page(key, f"{name} ({plural_events(actor.event_count)})", actor.get_absolute_url())


def plural_events(count):
    return f"{count:,} event" + ("" if count == 1 else "s")


def measure_pages(pages):
    """Each page's status, SQL queries and HTML size, rendered in-process by the test client."""
    client = Client()
    return [{**asdict(page), **measure_page(client, page.url)} for page in pages]


def measure_page(client, url):
    if url is None:
        return {"status": None, "queries": None, "bytes": None, "error": "nothing to show"}
    # The first request pays one-off costs (templates, translations, per-process memos) that
    # a served page no longer pays; the second one is what every later reader costs.
    result = None
    for _attempt in range(2):
        result = measure_one_request(client, url)
        if result["error"]:
            break
    return result


def measure_one_request(client, url):
    error = response = None
    with CaptureQueriesContext(connection) as queries:
        try:
            response = client.get(url)
        except Exception as exc:  # the test client re-raises a view's exception: report it
            error = describe_exception(exc)
    if response is None:
        return {"status": 500, "queries": len(queries), "bytes": None, "error": error}
    return {
        "status": response.status_code,
        "queries": len(queries),
        "bytes": len(response.content),
        "error": None,
    }


def describe_exception(exc):
    """'Type: message (file:line in function)', from the innermost frame of the traceback."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = ""
    if frames:
        frame = frames[-1]
        path = Path(frame.filename)
        with contextlib.suppress(ValueError):
            path = path.relative_to(BASE_DIR)
        where = f" ({path}:{frame.lineno} in {frame.name})"
    message = str(exc).splitlines()[0] if str(exc) else ""
    return f"{type(exc).__name__}: {message}{where}"


def measure_current_database():
    """What the `--measure-into` helper subprocess writes: the database and every page."""
    from events.models import Event
    from people.models import Actor

    return {
        "vendor": connection.vendor,
        "version": database_version(),
        "events": Event.objects.count(),
        "actors": Actor.objects.count(),
        "pages": measure_pages(pick_pages()),
    }


def database_version():
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    if connection.vendor == "postgresql":
        connection.ensure_connection()
        number = connection.pg_version  # e.g. 150004
        return f"PostgreSQL {number // 10000}.{number % 10000}"
    return connection.vendor


def measure_into(path):
    """The `--measure-into` helper subprocess: run with the throwaway database's settings."""
    from django.test.utils import setup_test_environment

    setup_test_environment()  # lets the test client's 'testserver' host in
    Path(path).write_text(json.dumps(measure_current_database()))
