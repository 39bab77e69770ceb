"""Events and the named reads the pages make of them."""

from django.db import connections, models
from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.utils.translation import gettext_lazy as _

from core.dates import story_timezone
from core.derived import (
    DerivedColumnsModel,
    DerivedDateField,
    DerivedTextField,
)
from core.links import slug_url
from core.models import DerivedQuerySet, SlugManager, related
from core.text import fold
from people.models import Actor, Precision

from .choices import Claim, EventKind, Section, claimant_iff_attributed
from .expressions import SQLITE_FTS_TABLE, Row, RowLessThan, TextSearchMatch, word_tokens, words
from .provenance import Passage, Source


def source_rows(citations, limit=None):
    """`citations` (rows of the event–passage table) counted by source document: rows
    {"slug", "title", "language", "count"}, most cited first."""
    rows = (
        citations.order_by()
        .values("passage__article__slug", "passage__article__title", "passage__article__language")
        .annotate(count=Count("event", distinct=True))
        .order_by("-count", "passage__article__title")
    )
    return [
        {
            "slug": row["passage__article__slug"],
            "title": row["passage__article__title"],
            "language": row["passage__article__language"],
            "count": row["count"],
        }
        for row in (rows[:limit] if limit else rows)
    ]


class EventQuerySet(DerivedQuerySet):
    def chronological(self):
        return self.order_by("occurred_at", "slug")

    def for_list(self):
        """What a list or timeline shows: the event and its actors, in two queries, without
        the long columns no list shows."""
        return (
            self.defer("search_text")
            # The claim badge names who the claim rests on: a join, not a query per card.
            .select_related("claimed_by")
            .prefetch_related(
                Prefetch(
                    "participations",
                    # Each participant's own claim is a join too, not a query per card.
                    queryset=related(self.model, "participations")
                    .objects.select_related("actor", "part_claimed_by")
                    .only(
                        "event",
                        "part",
                        "part_claim",
                        "actor__name",
                        "actor__slug",
                        "actor__kind",
                        "part_claimed_by__name",
                        "part_claimed_by__slug",
                        "part_claimed_by__kind",
                    )
                    .order_by("actor__name"),
                )
            )
        )

    def for_detail(self):
        return self.for_list().prefetch_related(
            Prefetch(
                "quotes",
                queryset=related(self.model, "quotes")
                .objects.select_related("speaker", "source", "source__outlet")
                .prefetch_related(Prefetch("passages", queryset=Passage.objects.for_links())),
            ),
            Prefetch("passages", queryset=Passage.objects.for_links()),
            Prefetch("sources", queryset=Source.objects.select_related("outlet", "author")),
        )

    def involving(self, actors, match_all=False):
        """Events in which any (or, with match_all, every) one of `actors` takes part."""
        actors = list(actors)
        if not actors:
            return self
        if match_all:
            return self.filter(
                pk__in=related(self.model, "participations")
                .objects.filter(actor__in=actors)
                .values("event")
                .annotate(n=Count("actor", distinct=True))
                .filter(n=len(actors))
                .values("event")
            )
        return self.filter(
            pk__in=related(self.model, "participations")
            .objects.filter(actor__in=actors)
            .values("event")
        )

    def for_home(self, first_day, last_day, per_day):
        """The events of the days from `first_day` to `last_day`, the first `per_day` of each."""
        rank = Window(RowNumber(), partition_by=F("day"), order_by=[F("occurred_at"), F("slug")])
        return (
            self.for_list()
            .filter(day__gte=first_day, day__lte=last_day)
            .annotate(rank=rank)
            .filter(rank__lte=per_day)
            .chronological()
        )

    def latest_day(self):
        return self.order_by("-day").values_list("day", flat=True).first()

    def neighbours(self, event):
        """The events just before and just after `event` in time (ties broken by slug).

        A row comparison on (occurred_at, slug) walks the index from `event` in either
        direction and stops at the first row, whatever the size of the archive."""
        key = Row(F("occurred_at"), F("slug"))
        here = Row(Value(event.occurred_at, output_field=models.DateTimeField()), Value(event.slug))
        previous = self.filter(RowLessThan(key, here)).order_by("-occurred_at", "-slug")
        following = self.filter(RowLessThan(here, key)).order_by("occurred_at", "slug")
        # Both in one query (each side still an index walk that stops at its first row), so
        # the event page has room for its accounts within the same budget.
        rows = (
            self.filter(
                Q(pk=models.Subquery(previous.values("pk")[:1]))
                | Q(pk=models.Subquery(following.values("pk")[:1]))
            )
            .select_related("claimed_by")
            .only("slug", "title", "occurred_at", "precision", "claim", "claimed_by__name")
        )
        before = after = None
        for row in rows:
            if (row.occurred_at, row.slug) < (event.occurred_at, event.slug):
                before = row
            else:
                after = row
        return before, after

    def matching_words(self, terms):
        """Events whose title, summary or account hold every word of `terms` (folded search
        terms), as a word or the start of one, through the full-text index."""
        tokens = word_tokens(terms)
        if not tokens:
            return self.none()
        vendor = connections[self.db].vendor
        if vendor == "sqlite":
            return self.filter(pk__in=self._sqlite_word_ids(tokens))
        if vendor == "postgresql":
            query = " & ".join(f"'{token}':*" for token in tokens)
            return self.filter(TextSearchMatch(F("search_text"), Value(query)))
        for token in tokens:  # other databases: a scan, same meaning for plain words
            self = self.filter(search_text__contains=token)
        return self

    def matching_word_ids(self, terms):
        """The ids of `matching_words(terms)`, for a `pk__in` (or a foreign key's `__in`): on
        SQLite the full-text index's own rowids, without reading a row of the events (a
        subquery over the events would look each match up in their wide table)."""
        tokens = word_tokens(terms)
        if tokens and connections[self.db].vendor == "sqlite":
            return self._sqlite_word_ids(tokens)
        return self.matching_words(terms).values("pk")

    @staticmethod
    def _sqlite_word_ids(tokens):
        query = " AND ".join(f'"{token}"*' for token in tokens)
        return RawSQL(
            f"SELECT rowid FROM {SQLITE_FTS_TABLE} WHERE {SQLITE_FTS_TABLE} MATCH %s", [query]
        )

    # Facets: each is one aggregate query over the events of `self` (the current filter).
    # The view reads the unfiltered and one-actor facets from FacetCount instead.
    def _bare(self):
        return self.prefetch_related(None).order_by()

    def actor_facet(self, limit=None):
        """The actors of these events, most frequent first: counted by actor id alone (one
        participation per event and actor), then only the shown ones are named."""
        counts = (
            related(self.model, "participations")
            .objects.filter(event__in=self._bare().values("pk"))
            .values("actor")
            .annotate(count=Count("pk"))
            .order_by("-count", "actor")
        )
        counts = list(counts[:limit] if limit else counts)
        actors = Actor.objects.only("slug", "name", "kind").in_bulk(
            [row["actor"] for row in counts]
        )
        rows = [
            {
                "actor__slug": actors[row["actor"]].slug,
                "actor__name": actors[row["actor"]].name,
                "actor__kind": actors[row["actor"]].kind,
                "count": row["count"],
            }
            for row in counts
        ]
        return sorted(rows, key=lambda row: (-row["count"], row["actor__name"]))

    def day_facet(self, limit=None):
        rows = self._bare().values("day").annotate(count=Count("pk"))
        if limit:
            return sorted(rows.order_by("-count", "-day")[:limit], key=lambda row: row["day"])
        return rows.order_by("day")

    def citing(self, article):
        """Events that cite at least one passage of the source document `article`."""
        return self.filter(
            pk__in=self.model.passages.through.objects.filter(passage__article=article).values(
                "event_id"
            )
        )

    def source_facet(self, limit=None):
        """The source documents these events cite, with how many of them cite each, most
        cited first (one aggregate over their citations, joined to the few documents)."""
        return source_rows(
            self.model.passages.through.objects.filter(event__in=self._bare().values("pk")),
            limit,
        )

    def kind_and_claim_facet(self):
        # Two small facets (a dozen kinds, four claims) from one aggregate.
        return self._bare().values("kind", "claim").annotate(count=Count("pk")).order_by()

    def on_day(self, day):
        """Events of a calendar day in the story's time zone (San Francisco)."""
        return self.filter(day=day)


