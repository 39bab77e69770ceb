"""Where every fact comes from: source documents (`Article`) and their numbered passages,
and the sources the article cites (a tweet thread, a memo, a press report)."""

from django.db import models
from django.db.models import (
    Prefetch,
    Q,
)
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.derived import DerivedColumnsModel, DerivedTextField
from core.models import DerivedQuerySet, SlugManager, related
from core.text import fold
from people.models import Actor


class Article(DerivedColumnsModel):
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    title = models.CharField(_("titre"), max_length=300)
    language = models.CharField(_("langue"), max_length=10, default="fr")
    note = models.TextField(_("note"), blank=True)
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = SlugManager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")

    def __str__(self):
        return self.title

    def derive_search_text(self):
        return fold(self.title)

    def natural_key(self):
        return (self.slug,)

    def get_absolute_url(self):
        return reverse("article")


class PassageManager(models.Manager.from_queryset(DerivedQuerySet)):
    def get_by_natural_key(self, article_slug, number):
        return self.get(article__slug=article_slug, number=number)


class PassageQuerySet(DerivedQuerySet):
    def story(self):
        return self.exclude(kind=Passage.Kind.FURNITURE)

    def for_reading(self):
        """The article page: passages in order with what was drawn from each, in 4 queries."""
        return self.order_by("number").prefetch_related(
            Prefetch(
                "events",
                queryset=related(self.model, "events").objects.order_by("occurred_at", "slug"),
            ),
            Prefetch(
                "quotes",
                queryset=related(self.model, "quotes").objects.select_related("speaker", "event"),
            ),
            Prefetch(
                "roles",
                queryset=related(self.model, "roles").objects.select_related(
                    "role__person", "role__organisation"
                ),
            ),
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

    def get_absolute_url(self):
        return f"{reverse('article')}#p{self.number}"


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
