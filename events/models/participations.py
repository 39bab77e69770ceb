"""Who took part in an event, and their part in it."""

from django.db import models
from django.db.models import (
    Q,
)
from django.utils.translation import gettext_lazy as _

from core.derived import (
    DerivedCharField,
    DerivedColumnsModel,
    DerivedDateField,
    DerivedDateTimeField,
    DerivedSlugField,
)
from core.models import DerivedQuerySet
from people.models import Actor

from .choices import Claim, Part, claimant_iff_attributed
from .events import Event


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
    # The event's sort key, kind and day, copied here on every write (core.derived) and
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
            claimant_iff_attributed(
                "part_claim", "part_claimed_by", name="participation_claimed_by_iff_attributed"
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
