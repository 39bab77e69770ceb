"""What the events list reads for a set of filters: a page of events, the total, the facets.

Three ways, chosen by the filters, so that no page's cost grows with the archive:

- no filter: the archive's facet counts, kept on write (events.counts), and the time index;
- one actor, maybe with a kind, a day or a claim: that actor's participations, which carry
  the event's sort key, kind, day and claim, read in order from an index; facets from the
  actor's kept counts, or counted over its (indexed) rows for a kind, a day or a claim;
- anything else (several actors, words, a source, a kind, a day or a claim alone): the
  filtered events, and each facet as one aggregate query over them, cut to the most
  frequent values.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, F

from core.dates import day_label
from people.models import Actor

from .models import Article, Claim, Event, EventKind, FacetCount, Participation
from .models.events import source_rows

# How many values a facet shows, and when the reader asks for more (?more=day or actor).
FACET_SIZE = 10
FACET_SIZE_MORE = 50


class ActorEvents:
    """One actor's events in list order, sliceable like a queryset, for the paginator: a
    slice reads the participations' index, then those few events by primary key."""

    def __init__(self, rows, count=None):
        self.rows, self._count = rows, count

    def count(self):
        if self._count is None:
            self._count = self.rows.count()
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        ids = list(self.rows.values_list("event_id", flat=True)[key])
        events = Event.objects.filter(pk__in=ids).for_list().in_bulk()
        return [events[pk] for pk in ids if pk in events]


@dataclass
class Listing:
    events: object
    count: int | None = None
    facets: dict = field(default_factory=dict)

    def facet_rows(self):
        """Each facet value with its `value` (as the filter takes it) and its `label`: one
        read for the list page (which adds its links) and for its JSON alike."""
        facets = self.facets
        kinds, claims = dict(EventKind.choices), dict(Claim.choices)
        # A list of days over several years says the year.
        with_year = len({row["day"].year for row in facets.get("day", [])}) > 1
        return {
            "day": [
                {
                    **row,
                    "value": row["day"].isoformat(),
                    "label": day_label(row["day"], with_year=with_year),
                }
                for row in facets.get("day", [])
            ],
            "kind": [
                {**row, "value": row["kind"], "label": kinds.get(row["kind"], row["kind"])}
                for row in facets.get("kind", [])
            ],
            "claim": [
                {**row, "value": row["claim"], "label": claims.get(row["claim"], row["claim"])}
                for row in facets.get("claim", [])
            ],
            "actor": [
                {**row, "value": row["actor__slug"], "label": row["actor__name"]}
                for row in facets.get("actor", [])
            ],
            "source": [
                # A document's title stays in its language.
                {**row, "value": row["slug"], "label": row["title"], "lang": row["language"]}
                for row in facets.get("source", [])
            ],
        }


def _kind_rows(rows):
    return sorted(rows, key=lambda row: (-row["count"], row["kind"]))


def _claim_rows(rows):
    return sorted(rows, key=lambda row: (-row["count"], row["claim"]))


def _kinds_and_claims(actor):
    """The kept kind and claim counts of the archive (actor None) or of one actor: both
    small facets in one query."""
    cells = FacetCount.objects.filter(actor=actor, facet__in=["kind", "claim"])
    kinds, claims = [], []
    for facet, value, count in cells.values_list("facet", "value", "count"):
        if facet == "kind":
            kinds.append({"kind": value, "count": count})
        else:
            claims.append({"claim": value, "count": count})
    return kinds, claims


def _split_kinds_and_claims(grouped):
    """Rows counted by (kind, claim) in one aggregate, summed into each facet."""
    kinds, claims = {}, {}
    for row in grouped:
        kinds[row["kind"]] = kinds.get(row["kind"], 0) + row["count"]
        claims[row["claim"]] = claims.get(row["claim"], 0) + row["count"]
    return (
        [{"kind": key, "count": n} for key, n in kinds.items()],
        [{"claim": key, "count": n} for key, n in claims.items()],
    )


def _day_rows(rows, size):
    top = sorted(rows, key=lambda row: (-row["count"], row["day"]))[:size]
    return sorted(top, key=lambda row: row["day"])


def _cells(actor, facet, size=None):
    tie = "other__name" if facet == "actor" else "value"
    cells = FacetCount.objects.filter(actor=actor, facet=facet).order_by("-count", tie)
    return cells[:size] if size else cells


def _actor_row(actor, count):
    return {
        "actor__slug": actor.slug,
        "actor__name": actor.name,
        "actor__kind": actor.kind,
        "count": count,
    }


