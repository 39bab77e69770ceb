"""JSON and CSV of the archive: the same filters, bounds and caching as the pages.

`/events.json` and `/events.csv` take exactly the query parameters of `/events/` (the same
FilterSet validates them) and read through the same listing (events.listing), so an export
costs what the page costs. The JSON pages with a keyset cursor (`next`): the cursor names
the last event shown, so the next page is an index read from there, at any depth. The CSV
streams the whole selection in keyset chunks, never holding it in memory.

`/sources.json` and `/sources.csv` list the source documents the same way (keyset on their
order of entry, the order of `/sources/`), each with its number of passages and of facts.
"""

import base64
import binascii
import csv
import datetime
import json

from django.db.models import (
    Count,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Subquery,
    Value,
    prefetch_related_objects,
)
from django.db.models import DateTimeField as DateTimeOutput
from django.http import JsonResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from events.filters import EventFilterSet
from events.listing import ActorEvents, listing_for
from events.models import Article, Event, Passage, Row, RowLessThan
from newsarchive.pages.search import clean_query, search
from people.actor_page import ActorPage
from people.models import Actor, Alias

from . import data

PAGE_SIZE = 50
CSV_CHUNK = 500
JSON_HEADERS = {"Access-Control-Allow-Origin": "*"}
CSV_COLUMNS = [
    "slug",
    "url",
    "occurred_at",
    "precision",
    "day",
    "kind",
    "section",
    "claim",
    "claimed_by",
    "title",
    "summary",
    "actors",
    "actor_names",
    "passages",
    "citations",
]
SOURCE_CSV_COLUMNS = [
    "slug",
    "url",
    "title",
    "outlet",
    "published_at",
    "precision",
    "language",
    "passage_count",
    "fact_count",
]


def json_response(payload, status=200):
    return JsonResponse(
        payload,
        status=status,
        headers=JSON_HEADERS,
        json_dumps_params={"ensure_ascii": False, "indent": 1},
    )


def bad_request(errors):
    """400 naming each bad parameter: {"error": "...", "errors": {"day": ["..."]}}."""
    return json_response(
        {"error": _("Paramètres invalides."), "errors": errors},
        status=400,
    )


def cited_passages():
    """Passages as exports cite them: number and source document's slug (a join)."""
    return (
        Passage.objects.select_related("article")
        .only("id", "number", "article__slug")
        .order_by("article_id", "number")
    )


def passage_numbers():
    return Prefetch("passages", queryset=cited_passages())


# The cursor: the sort key (time, slug) of the last event of a page, opaque to readers.
def encode_cursor(event):
    raw = json.dumps([event.occurred_at.isoformat(), event.slug]).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(text):
    try:
        padded = text + "=" * (-len(text) % 4)
        moment, slug = json.loads(base64.urlsafe_b64decode(padded.encode()))
        moment = datetime.datetime.fromisoformat(moment)
        if moment.tzinfo is None or not isinstance(slug, str) or len(slug) > 200:
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError, OverflowError):
        return None
    return moment, slug


def after(events, key, descending):
    """The events of a listing that come after `key` in its order (an index read)."""
    if key is None:
        return events
    moment, slug = key
    here = Row(Value(moment, output_field=DateTimeOutput()), Value(slug))
    if isinstance(events, ActorEvents):
        row = Row(F("occurred_at"), F("event_slug"))
        cond = RowLessThan(row, here) if descending else RowLessThan(here, row)
        return ActorEvents(events.rows.filter(cond))
    row = Row(F("occurred_at"), F("slug"))
    cond = RowLessThan(row, here) if descending else RowLessThan(here, row)
    return events.filter(cond)


class EventSelection:
    """The valid filters of a request to `/events.json` or `.csv`, or the errors to report."""

    def __init__(self, request):
        self.request = request
        self.filterset = EventFilterSet(data=request.GET, queryset=Event.objects.for_list())
        self.errors = {}
        if not self.filterset.is_valid():
            self.errors = {
                name: [str(message) for message in messages]
                for name, messages in self.filterset.form.errors.items()
            }
        self.cursor = None
        raw = request.GET.getlist("cursor")
        if len(raw) > 1:
            self.errors["cursor"] = [_("Une seule valeur à la fois pour ce filtre.")]
        elif raw:
            self.cursor = decode_cursor(raw[0])
            if self.cursor is None:
                self.errors["cursor"] = [_("Curseur invalide : reprenez le lien « next ».")]

    @property
    def descending(self):
        return self.filterset.form.cleaned_data.get("sort") == "desc"

    def listing(self, facets=True):
        return listing_for(self.filterset, facets)

    def page(self, events, size):
        rows = list(after(events, self.cursor, self.descending)[: size + 1])
        prefetch_related_objects(rows[:size], passage_numbers())
        return rows[:size], len(rows) > size

    def query(self, **changes):
        params = [(k, v) for k, vs in self.request.GET.lists() for v in vs if k not in changes]
        params += [(k, v) for k, v in changes.items() if v is not None]
        return urlencode(params)


