"""`/search/?q=`: one box across events, people, organisations and quotes.

Accent- and case-insensitive: queries are folded by `core.text`, and compared with folded
copies stored on each row. Events go through the full-text index (SQLite FTS5, PostgreSQL
tsvector), and their total is counted there; actors and quotes, far fewer, are matched on
their stored folded text. At most seven queries whatever the size of the data; each group
is cut at RESULTS_PER_GROUP and says so.
"""

import unicodedata
from dataclasses import dataclass, field

from django.db.models import Case, Q, Value, When
from django.views.generic import TemplateView

from core.text import highlight, name_key, search_terms, slug_key
from events.models import Event, Participation, Quote
from people.models import Actor, Alias

# A search box, not an essay: longer queries are cut (and the page says so).
MAX_QUERY_LENGTH = 200
RESULTS_PER_GROUP = 25
EXCERPT_LENGTH = 220


def clean_query(raw):
    """The query as typed, without control characters (PostgreSQL refuses NUL), capped."""
    text = "".join(c for c in raw or "" if unicodedata.category(c) != "Cc")
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH], len(text) > MAX_QUERY_LENGTH


@dataclass
class Hit:
    object: object
    title: str
    excerpt: str = ""
    extra: str = ""


@dataclass
class Group:
    key: str
    hits: list = field(default_factory=list)
    more: bool = False
    total: int | None = None  # known for events (the index counts them); else "25+"

    def __len__(self):
        return len(self.hits)

    @property
    def count_label(self):
        if self.total is not None:
            return str(self.total)
        return f"{len(self.hits)}+" if self.more else str(len(self.hits))


def cut(rows):
    """A group's rows, at most RESULTS_PER_GROUP, and whether there were more."""
    rows = list(rows[: RESULTS_PER_GROUP + 1])
    return rows[:RESULTS_PER_GROUP], len(rows) > RESULTS_PER_GROUP


def matching_actors(query, terms):
    """Actors matching every term (name, description, slug or an alias), named ones first.

    An actor is *named* by the query when the whole query is its name, one of its aliases
    (« Ilya ») or its slug, folded: that is the reader asking for this actor. Names and
    texts are compared in their stored folded form, so no row is folded per request.
    """
    whole = name_key(query)
    named = (
        Q(name_key=whole)
        | Q(slug=slug_key(query))
        | Q(pk__in=Alias.objects.filter(name_key=whole).values("actor"))
    )
    every_term = Q()
    for term in terms:
        every_term &= Q(search_text__contains=term) | Q(
            pk__in=Alias.objects.filter(name_key__contains=term).values("actor")
        )
    return (
        Actor.objects.for_list()
        .filter(named | every_term)
        .annotate(is_named=Case(When(named, then=Value(True)), default=Value(False)))
        .order_by("-is_named", "name", "pk")
    )


def search(query):
    terms = search_terms(query)
    actors = matching_actors(query, terms) if terms else Actor.objects.none()
    people, more_people = cut(actors.people())
    organisations, more_organisations = cut(actors.organisations())
    matching_events = Event.objects.matching_words(terms) if terms else Event.objects.none()
    named = [actor for actor in people + organisations if actor.is_named]
    mentions, more_mentions, mention_total = [], False, 0
    if named:
        # A query that names an actor (« sutskever ») lists that actor's events, as many as
        # the actor's box counts (some never write the name: « le conseil le licencie »),
        # then the other events whose text holds the words.
        theirs = Participation.objects.filter(actor__in=named).values("event_id")
        their_events = Event.objects.filter(pk__in=theirs)
        others = matching_events.exclude(pk__in=theirs)
        mentions, more_mentions = cut(others.chronological().select_related("claimed_by"))
        mention_total = others.count() if more_mentions else len(mentions)
        matching_events = their_events
    # With who a claim rests on, for the badge by each title (a join, no query per hit).
    events, more_events = cut(matching_events.chronological().select_related("claimed_by"))
    if not more_events:
        event_total = len(events)
    elif len(named) == 1:
        event_total = named[0].event_count  # kept on every write: no count over the events
    else:
        event_total = matching_events.count()
    quotes, more_quotes = cut(
        Quote.objects.for_page()
        .filter(
            *[Q(search_text__contains=term) | Q(speaker__name_key__contains=term) for term in terms]
        )
        .order_by("event__occurred_at", "position")
        if terms
        else Quote.objects.none()
    )

    def actor_hit(actor):
        aliases = ", ".join(f"« {alias.name} »" for alias in actor.aliases.all())
        return Hit(
            actor,
            highlight(actor.name, terms),
            highlight(actor.description, terms, EXCERPT_LENGTH),
            highlight(aliases, terms),
        )

    def event_hit(event):
        return Hit(
            event, highlight(event.title, terms), highlight(event.summary, terms, EXCERPT_LENGTH)
        )

    return {
        "terms": terms,
        "named": named,
        "groups": [
            Group("events", [event_hit(e) for e in events], more_events, event_total),
            Group("mentions", [event_hit(e) for e in mentions], more_mentions, mention_total),
            Group("people", [actor_hit(a) for a in people], more_people),
            Group("organisations", [actor_hit(a) for a in organisations], more_organisations),
            Group(
                "quotes",
                [
                    Hit(q, highlight(q.speaker.name, terms), highlight(q.text, terms, 400))
                    for q in quotes
                ],
                more_quotes,
            ),
        ],
    }


class SearchView(TemplateView):
    template_name = "newsarchive/search.html"
    translated_context = ("named", "hit_records")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query, truncated = clean_query(self.request.GET.get("q", ""))
        context.update(query=query, truncated=truncated, max_length=MAX_QUERY_LENGTH)
        if query:
            results = search(query)
            results["total"] = sum(group.total or len(group) for group in results["groups"])
            context.update(results)
            context["hit_records"] = [
                hit.object for group in results["groups"] for hit in group.hits
            ]
        return context
