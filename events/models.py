"""What happened: the article and its passages, sources, events, participations and quotes.

`events` builds on `people`. Facts kept in `people` that need something from here (a role's
citing passages, the events that began and ended it) are declared here, in `RoleEvidence`,
so `people` never points up.
"""

import datetime
import re

from django.db import connections, models
from django.db.models import (
    BooleanField,
    Count,
    F,
    Func,
    Max,
    Min,
    Prefetch,
    Q,
    Sum,
    Value,
    Window,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.dates import story_timezone
from people.derived import (
    DerivedCharField,
    DerivedColumnsModel,
    DerivedDateField,
    DerivedDateTimeField,
    DerivedSlugField,
    DerivedTextField,
)
from people.links import slug_url
from people.models import Actor, DerivedQuerySet, Precision, Role
from people.text import fold

# The full-text index over Event.search_text (created by migration 0003): an FTS5 table on
# SQLite, an expression GIN index on PostgreSQL.
SQLITE_FTS_TABLE = "events_event_fts"


class TextSearchMatch(Func):
    """PostgreSQL: a text matches a tsquery, written as the GIN index's expression so the
    planner can use the index."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        text, text_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"to_tsvector('simple'::regconfig, {text}) @@ to_tsquery('simple'::regconfig, {query})"
        )
        return sql, (*text_params, *query_params)


class Row(Func):
    """A row value, `(a, b)`, for comparisons an index on (a, b) can serve."""

    function = ""
    template = "(%(expressions)s)"


class RowLessThan(Func):
    arg_joiner = " < "
    template = "%(expressions)s"
    output_field = BooleanField()


def words(text):
    """The indexable words of a folded text: « d'openai » is "d" and "openai"."""
    return re.findall(r"[^\W_]+", text)


def word_tokens(terms):
    """The distinct words of folded search terms, in order."""
    return list(dict.fromkeys(word for term in terms for word in words(term)))


class SlugManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Article(models.Model):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    note = models.TextField(_("note"), blank=True)

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("article")


class PassageManager(models.Manager):
    def get_by_natural_key(self, article_slug, number):
        return self.get(article__slug=article_slug, number=number)


class PassageQuerySet(models.QuerySet):
    def story(self):
        return self.exclude(kind=Passage.Kind.FURNITURE)

    def for_reading(self):
        """The article page: passages in order with what was drawn from each, in 4 queries."""
        return self.order_by("number").prefetch_related(
            Prefetch("events", queryset=Event.objects.order_by("occurred_at", "slug")),
            Prefetch("quotes", queryset=Quote.objects.select_related("speaker", "event")),
            Prefetch(
                "roles",
                queryset=RoleEvidence.objects.select_related("role__person", "role__organisation"),
            ),
        )


class Passage(models.Model):
    """One paragraph of the source article, in reading order: the provenance of every fact."""

    class Kind(models.TextChoices):
        TITLE = "title", _("titre")
        HEADING = "heading", _("intertitre")
        PARAGRAPH = "paragraph", _("paragraphe")
        QUOTE = "quote", _("citation")
        # Page furniture of the capture: links to other articles, the comment prompt.
        FURNITURE = "furniture", _("habillage de la page")

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="passages"
    )
    number = models.PositiveIntegerField(_("numéro"))
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PARAGRAPH)
    text = models.TextField(_("texte"))

    objects = PassageManager.from_queryset(PassageQuerySet)()

    class Meta:
        ordering = ["article", "number"]
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        constraints = [
            models.UniqueConstraint(fields=["article", "number"], name="passage_unique_number"),
            models.CheckConstraint(condition=Q(number__gte=1), name="passage_number_positive"),
        ]

    def __str__(self):
        return f"§{self.number} {self.text[:60]}"

    def natural_key(self):
        return (*self.article.natural_key(), self.number)

    natural_key.dependencies = ["events.article"]

    def get_absolute_url(self):
        return f"{reverse('article')}#p{self.number}"


