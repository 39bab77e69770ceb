"""Where every fact comes from: source documents (`Article`) and their numbered passages,
and the sources the article cites (a tweet thread, a memo, a press report)."""

from django.db import models
from django.db.models import (
    Count,
    Prefetch,
    Q,
    Window,
)
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from core.derived import DerivedColumnsModel, DerivedTextField
from core.links import slug_url
from core.models import DerivedQuerySet, SlugManager, precision_iff_date, related
from core.text import fold
from people.models import Actor, Precision

from .facets import FacetCount

# A source document's page shows the passages numbered 1–40, 41–80…: the page of a
# passage follows from its number alone, so any link to it needs no query.
PASSAGES_PER_PAGE = 40
# What a passage backs, shown beside it: at most this many events, quotes and roles each
# (the story's busiest paragraph backs 5 events), with how many there are past that.
LINKS_PER_PASSAGE = 10


def passage_page(number):
    return max(1, -(-number // PASSAGES_PER_PAGE))


class ArticleQuerySet(DerivedQuerySet):
    def first_with_total(self):
        """The first source document, carrying how many there are (`total`), or None."""
        return self.order_by("pk").annotate(total=Window(Count("pk"))).first()

    def for_reading(self):
        """A source document with its last passage number (how many pages it has), read
        from the end of the (article, number) index."""
        last = Passage.objects.filter(article=models.OuterRef("pk")).order_by("-number")
        return self.annotate(last_number=models.Subquery(last.values("number")[:1]))

    def with_fact_count(self):
        """Each document's number of facts (events citing it), read from the archive's kept
        counts (events.counts) in the same query."""
        cited = FacetCount.objects.filter(
            actor=None, facet="source", value=Cast(models.OuterRef("pk"), models.CharField())
        )
        return self.annotate(
            fact_count=Coalesce(
                models.Subquery(cited.values("count")[:1], output_field=models.IntegerField()),
                0,
            )
        )

    def for_index(self):
        """`/sources/`: every source document with its number of facts."""
        return self.with_fact_count().order_by("pk")

    def most_cited(self):
        """The facet of the events list: the documents cited, most cited first."""
        return self.with_fact_count().filter(fact_count__gt=0).order_by("-fact_count", "title")


class Article(DerivedColumnsModel):
    """A source document the archive is built from, read passage by passage. What its capture
    does not say (outlet, publication date) stays empty: the page says it is unknown."""

    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    outlet = models.CharField(_("média"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("date de publication"), null=True, blank=True)
    published_precision = models.CharField(
        _("précision de la date de publication"),
        max_length=20,
        choices=Precision.choices,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)
    # A document brought in by the import (events.importing) keeps the digest of its passages'
    # text as imported, so the same text is not imported twice; empty for the others, which
    # the import digests from their passages. Derived: not in dumps nor in history entries.
    text_digest = models.CharField(
        _("empreinte du texte importé"),
        max_length=64,
        blank=True,
        editable=False,
        serialize=False,
    )
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager.from_queryset(ArticleQuerySet)()

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            precision_iff_date(
                "published_at", "published_precision", name="article_precision_iff_published_at"
            ),
            models.UniqueConstraint(
                fields=["text_digest"],
                condition=~Q(text_digest=""),
                name="article_unique_text_digest",
            ),
        ]

    def __str__(self):
        return self.title

    def derive_search_text(self):
        return fold(self.title)

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return slug_url("sources:source_detail", self.slug)


class PassageManager(models.Manager.from_queryset(DerivedQuerySet)):
    def get_by_natural_key(self, article_slug, number):
        return self.get(article__slug=article_slug, number=number)


class PassageQuerySet(DerivedQuerySet):
    def story(self):
        return self.exclude(kind=Passage.Kind.FURNITURE)

    def for_links(self):
        """Passages as links name their source document (« § 12 de <titre> »): a join."""
        return self.select_related("article").order_by("article_id", "number")

    def on_page(self, article, page):
        """The passages of `article` shown on its page `page` (numbers 1–40, 41–80…),
        read from the (article, number) unique index."""
        last = page * PASSAGES_PER_PAGE
        return self.filter(article=article, number__gt=last - PASSAGES_PER_PAGE, number__lte=last)

    def for_reading(self):
        """A source document's page: passages in order with what was drawn from each, in 4
        queries, at most LINKS_PER_PASSAGE of each kind per passage (in `events_shown`,
        `quotes_shown`, `roles_shown`, with how many there are: `event_total`…)."""
        shown = slice(0, LINKS_PER_PASSAGE)

        def total(name):
            through = self.model._meta.get_field(name).through
            rows = through.objects.filter(passage=models.OuterRef("pk")).order_by()
            return models.Subquery(
                rows.values("passage").annotate(n=Count("pk")).values("n")[:1],
                output_field=models.IntegerField(),
            )

        return (
            self.order_by("number")
            .annotate(
                event_total=total("events"), quote_total=total("quotes"), role_total=total("roles")
            )
            .prefetch_related(
                Prefetch(
                    "events",
                    to_attr="events_shown",
                    queryset=related(self.model, "events")
                    .objects.order_by("occurred_at", "slug")
                    .only("slug", "title", "occurred_at")[shown],
                ),
                Prefetch(
                    "quotes",
                    to_attr="quotes_shown",
                    queryset=related(self.model, "quotes")
                    .objects.select_related("speaker", "event")
                    .order_by("pk")[shown],
                ),
                Prefetch(
                    "roles",
                    to_attr="roles_shown",
                    queryset=related(self.model, "roles")
                    .objects.select_related("role__person", "role__organisation")
                    .order_by("pk")[shown],
                ),
            )
        )


class Passage(DerivedColumnsModel):
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
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

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

    def derive_search_text(self):
        return fold(self.text)

    def natural_key(self):
        return (*self.article.natural_key(), self.number)

    natural_key.dependencies = ["events.article"]

    @property
    def page(self):
        return passage_page(self.number)

    def get_absolute_url(self):
        """On its source document's page (the right page of it), at its `#pN` anchor."""
        page = self.page
        query = f"?page={page}" if page > 1 else ""
        return f"{self.article.get_absolute_url()}{query}#p{self.number}"


class Source(DerivedColumnsModel):
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
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("source")
        verbose_name_plural = _("sources")

    def __str__(self):
        return self.title

    def derive_search_text(self):
        return fold(self.title)

    def natural_key(self):
        return (self.slug,)

    natural_key.dependencies = ["people.actor", "events.passage"]
