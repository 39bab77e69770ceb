"""What happened: the article and its passages, sources, events, participations and quotes.

`events` builds on `people`. Facts kept in `people` that need something from here (a role's
citing passages, the events that began and ended it) are declared here, in `RoleEvidence`,
so `people` never points up.
"""

import datetime

from django.db import models
from django.db.models import Count, Prefetch, Q
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from people.dates import story_timezone
from people.models import Actor, Precision, Role


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


class EventQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by("occurred_at", "slug")

    def for_list(self):
        """What a list or timeline shows: the event and its actors, in two queries."""
        return self.prefetch_related(
            Prefetch(
                "participations",
                queryset=Participation.objects.select_related("actor").order_by("actor__name"),
            )
        )

    def for_detail(self):
        return self.for_list().prefetch_related(
            Prefetch(
                "quotes",
                queryset=Quote.objects.select_related("speaker", "source", "source__outlet"),
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

    def for_home(self):
        return self.for_list().chronological()

    def neighbours(self, event):
        """The events just before and just after `event` in time (ties broken by slug)."""
        before = Q(occurred_at__lt=event.occurred_at) | Q(
            occurred_at=event.occurred_at, slug__lt=event.slug
        )
        after = Q(occurred_at__gt=event.occurred_at) | Q(
            occurred_at=event.occurred_at, slug__gt=event.slug
        )
        previous = (
            self.filter(before)
            .order_by("-occurred_at", "-slug")
            .only("slug", "title", "occurred_at", "precision")
        )
        following = (
            self.filter(after)
            .order_by("occurred_at", "slug")
            .only("slug", "title", "occurred_at", "precision")
        )
        return previous.first(), following.first()

    # Facets: each is one aggregate query over the events of `self` (the current filter).
    def _bare(self):
        return self.prefetch_related(None).order_by()

    def actor_facet(self):
        return (
            Participation.objects.filter(event__in=self._bare().values("pk"))
            .values("actor__slug", "actor__name", "actor__kind")
            .annotate(count=Count("event", distinct=True))
            .order_by("-count", "actor__name")
        )

    def day_facet(self):
        return (
            self._bare()
            .annotate(day=TruncDate("occurred_at", tzinfo=story_timezone()))
            .values("day")
            .annotate(count=Count("pk"))
            .order_by("day")
        )

    def kind_facet(self):
        return self._bare().values("kind").annotate(count=Count("pk")).order_by("-count", "kind")

    def on_day(self, day):
        """Events of a calendar day in the story's time zone (San Francisco)."""
        start = datetime.datetime.combine(day, datetime.time.min, tzinfo=story_timezone())
        try:
            end = start + datetime.timedelta(days=1)
        except OverflowError:  # 9999-12-31 has no next day, and holds no event of ours
            return self.none()
        return self.filter(occurred_at__gte=start, occurred_at__lt=end)


class Event(models.Model):
    Kind = EventKind

    Section = Section

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

    objects = SlugManager.from_queryset(EventQuerySet)()

    class Meta:
        ordering = ["occurred_at", "slug"]
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        indexes = [
            models.Index(fields=["occurred_at", "slug"], name="event_occurred_idx"),
            models.Index(fields=["kind", "occurred_at"], name="event_kind_idx"),
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
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.passage", "events.source"]

    def get_absolute_url(self):
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    @property
    def local_time(self):
        return self.occurred_at.astimezone(story_timezone())

    @property
    def day(self):
        return self.local_time.date()


class ParticipationManager(models.Manager):
    def get_by_natural_key(self, event_slug, actor_slug):
        return self.get(event__slug=event_slug, actor__slug=actor_slug)


class Participation(models.Model):
    Part = Part

    event = models.ForeignKey(
        Event, verbose_name=_("événement"), on_delete=models.CASCADE, related_name="participations"
    )
    actor = models.ForeignKey(
        Actor, verbose_name=_("acteur"), on_delete=models.PROTECT, related_name="participations"
    )
    part = models.CharField(_("rôle dans l'événement"), max_length=20, choices=Part.choices)

    objects = ParticipationManager()

    class Meta:
        ordering = ["event", "actor__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["event", "actor"], name="participation_unique_actor"),
            models.CheckConstraint(
                condition=Q(part__in=Part.values), name="participation_part_valid"
            ),
        ]
        indexes = [models.Index(fields=["actor", "event"], name="participation_actor_idx")]

    def __str__(self):
        return f"{self.actor} ({self.get_part_display()}) — {self.event}"

    def natural_key(self):
        return (*self.event.natural_key(), *self.actor.natural_key())

    natural_key.dependencies = ["events.event", "people.actor"]


class QuoteQuerySet(models.QuerySet):
    def for_list(self):
        return self.select_related("speaker", "event", "source", "source__outlet")


class Quote(models.Model):
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

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["events.event", "events.source", "people.actor"]


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
