"""The archive's data version, and the version of each surrogate key.

Every write to the archive's data moves the one `DataVersion` row forward (a sequence all
workers and machines share: it lives in their database), and stamps each surrogate key it
touches (core.surrogates) with the new number in `KeyVersion`. A cached page is validated
against the versions of its own keys only, so a write leaves the pages it does not touch
cached (newsarchive.http.caching).
"""

import datetime

from django.conf import settings
from django.db import connections, models
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _


class DataVersionQuerySet(models.QuerySet):
    def current(self):
        """(number, changed_at) of the data, in one primary-key read.

        Every public request makes it, cache hits and 304s included, so it is plain SQL:
        the ORM's query building costs more than the read itself (270 µs against 30)."""
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT number, changed_at FROM {table} WHERE id = 1")
            row = cursor.fetchone()
        if row is None:
            return 0, None
        number, changed_at = row
        if isinstance(changed_at, str):  # SQLite keeps datetimes as text...
            changed_at = parse_datetime(changed_at)
        if timezone.is_naive(changed_at):  # ...in UTC, without saying so
            changed_at = changed_at.replace(tzinfo=datetime.UTC)
        return number, changed_at

    def bump(self, keys=()):
        """Move the data version forward and stamp `keys` with it, in the caller's
        transaction: the keys move exactly when the write they follow commits."""
        now = timezone.now()
        if not self.filter(pk=1).update(number=F("number") + 1, changed_at=now):
            self.get_or_create(pk=1, defaults={"number": 1, "changed_at": now})
        if keys:
            # Under the row lock the update above took: numbers follow the commit order.
            number = self.filter(pk=1).values_list("number", flat=True).get()
            KeyVersion.objects.bulk_create(
                [KeyVersion(key=key, number=number, stamp=stamp(now)) for key in sorted(keys)],
                update_conflicts=True,
                unique_fields=["key"],
                update_fields=["number", "stamp"],
            )


class DataVersion(models.Model):
    number = models.PositiveBigIntegerField(default=1)
    changed_at = models.DateTimeField(default=timezone.now)

    objects = DataVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version des données"
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="dataversion_one")]

    def __str__(self):
        return f"v{self.number} ({self.changed_at:%Y-%m-%d %H:%M:%S})"


class KeyVersionQuerySet(models.QuerySet):
    def of(self, keys):
        """{key: (number, stamp)} for the keys ever written, in one indexed read.

        Every cached page and 304 makes it, so it is plain SQL, like `current()`: the ORM's
        query building would cost three times the read."""
        if not keys:
            return {}
        connection = connections[self.db]
        table = connection.ops.quote_name(self.model._meta.db_table)
        key, marks = connection.ops.quote_name("key"), ", ".join(["%s"] * len(keys))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {key}, number, stamp FROM {table} WHERE {key} IN ({marks})", list(keys)
            )
            return {key: (number, stamp) for key, number, stamp in cursor.fetchall()}


def stamp(moment):
    """A moment as microseconds since 1970, the way key versions keep it."""
    return int(moment.timestamp() * 1_000_000)


class KeyVersion(models.Model):
    """The data version at which a surrogate key last moved (no row: never since the start),
    and when (`stamp`, microseconds since 1970: compared and hashed on every read)."""

    key = models.CharField(max_length=200, primary_key=True)
    number = models.PositiveBigIntegerField()
    stamp = models.BigIntegerField()

    objects = KeyVersionQuerySet.as_manager()

    class Meta:
        verbose_name = "version d’une clé"

    def __str__(self):
        return f"{self.key} v{self.number}"


class CorrectionQuerySet(models.QuerySet):
    def latest_for(self, record):
        """The newest correction published about an event or an actor, or None (one query)."""
        field = Correction.RECORD_FIELDS.get(record._meta.label_lower)
        if field is None or record.pk is None:
            return None
        published = self.filter(kind=Correction.Kind.CORRECTION, **{field: record.pk})
        return published.order_by("-revision_id").first()


class Correction(models.Model):
    """What an editor tells readers about one save (a revision of django-reversion): a
    correction with its public explanation, or the marks of a revert and of a recovery.

    The explanation stays in the language it was written in (`language`); the editor's name is
    never published. `event` / `actor` is the record whose form was saved (its page shows the
    latest correction): kept if the record goes, emptied (its revision still says what it was).
    """

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("correction")
        REVERT = "revert", _("retour à une version antérieure")
        RECOVERY = "recovery", _("fiche rétablie")

    RECORD_FIELDS = {"events.event": "event", "people.actor": "actor"}

    revision = models.OneToOneField(
        "reversion.Revision",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="correction",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CORRECTION)
    explanation = models.TextField(_("explication publiée"), blank=True)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, default="fr")
    created = models.DateTimeField(default=timezone.now)
    event = models.ForeignKey(
        "events.Event", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor = models.ForeignKey(
        "people.Actor", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("correction publiée")
        verbose_name_plural = _("corrections publiées")

    def __str__(self):
        return f"{self.get_kind_display()} ({self.created:%Y-%m-%d %H:%M})"
