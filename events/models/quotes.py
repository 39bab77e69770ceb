"""Words quoted verbatim, with who said them and where the article found them."""

from django.db import models
from django.db.models import (
    Prefetch,
    Q,
)
from django.utils.translation import gettext_lazy as _

from core.derived import (
    DerivedColumnsModel,
    DerivedTextField,
)
from core.models import DerivedQuerySet, SlugManager
from core.text import fold
from people.models import Actor

from .events import Event
from .provenance import Passage, Source


class QuoteQuerySet(DerivedQuerySet):
    def for_list(self):
        return self.select_related("speaker", "event", "source", "source__outlet")

    def for_page(self):
        """Quotes in the story's order, each with its speaker, event, source and the
        paragraphs it comes from (one query for the page, one for the paragraphs)."""
        return (
            self.for_list()
            .prefetch_related(Prefetch("passages", queryset=Passage.objects.for_links()))
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
    # Folded text and note, for search (core.derived).
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