class EventListData(View):
    """`/events.json`: a page of events, the total and the facets of the filters."""

    def get(self, request):
        selection = EventSelection(request)
        if selection.errors:
            return bad_request(selection.errors)
        listing = selection.listing()
        events, more = selection.page(listing.events, PAGE_SIZE)
        next_url = None
        if more:
            query = selection.query(cursor=encode_cursor(events[-1]))
            next_url = request.build_absolute_uri(f"{reverse('publishing:events_json')}?{query}")
        facets = listing.facet_rows()
        return json_response(
            {
                "total": listing.count,
                "count": len(events),
                "next": next_url,
                "html": request.build_absolute_uri(
                    f"{reverse('events:event_list')}?{selection.query(cursor=None)}".rstrip("?")
                ),
                "events": [data.event_summary(request, event) for event in events],
                "facets": {
                    "day": [
                        {"value": row["value"], "count": row["count"]} for row in facets["day"]
                    ],
                    "kind": [
                        {"value": row["value"], "label": str(row["label"]), "count": row["count"]}
                        for row in facets["kind"]
                    ],
                    "claim": [
                        {"value": row["value"], "count": row["count"]} for row in facets["claim"]
                    ],
                    "actor": [
                        {
                            "value": row["value"],
                            "name": row["actor__name"],
                            "kind": row["actor__kind"],
                            "count": row["count"],
                        }
                        for row in facets["actor"]
                    ],
                    "source": [
                        {"value": row["value"], "title": row["title"], "count": row["count"]}
                        for row in facets["source"]
                    ],
                },
            }
        )


