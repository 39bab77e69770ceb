"""The archive's data version: one row that every write to its data moves forward.

Pages are cached and validated (ETag, Last-Modified) against it, so a cached page is never
older than the last save, on any worker or machine: the version lives in the database they
all share.
"""

from django.db import models
from django.db.models import F
from django.utils import timezone


class DataVersionQuerySet(models.QuerySet):
    def current(self):
        """(number, changed_at) of the data, in one primary-key read."""
        return self.filter(pk=1).values_list("number", "changed_at").first() or (0, None)

    def bump(self):
        now = timezone.now()
        if not self.filter(pk=1).update(number=F("number") + 1, changed_at=now):
            self.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})


class DataVersion(models.Model):
    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version des données"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="dataversion_one")]

    def __str__(self):
        return f"v{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"
