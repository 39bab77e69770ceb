"""Counts kept on write, so a list's facets are index reads at any size."""

import datetime

from django.db import models
from django.db.models import (
    Max,
    Min,
    Q,
    Sum,
)
from django.utils.translation import gettext_lazy as _

from people.models import Actor


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
    for one actor: its events by kind and by day, and the actors it appears with; and for
    the whole archive, how many events cite each source document.

    Kept exact on every write (events.counts), so the facets of the unfiltered list and of
    one actor's list are index reads, and the most involved actor's page costs what a rare
    actor's costs. Never edited, never dumped: `events.counts.rebuild()` recomputes it
    (after a bulk write, and at the end of a fixture load or `generate_archive`).
    """

    class Facet(models.TextChoices):
        KIND = "kind", _("type")
        DAY = "day", _("jour")
        ACTOR = "actor", _("acteur")
        CLAIM = "claim", _("statut")
        # The archive's events citing each source document (`value`: the document's id).
        SOURCE = "source", _("source")

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
                condition=Q(facet__in=["kind", "day", "actor", "claim", "source"]),
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