class Source(models.Model):
    """What the article cites. No URL is stored: the article gives none."""

    class Kind(models.TextChoices):
        TWEET = "tweet", _("tweet ou fil de tweets")
        POST = "post", _("publication en ligne")
        BLOG_POST = "blog_post", _("article de blog")
        MEMO = "memo", _("communication interne")
        EMAIL = "email", _("e-mail")
        PRESS_REPORT = "press_report", _("article de presse")
        STATEMENT = "statement", _("déclaration")
        OPEN_LETTER = "open_letter", _("lettre ouverte")
        MESSAGE = "message", _("message au personnel")
        NOTICE = "notice", _("annonce officielle")

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    outlet = models.ForeignKey(
        Actor,
        verbose_name=_("média ou organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="published_sources",
        limit_choices_to={"kind": "organisation"},
    )
    author = models.ForeignKey(
        Actor,
        verbose_name=_("auteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="authored_sources",
    )
    description = models.TextField(_("description"), blank=True)
    passages = models.ManyToManyField(
        Passage, verbose_name=_("passages"), blank=True, related_name="sources"
    )

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["people.actor", "events.passage"]


class EventKind(models.TextChoices):
    MESSAGE = "message", _("message")
    MEETING = "meeting", _("réunion")
    FIRING = "firing", _("licenciement")
    DEMOTION = "demotion", _("rétrogradation")
    APPOINTMENT = "appointment", _("nomination")
    RESIGNATION = "resignation", _("démission")
    STATEMENT = "statement", _("déclaration")
    ANNOUNCEMENT = "announcement", _("annonce")
    REPORT = "report", _("révélation de presse")
    LETTER = "letter", _("lettre")
    HIRE = "hire", _("embauche")
    PRESSURE = "pressure", _("pression")
    POST = "post", _("publication")
    # For what the article says happened without saying how (« en a été informée »).
    INFORMED = "informed", _("mise au courant")
    TURN = "turn", _("revirement")
    DEADLINE = "deadline", _("échéance")


class Section(models.TextChoices):
    BEGINNING = "beginning", _("Comment ça a commencé")
    NOW = "now", _("Comment ça va")


class Part(models.TextChoices):
    INITIATOR = "initiator", _("à l'initiative")
    TARGET = "target", _("visé")
    ANNOUNCER = "announcer", pgettext_lazy("part in an event", "annonce")
    PARTICIPANT = "participant", _("participe")
    RECIPIENT = "recipient", _("destinataire")
    AUTHOR = "author", _("auteur")
    WITNESS = "witness", _("témoin")
    MENTIONED = "mentioned", _("mentionné")


class Claim(models.TextChoices):
    """How sure the archive is of an event, as the article tells it (fixtures/README.md)."""

    # The article states it in its own voice, or it is public (a post, a letter, a statement).
    ESTABLISHED = "established", _("établi")
    # The article relays a named source's account: an outlet, a journalist, a participant.
    REPORTED = "reported", _("rapporté")
    # A party to the story accuses or asserts it against another party.
    ALLEGED = "alleged", _("allégué")
    # Told in the conditional with no named source (« aurait déclaré »).
    UNCONFIRMED = "unconfirmed", _("non confirmé")


# Who a claim rests on must be named for these, and only for these.
CLAIMS_WITH_CLAIMANT = [Claim.REPORTED, Claim.ALLEGED]


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
                    queryset=Participation.objects.select_related("actor", "part_claimed_by")
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
                queryset=Quote.objects.select_related(
                    "speaker", "source", "source__outlet"
                ).prefetch_related("passages"),
            ),
            Prefetch("passages", queryset=Passage.objects.order_by("number")),
            Prefetch("sources", queryset=Source.objects.select_related("outlet", "author")),
        )

    def involving(self, actors, match_all=False):
        """Events in which any (or, with match_all, every) one of `actors` takes part."""
        actors = list(actors)
        if not actors:
            return self
        if match_all:
            return self.filter(
                pk__in=Participation.objects.filter(actor__in=actors)
                .values("event")
                .annotate(n=Count("actor", distinct=True))
                .filter(n=len(actors))
                .values("event")
            )
        return self.filter(pk__in=Participation.objects.filter(actor__in=actors).values("event"))

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
            query = " AND ".join(f'"{token}"*' for token in tokens)
            return self.filter(
                pk__in=RawSQL(
                    f"SELECT rowid FROM {SQLITE_FTS_TABLE} WHERE {SQLITE_FTS_TABLE} MATCH %s",
                    [query],
                )
            )
        if vendor == "postgresql":
            query = " & ".join(f"'{token}':*" for token in tokens)
            return self.filter(TextSearchMatch(F("search_text"), Value(query)))
        for token in tokens:  # other databases: a scan, same meaning for plain words
            self = self.filter(search_text__contains=token)
        return self

    # Facets: each is one aggregate query over the events of `self` (the current filter).
    # The view reads the unfiltered and one-actor facets from FacetCount instead.
    def _bare(self):
        return self.prefetch_related(None).order_by()

    def actor_facet(self, limit=None):
        """The actors of these events, most frequent first: counted by actor id alone (one
        participation per event and actor), then only the shown ones are named."""
        counts = (
            Participation.objects.filter(event__in=self._bare().values("pk"))
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

    def kind_facet(self):
        return self._bare().values("kind").annotate(count=Count("pk")).order_by("-count", "kind")

    def claim_facet(self):
        return self._bare().values("claim").annotate(count=Count("pk")).order_by("-count", "claim")

    def kind_and_claim_facet(self):
        # Two small facets (a dozen kinds, four claims) from one aggregate.
        return self._bare().values("kind", "claim").annotate(count=Count("pk")).order_by()

    def with_claim(self, claim):
        return self.filter(claim=claim)

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
    # Derived on every write (people.derived), never edited nor dumped: the calendar day in
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
            # « Selon qui ? » has an answer exactly when the claim rests on someone's word.
            models.CheckConstraint(
                condition=(Q(claim__in=CLAIMS_WITH_CLAIMANT) & Q(claimed_by__isnull=False))
                | (~Q(claim__in=CLAIMS_WITH_CLAIMANT) & Q(claimed_by__isnull=True)),
                name="event_claimed_by_iff_attributed",
            ),
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


class ParticipationQuerySet(DerivedQuerySet):
    def of_actor(self, actor, kind=None, day=None, claim=None, descending=False):
        """One actor's participations in the events list's order, from an index."""
        rows = self.filter(actor=actor)
        if kind:
            rows = rows.filter(kind=kind)
        if day:
            rows = rows.filter(day=day)
        if claim:
            rows = rows.filter(claim=claim)
        order = ("-occurred_at", "-event_slug") if descending else ("occurred_at", "event_slug")
        return rows.order_by(*order)


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, event_slug, actor_slug):
        return self.get(event__slug=event_slug, actor__slug=actor_slug)


