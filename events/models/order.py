"""What the article says of the order of events whose times it does not give."""

from django.db import models
from django.db.models import (
    F,
    Q,
)
from django.utils.translation import gettext_lazy as _

from core.models import DerivedQuerySet

from .events import Event
from .provenance import Passage


class EventOrderManager(models.Manager.from_queryset(DerivedQuerySet)):
    def get_by_natural_key(self, event_slug, after_slug):
        return self.get(event__slug=event_slug, after__slug=after_slug)


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

    objects = EventOrderManager()

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
