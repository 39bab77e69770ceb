"""Model pieces every data app shares: the queryset that announces bulk writes, the manager
that finds a row by its slug (fixtures refer to "sam-altman", not to 7), and the database
constraints that several models state the same way."""

from django.db import models
from django.db.models import Q

from .signals import bulk_written


class DerivedQuerySet(models.QuerySet):
    """Bulk writes send no per-row signal: they announce themselves, so kept counts and the
    data version follow them as they follow saves."""

    def bulk_create(self, objs, *args, **kwargs):
        created = super().bulk_create(objs, *args, **kwargs)
        bulk_written.send(sender=self.model)
        return created

    def update(self, **kwargs):
        rows = super().update(**kwargs)
        bulk_written.send(sender=self.model)
        return rows


class SlugManager(models.Manager.from_queryset(DerivedQuerySet)):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


def precision_iff_date(date_field, precision_field, name):
    """A stored moment says how precise it is, and a precision comes only with a moment."""
    return models.CheckConstraint(
        condition=(Q(**{f"{date_field}__isnull": True}) & Q(**{precision_field: ""}))
        | (Q(**{f"{date_field}__isnull": False}) & ~Q(**{precision_field: ""})),
        name=name,
    )


def related(model, name):
    """The model on the other side of `model`'s relation `name`: how a queryset reads a model
    declared above its own (a passage's events) without importing up."""
    return model._meta.get_field(name).related_model