class Participation(DerivedColumnsModel):
    Part = Part

    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("acteur"), on_delete=models.PROTECT, related_name="participations"
    )
    part = models.CharField(_("rôle dans l'événement"), max_length=20, choices=Part.choices)
    # How the article supports this actor's part, which may be weaker than the event itself
    # (Nadella « aurait mené cette charge »). `claim` below is the event's, copied for facets.
    part_claim = models.CharField(
        _("statut de la participation"),
        max_length=20,
        choices=Claim.choices,
        default=Claim.ESTABLISHED,
    )
    part_claimed_by = models.ForeignKey(
        Actor,
        verbose_name=_("participation selon"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participation_claims",
        help_text=_("Qui l’affirme : obligatoire pour « rapporté » et « allégué », vide sinon."),
    )
    # The event's sort key, kind and day, copied here on every write (people.derived) and
    # when the event changes (events.counts), so one actor's events are read in order, by kind or by
    # day straight from an index on this table, however many events the actor has.
    occurred_at = DerivedDateTimeField(derive="derive_occurred_at")
    event_slug = DerivedSlugField(max_length=200, derive="derive_event_slug")
    kind = DerivedCharField(max_length=20, derive="derive_kind")
    day = DerivedDateField(derive="derive_day")
    # The event's claim, copied like its kind, for one actor's claim facet and filter.
    claim = DerivedCharField(max_length=20, default=Claim.ESTABLISHED, derive="derive_claim")

    objects = ParticipationManager.from_queryset(ParticipationQuerySet)()

    class Meta:
        ordering = ["event", "actor__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["event", "actor"], name="participation_unique_actor"),
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="participation_part_valid"
            ),
            models.CheckConstraint(
                condition=Q(part_claim__in=Claim.values), name="participation_claim_valid"
            ),
            models.CheckConstraint(
                condition=(
                    Q(part_claim__in=CLAIMS_WITH_CLAIMANT) & Q(part_claimed_by__isnull=False)
                )
                | (~Q(part_claim__in=CLAIMS_WITH_CLAIMANT) & Q(part_claimed_by__isnull=True)),
                name="participation_claimed_by_iff_attributed",
            ),
        ]
        indexes = [
            models.Index(fields=["actor", "event"], name="participation_actor_idx"),
            models.Index(
                fields=["actor", "occurred_at", "event_slug"], name="participation_time_idx"
            ),
            models.Index(
                fields=["actor", "kind", "occurred_at", "event_slug"],
                name="participation_kind_idx",
            ),
            models.Index(
                fields=["actor", "day", "occurred_at", "event_slug"],
                name="participation_day_idx",
            ),
            models.Index(
                fields=["actor", "claim", "occurred_at", "event_slug"],
                name="participation_claim_idx",
            ),
        ]

    def __str__(self):
        return f"{self.actor} ({self.get_part_display()}) — {self.event}"

    def natural_key(self):
        return (*self.event.natural_key(), *self.actor.natural_key())

    natural_key.dependencies = ["events.event", "people.actor"]

    def derive_occurred_at(self):
        return self.event.occurred_at

    def derive_event_slug(self):
        return self.event.slug

    def derive_kind(self):
        return self.event.kind

    def derive_day(self):
        return self.event.derive_day()

    def derive_claim(self):
        return self.event.claim


