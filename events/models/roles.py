"""What backs a role (a tenure kept in `people`): declared here, which knows both apps,
so `people` never points up."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import DerivedQuerySet
from people.models import Role

from .events import Event
from .provenance import Passage


class RoleEvidenceManager(models.Manager.from_queryset(DerivedQuerySet)):
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