def _archive_sources(size):
    """The source documents most cited, from the archive's kept counts, in one query."""
    rows = Article.objects.most_cited().values("slug", "title", "language", count=F("fact_count"))
    return list(rows[:size])


def archive_listing(descending, sizes, facets=True):
    order = ("-occurred_at", "-slug") if descending else ("occurred_at", "slug")
    if not facets:
        return Listing(events=Event.objects.for_list().order_by(*order))
    kinds, claims = _kinds_and_claims(None)
    days = [
        {"day": datetime.date.fromisoformat(c.value), "count": c.count}
        for c in _cells(None, "day", sizes["day"])
    ]
    actors = [_actor_row(a, a.event_count) for a in Actor.objects.most_involved()[: sizes["actor"]]]
    return Listing(
        events=Event.objects.for_list().order_by(*order),
        count=sum(row["count"] for row in kinds),
        facets={
            "kind": _kind_rows(kinds),
            "claim": _claim_rows(claims),
            "day": _day_rows(days, sizes["day"]),
            "actor": actors,
            "source": _archive_sources(FACET_SIZE),
        },
    )


def actor_listing(actor, kind, day, claim, descending, sizes, facets=True):
    rows = Participation.objects.of_actor(
        actor, kind=kind, day=day, claim=claim, descending=descending
    )
    if not facets:
        return Listing(events=ActorEvents(rows))
    if not kind and not day and not claim:
        kinds, claims = _kinds_and_claims(actor)
        days = [
            {"day": datetime.date.fromisoformat(c.value), "count": c.count}
            for c in _cells(actor, "day", sizes["day"])
        ]
        companions = [
            _actor_row(c.other, c.count)
            for c in _cells(actor, "actor", sizes["actor"] - 1).select_related("other")
        ]
        count = actor.event_count
    else:
        bare = rows.order_by()
        kinds, claims = _split_kinds_and_claims(
            bare.values("kind", "claim").annotate(count=Count("pk"))
        )
        days = list(
            bare.values("day").annotate(count=Count("pk")).order_by("-count")[: sizes["day"]]
        )
        companions = list(
            Participation.objects.filter(event_id__in=bare.values("event_id"))
            .exclude(actor=actor)
            .values("actor__slug", "actor__name", "actor__kind")
            .annotate(count=Count("pk"))
            .order_by("-count", "actor__name")[: sizes["actor"] - 1]
        )
        count = sum(row["count"] for row in kinds)
    return Listing(
        events=ActorEvents(rows, count),
        count=count,
        facets={
            "kind": _kind_rows(kinds),
            "claim": _claim_rows(claims),
            "day": _day_rows(days, sizes["day"]),
            # The chosen actor first, so its facet link removes it.
            "actor": [_actor_row(actor, count), *companions] if count else [],
            "source": source_rows(
                Event.passages.through.objects.filter(
                    event_id__in=rows.order_by().values("event_id")
                ),
                FACET_SIZE,
            ),
        },
    )


def filtered_listing(events, sizes, facets=True):
    if not facets:
        return Listing(events=events)
    kinds, claims = _split_kinds_and_claims(events.kind_and_claim_facet())
    return Listing(
        events=events,
        count=sum(row["count"] for row in kinds),  # every event has one kind: no COUNT(*)
        facets={
            "kind": _kind_rows(kinds),
            "claim": _claim_rows(claims),
            "day": events.day_facet(limit=sizes["day"]),
            "actor": events.actor_facet(limit=sizes["actor"]),
            "source": events.source_facet(limit=FACET_SIZE),
        },
    )


def listing_for(filterset, facets=True):
    """The listing of a valid EventFilterSet; with `facets` False, its events alone (no
    facets, no total: what a feed or a CSV export reads)."""
    data = filterset.form.cleaned_data
    actors, words = data.get("actor") or [], (data.get("q") or "").strip()
    descending = data.get("sort") == "desc"
    sizes = {
        facet: FACET_SIZE_MORE if data.get("more") == facet else FACET_SIZE
        for facet in ("day", "actor")
    }
    kind, day, claim = data.get("kind"), data.get("day"), data.get("claim")
    source = data.get("source")
    if not actors and not words and not kind and not day and not claim and not source:
        return archive_listing(descending, sizes, facets)
    if len(actors) == 1 and not words and not source:
        return actor_listing(actors[0], kind, day, claim, descending, sizes, facets)
    return filtered_listing(filterset.qs, sizes, facets)