class QuoteQuerySet(DerivedQuerySet):
    def for_list(self):
        return self.select_related("speaker", "event", "source", "source__outlet")

    def for_page(self):
        """Quotes in the story's order, each with its speaker, event, source and the
        paragraphs it comes from (one query for the page, one for the paragraphs)."""
        return (
            self.for_list()
            .prefetch_related("passages")
            .order_by("event__occurred_at", "event__slug", "position", "pk")
        )


class Quote(DerivedColumnsModel):
    """A quotation, verbatim as printed; corrections go in `editor_note`, never in `text`."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="quotes"
    )
    speaker = models.ForeignKey(
        Actor,
        verbose_name=_("auteur de la citation"),
        on_delete=models.PROTECT,
        related_name="quotes",
    )
    source = models.ForeignKey(
        Source,
        verbose_name=_("source"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quotes",
    )
    text = models.TextField(_("texte exact"))
    editor_note = models.TextField(_("note de la rédaction"), blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=1)
    passages = models.ManyToManyField(
        Passage, verbose_name=_("passages"), related_name="quotes", blank=True
    )
    # Folded text and note, for search (people.derived).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager.from_queryset(QuoteQuerySet)()

    class Meta:
        ordering = ["event", "position"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quote_text_not_empty"),
        ]

    def __str__(self):
        return f"« {self.text[:70]} » — {self.speaker}"

    def derive_search_text(self):
        return fold(f"{self.text} {self.editor_note}")

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.event", "events.source", "people.actor"]


class EventOrderManager(models.Manager):
    def get_by_natural_key(self, event_slug, after_slug):
        return self.get(event__slug=event_slug, after__slug=after_slug)


class EventOrderQuerySet(models.QuerySet):
    def for_check(self):
        return self.select_related("event", "after").prefetch_related("passages")


class EventOrder(models.Model):
    """`event` happened after `after`, as the article tells it (« ensuite », « plus tard »,
    « à ce stade »): the order of a day that vague times alone cannot give.

    The timeline still sorts on (occurred_at, slug), the key every index and count is built
    on; an event of vague time stores a representative time inside its period chosen to keep
    these links, and check_story fails when the stored order contradicts one of them.
    """

    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="orders_after"
    )
    after = models.ForeignKey(
        Event, verbose_name=_("après"), on_delete=models.CASCADE, related_name="orders_before"
    )
    passages = models.ManyToManyField(
        Passage, verbose_name=_("passages"), related_name="event_orders", blank=True
    )
    editor_note = models.TextField(_("note de la rédaction"), blank=True)

    objects = EventOrderManager.from_queryset(EventOrderQuerySet)()

    class Meta:
        ordering = ["event__occurred_at", "event__slug", "after__slug"]
        verbose_name = _("ordre entre deux événements")
        verbose_name_plural = _("ordres entre événements")
        constraints = [
            models.UniqueConstraint(fields=["event", "after"], name="eventorder_unique_pair"),
            models.CheckConstraint(
                condition=~Q(event=F("after")), name="eventorder_not_after_itself"
            ),
        ]

    def __str__(self):
        return f"{self.event} — après — {self.after}"

    def natural_key(self):
        return (*self.event.natural_key(), *self.after.natural_key())

    natural_key.dependencies = ["events.event", "events.passage"]


class RoleEvidenceManager(models.Manager):
    def get_by_natural_key(self, role_slug):
        return self.get(role__slug=role_slug)


class RoleEvidence(models.Model):
    """Where a role comes from: its passages and the events that began and ended it."""

    role = models.OneToOneField(
        Role, verbose_name=_("rôle"), on_delete=models.CASCADE, related_name="evidence"
    )
    began_with = models.ForeignKey(
        Event,
        verbose_name=_("commencé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles_begun",
    )
    ended_with = models.ForeignKey(
        Event,
        verbose_name=_("terminé par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="roles_ended",
    )
    passages = models.ManyToManyField(
        Passage, verbose_name=_("passages"), related_name="roles", blank=True
    )

    objects = RoleEvidenceManager()

    class Meta:
        ordering = ["role"]
        verbose_name = _("provenance d'un rôle")
        verbose_name_plural = _("provenances des rôles")

    def __str__(self):
        return str(self.role)

    def natural_key(self):
        return self.role.natural_key()

    natural_key.dependencies = ["people.role", "events.event", "events.passage"]


class FacetCountQuerySet(models.QuerySet):
    def event_total(self):
        """How many events the archive holds, from the kept counts (no COUNT over events)."""
        cells = self.filter(actor__isnull=True, facet=self.model.Facet.KIND)
        return cells.aggregate(total=Sum("count"))["total"] or 0

    def day_totals(self, first_day, last_day):
        days = self.filter(actor__isnull=True, facet=self.model.Facet.DAY).filter(
            value__gte=first_day.isoformat(), value__lte=last_day.isoformat()
        )
        return {
            datetime.date.fromisoformat(value): n for value, n in days.values_list("value", "count")
        }

    def archive_day_range(self):
        """The archive's first and last days (ISO values sort as dates), or (None, None)."""
        days = self.filter(actor__isnull=True, facet=self.model.Facet.DAY).aggregate(
            first=Min("value"), last=Max("value")
        )
        if days["first"] is None:
            return None, None
        return (
            datetime.date.fromisoformat(days["first"]),
            datetime.date.fromisoformat(days["last"]),
        )