def csv_attachment(rows, filename):
    """A CSV download streamed from `rows` (lines already written)."""
    response = StreamingHttpResponse(rows, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


class Echo:
    """A file-like object whose write() hands back the line: csv.writer for streaming."""

    def write(self, value):
        return value


class EventListCSV(View):
    """`/events.csv`: every event of the filters, one row each, streamed in keyset chunks."""

    def get(self, request):
        selection = EventSelection(request)
        if selection.errors:
            return bad_request(selection.errors)
        return csv_attachment(self.rows(request, selection), "events.csv")

    def rows(self, request, selection):
        writer = csv.writer(Echo())
        yield "\ufeff"  # a byte-order mark, so spreadsheets read the accents as UTF-8
        yield writer.writerow(CSV_COLUMNS)
        events = selection.listing(facets=False).events
        key = selection.cursor
        while True:
            chunk = list(after(events, key, selection.descending)[:CSV_CHUNK])
            if not chunk:
                return
            prefetch_related_objects(chunk, passage_numbers())
            for event in chunk:
                row = data.event_summary(request, event)
                yield writer.writerow(
                    [
                        row["slug"],
                        row["url"],
                        row["occurred_at"],
                        row["precision"],
                        row["day"],
                        row["kind"],
                        row["section"],
                        row["claim"],
                        row["claimed_by"]["slug"] if row["claimed_by"] else "",
                        row["title"],
                        row["summary"],
                        ";".join(f"{a['slug']}:{a['part']}" for a in row["actors"]),
                        ";".join(a["name"] for a in row["actors"]),
                        ";".join(str(number) for number in row["passages"]),
                        ";".join(f"{c['source']}:{c['passage']}" for c in row["citations"]),
                    ]
                )
            if len(chunk) < CSV_CHUNK:
                return
            key = (chunk[-1].occurred_at, chunk[-1].slug)


class EventData(View):
    """`/events/<slug>.json`: one event with its account, quotes, sources and neighbours."""

    def get(self, request, slug):
        event = (
            Event.objects.for_detail()
            .prefetch_related(
                Prefetch("quotes__passages", queryset=cited_passages()),
            )
            .filter(slug=slug)
            .first()
        )
        if event is None:
            return not_found()
        previous, following = Event.objects.neighbours(event)
        return json_response(data.event_detail(request, event, previous, following))


class ActorData(View):
    """`/people/<slug>.json` and `/organisations/<slug>.json`: the actor, roles, events and
    quotes, each cut where the page cuts it (the events list pages through the rest)."""

    kind = None

    def get(self, request, slug):
        actors = Actor.objects.filter(kind=self.kind).prefetch_related(
            Prefetch("aliases", queryset=Alias.objects.order_by("name"))
        )
        actor = actors.select_related("parent").filter(slug=slug).first()
        if actor is None:
            return not_found()
        page = ActorPage(actor)
        events = Event.objects.for_list().in_bulk([p.event_id for p in page.participations])
        shown = [events[p.event_id] for p in page.participations if p.event_id in events]
        prefetch_related_objects(shown, passage_numbers())
        events_json = f"{reverse('publishing:events_json')}?{urlencode({'actor': actor.slug})}"
        payload = {
            **data.actor_ref(request, actor),
            "json": request.build_absolute_uri(request.path),
            "description": actor.description,
            "aliases": [alias.name for alias in actor.aliases.all()],
            "event_count": actor.event_count,
            "roles": [data.role_data(request, role) for role in page.roles],
            "roles_truncated": page.more_roles,
            "events": [data.event_summary(request, event) for event in shown],
            "all_events": request.build_absolute_uri(events_json),
            "quotes": [data.quote_data(request, quote) for quote in page.quotes],
            "quotes_truncated": page.more_quotes,
        }
        if not actor.is_person:
            payload["organisation_kind"] = actor.organisation_kind
            payload["parent"] = data.actor_ref(request, actor.parent) if actor.parent else None
        return json_response(payload)


class PersonData(ActorData):
    kind = Actor.Kind.PERSON


class OrganisationData(ActorData):
    kind = Actor.Kind.ORGANISATION


class SearchData(View):
    """`/search.json?q=`: the groups of `/search/`, as data."""

    def get(self, request):
        values = request.GET.getlist("q")
        if len(values) > 1:
            return bad_request({"q": [_("Une seule valeur à la fois pour ce filtre.")]})
        query, truncated = clean_query(values[0] if values else "")
        payload = {"q": query, "truncated": truncated, "groups": {}}
        if not query:
            return json_response(payload)
        results = search(query)
        for group in results["groups"]:
            payload["groups"][group.key] = {
                "total": group.total if group.total is not None else len(group),
                "more": group.more,
                "results": [self.hit(request, group.key, hit.object) for hit in group.hits],
            }
        return json_response(payload)

    @staticmethod
    def hit(request, key, obj):
        if key in ("events", "mentions"):
            return {
                "slug": obj.slug,
                "title": obj.title,
                "summary": obj.summary,
                "occurred_at": data.local(obj.occurred_at).isoformat(),
                "precision": obj.precision,
                "url": request.build_absolute_uri(obj.get_absolute_url()),
            }
        if key == "quotes":
            return {
                "slug": obj.slug,
                "text": obj.text,
                "speaker": data.actor_ref(request, obj.speaker),
                "event": obj.event.slug,
                "url": request.build_absolute_uri(obj.event.get_absolute_url()),
            }
        return {
            **data.actor_ref(request, obj),
            "description": obj.description,
            "aliases": [alias.name for alias in obj.aliases.all()],
        }


def source_documents():
    """Every source document in the order of `/sources/`, with its passages and facts counted
    (each count a read of one document's rows on an index)."""
    passages = (
        Passage.objects.filter(article=OuterRef("pk"))
        .order_by()
        .values("article")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Article.objects.for_index().annotate(
        passage_count=Subquery(passages, output_field=IntegerField())
    )


def source_cursor(request):
    """The key (a primary key) after which to list source documents, or the errors."""
    raw = request.GET.getlist("cursor")
    if len(raw) > 1:
        return None, {"cursor": [_("Une seule valeur à la fois pour ce filtre.")]}
    if not raw:
        return None, {}
    try:
        padded = raw[0] + "=" * (-len(raw[0]) % 4)
        (key,) = json.loads(base64.urlsafe_b64decode(padded.encode()))
        if not isinstance(key, int) or isinstance(key, bool) or not 0 <= key < 2**63:
            raise ValueError
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None, {"cursor": [_("Curseur invalide : reprenez le lien « next ».")]}
    return key, {}


def encode_source_cursor(article):
    return base64.urlsafe_b64encode(json.dumps([article.pk]).encode()).decode().rstrip("=")


def sources_after(key):
    sources = source_documents()
    return sources if key is None else sources.filter(pk__gt=key)


class SourceListData(View):
    """`/sources.json`: the source documents, a page of 50 at a time (`next`)."""

    def get(self, request):
        key, errors = source_cursor(request)
        if errors:
            return bad_request(errors)
        rows = list(sources_after(key)[: PAGE_SIZE + 1])
        shown, more = rows[:PAGE_SIZE], len(rows) > PAGE_SIZE
        next_url = None
        if more:
            query = urlencode({"cursor": encode_source_cursor(shown[-1])})
            next_url = request.build_absolute_uri(f"{reverse('publishing:sources_json')}?{query}")
        return json_response(
            {
                "total": Article.objects.count(),
                "count": len(shown),
                "next": next_url,
                "html": request.build_absolute_uri(reverse("sources:source_list")),
                "sources": [data.source_document(request, article) for article in shown],
            }
        )


class SourceListCSV(View):
    """`/sources.csv`: every source document, one row each, streamed in keyset chunks."""

    def get(self, request):
        key, errors = source_cursor(request)
        if errors:
            return bad_request(errors)
        return csv_attachment(self.rows(request, key), "sources.csv")

    def rows(self, request, key):
        writer = csv.writer(Echo())
        yield "\ufeff"
        yield writer.writerow(SOURCE_CSV_COLUMNS)
        while True:
            chunk = list(sources_after(key)[:CSV_CHUNK])
            for article in chunk:
                row = data.source_document(request, article)
                yield writer.writerow(
                    ["" if row[c] is None else row[c] for c in SOURCE_CSV_COLUMNS]
                )
            if len(chunk) < CSV_CHUNK:
                return
            key = chunk[-1].pk


def not_found():
    return json_response({"error": _("Aucune page à cette adresse.")}, status=404)