class Event(DerivedColumnsModel):
    Kind = EventKind

    Section = Section

    Claim = Claim

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    summary = models.TextField(_("résumé"))
    body = models.TextField(_("récit"), blank=True)
    occurred_at = models.DateTimeField(_("date et heure"))
    precision = models.CharField(_("précision"), max_length=20, choices=Precision.choices)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    section = models.CharField(_("partie de l'article"), max_length=20, choices=Section.choices)
    passages = models.ManyToManyField(
        Passage, verbose_name=_("passages"), related_name="events", blank=True
    )
    sources = models.ManyToManyField(
        Source, verbose_name=_("sources"), related_name="events", blank=True
    )
    # How sure the story is of it, and on whose word: « selon Bloomberg », « accusation de
    # Greg Brockman ». Plain fields (a code and a foreign key) so exports can carry them.
    claim = models.CharField(
        _("statut"), max_length=20, choices=Claim.choices, default=Claim.ESTABLISHED
    )
    claimed_by = models.ForeignKey(
        Actor,
        verbose_name=_("selon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claims",
        help_text=_("Qui l’affirme : obligatoire pour « rapporté » et « allégué », vide sinon."),
    )
    # check_story rejects an established event whose passages hedge (« aurait », « selon »…)
    # unless the editor says here why the hedge is not about this fact.
    claim_note = models.TextField(
        _("justification du statut"),
        blank=True,
        help_text=_(
            "Pourquoi le statut tient alors qu’un passage cité est au conditionnel ou attribué."
        ),
    )
    # Derived on every write (core.derived), never edited nor dumped: the calendar day in
    # San Francisco, stored so that filtering and counting by day read an index, and the
    # folded text the full-text index is built on.
    day = DerivedDateField(_("jour (Pacifique)"), derive="derive_day")
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["occurred_at", "slug"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [
            models.Index(fields=["occurred_at", "slug"], name="event_occurred_idx"),
            models.Index(fields=["kind", "occurred_at"], name="event_kind_idx"),
            models.Index(fields=["day", "occurred_at", "slug"], name="event_day_idx"),
            models.Index(fields=["claim", "occurred_at", "slug"], name="event_claim_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(
                condition=Q(precision__in=Precision.values),
                name="event_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(section__in=Section.values), name="event_section_valid"
            ),
            models.CheckConstraint(condition=Q(claim__in=Claim.values), name="event_claim_valid"),
            claimant_iff_attributed("claim", "claimed_by", name="event_claimed_by_iff_attributed"),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.passage", "events.source", "people.actor"]

    def get_absolute_url(self):
        return slug_url("events:event_detail", self.slug)

    @property
    def claim_label(self):
        return Claim(self.claim).label if self.claim in Claim.values else self.claim

    @property
    def is_established(self):
        return self.claim == Claim.ESTABLISHED

    def derive_day(self):
        return self.occurred_at.astimezone(story_timezone()).date()

    def derive_search_text(self):
        # Folded words only: SQLite's and PostgreSQL's tokenizers then see the same words
        # (PostgreSQL would drop « <script> » as markup, and split others its own way).
        return " ".join(words(fold(f"{self.title} {self.summary} {self.body}")))

    def copy_to_participations(self):
        # The plain QuerySet.update: the caller (events.counts) recounts what this moves, so
        # the "bulk written, rebuild every count" signal of DerivedQuerySet.update is skipped.
        models.QuerySet.update(
            self.participations.all(),
            occurred_at=self.occurred_at,
            event_slug=self.slug,
            kind=self.kind,
            day=self.day,
            claim=self.claim,
        )

    @property
    def local_time(self):
        return self.occurred_at.astimezone(story_timezone())

    @property
    def kind_label(self):
        # get_kind_display() rebuilds (and hashes) the whole choices dict on every call.
        return EventKind(self.kind).label if self.kind in EventKind.values else self.kind