class FacetCount(models.Model):
    """How many events fall in each facet value, for the whole archive (`actor` empty) or
    for one actor: its events by kind and by day, and the actors it appears with.

    Kept exact on every write (events.counts), so the facets of the unfiltered list and of
    one actor's list are index reads, and the most involved actor's page costs what a rare
    actor's costs. Never edited, never dumped: `manage.py rebuild_counts` recomputes it.
    """

    class Facet(models.TextChoices):
        KIND = "kind", _("type")
        DAY = "day", _("jour")
        ACTOR = "actor", _("acteur")
        CLAIM = "claim", _("statut")

    actor = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="facet_counts"
    )
    facet = models.CharField(max_length=10, choices=Facet.choices)
    # The kind's code or the ISO day; for the actor facet, `other` is the co-actor.
    value = models.CharField(max_length=40, blank=True)
    other = models.ForeignKey(
        Actor, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    count = models.PositiveIntegerField()

    objects = FacetCountQuerySet.as_manager()

    class Meta:
        verbose_name = _("décompte de facette")
        verbose_name_plural = _("décomptes de facettes")
        indexes = [
            models.Index(fields=["actor", "facet", "-count"], name="facetcount_top_idx"),
            models.Index(fields=["other"], name="facetcount_other_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["actor", "facet", "value", "other"],
                condition=Q(actor__isnull=False) & Q(other__isnull=False),
                name="facetcount_unique_pair",
            ),
            models.UniqueConstraint(
                fields=["actor", "facet", "value"],
                condition=Q(actor__isnull=False) & Q(other__isnull=True),
                name="facetcount_unique_actor_value",
            ),
            models.UniqueConstraint(
                fields=["facet", "value"],
                condition=Q(actor__isnull=True),
                name="facetcount_unique_archive_value",
            ),
            models.CheckConstraint(
                condition=Q(facet__in=["kind", "day", "actor", "claim"]),
                name="facetcount_facet_valid",
            ),
            models.CheckConstraint(
                condition=Q(facet="actor", other__isnull=False, actor__isnull=False)
                | (~Q(facet="actor") & Q(other__isnull=True)),
                name="facetcount_other_iff_actor_facet",
            ),
            models.CheckConstraint(condition=Q(count__gt=0), name="facetcount_positive"),
        ]

    def __str__(self):
        return f"{self.actor or '*'} {self.facet}={self.value or self.other_id}: {self.count}"


# The accounts and figures that disagree live in their own module; imported here so that
# Django registers them with the app.
from .disputes import Account, Dispute  # noqa: E402, F401
