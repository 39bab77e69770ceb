"""The story's words in another language, stored beside the French they translate.

The French in `events` and `people` is the archive's text (the article's words); a translation
never replaces it. One row per record, field and language, pointing at its record by a real
foreign key (one of several, exactly one set): the database keeps every row attached to a
record that exists, a record's deletion takes its translations along, and the fixtures name the
record by its natural key (its slug), as every other fixture does. Living in its own app, it
adds no migration to `events` or `people`.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.derived import DerivedColumnsModel, DerivedTextField
from core.models import DerivedQuerySet
from core.text import fold
from events.models import Account, Dispute, Event, Quote, Source
from people.models import Actor, Role

# Which fields of which record can be translated: the words a reader sees (an event's account
# and the note on its status, a dispute's question and each answer, the editors' notes shown
# beside them and beside quotes). The French of everything else (the passages of the article,
# the quotes themselves) stays as it is, marked French.
TRANSLATABLE = {
    "event": (Event, ["title", "summary", "body", "claim_note"]),
    "actor": (Actor, ["name", "description"]),
    "role": (Role, ["title", "note"]),
    "quote": (Quote, ["text", "editor_note"]),
    "source": (Source, ["title"]),
    "dispute": (Dispute, ["question", "summary", "editor_note"]),
    "account": (Account, ["value", "editor_note"]),
}
TARGETS = list(TRANSLATABLE)


class Language(models.TextChoices):
    ENGLISH = "en", _("anglais")


class Field(models.TextChoices):
    TITLE = "title", _("titre")
    SUMMARY = "summary", _("résumé")
    NAME = "name", _("nom")
    DESCRIPTION = "description", _("description")
    NOTE = "note", _("note")
    TEXT = "text", _("texte (traduction d’une citation, qui reste en français)")
    BODY = "body", _("récit")
    CLAIM_NOTE = "claim_note", _("justification du statut")
    QUESTION = "question", _("question")
    VALUE = "value", _("ce que dit cette version")
    EDITOR_NOTE = "editor_note", _("note de la rédaction")


def _one_target_with_its_fields():
    """Exactly one record is set, and the field is one of that record's translatable ones."""
    condition = Q()
    for target, (_model, fields) in TRANSLATABLE.items():
        others = {f"{other}__isnull": True for other in TARGETS if other != target}
        condition |= Q(**{f"{target}__isnull": False}, **others, field__in=fields)
    return condition


class TranslationQuerySet(DerivedQuerySet):
    def of_records(self, language, records_by_target, actor_slugs=()):
        """The `language` translations of the given records ({"event": [pks]…}) and of the
        actors named by slug, in one query."""
        condition = Q()
        for target, pks in records_by_target.items():
            if pks:
                condition |= Q(**{f"{target}__in": pks})
        if actor_slugs:
            condition |= Q(actor__slug__in=actor_slugs)
        if not condition:
            return self.none()
        return self.filter(condition, language=language)


class TranslationManager(models.Manager.from_queryset(TranslationQuerySet)):
    def get_by_natural_key(self, language, field, target, *record_key):
        model = TRANSLATABLE[target][0]
        record = model._default_manager.get_by_natural_key(*record_key)
        return self.get(language=language, field=field, **{target: record})


class Translation(DerivedColumnsModel):
    def _target(target, verbose_name):
        return models.ForeignKey(
            TRANSLATABLE[target][0],
            verbose_name=verbose_name,
            on_delete=models.CASCADE,
            null=True,
            blank=True,
            related_name="translations",
        )

    event = _target("event", _("événement"))
    actor = _target("actor", _("acteur"))
    role = _target("role", _("rôle"))
    quote = _target("quote", _("citation"))
    source = _target("source", _("source"))
    dispute = _target("dispute", _("divergence"))
    account = _target("account", _("version"))
    del _target

    field = models.CharField(_("champ"), max_length=20, choices=Field.choices)
    language = models.CharField(
        _("langue"), max_length=10, choices=Language.choices, default=Language.ENGLISH
    )
    text = models.TextField(_("traduction"))
    # Folded, for the admin's search (core.derived, core.admin_lists).
    search_text = DerivedTextField(blank=True, derive="derive_search_text")

    objects = TranslationManager()

    class Meta:
        # Insertion order: the fixture reads record by record, as it was written, and dumps the
        # same on every database (ordering by the nullable keys would not: NULLs sort apart).
        ordering = ["id"]
        verbose_name = _("traduction")
        verbose_name_plural = _("traductions")
        constraints = [
            *(
                models.UniqueConstraint(
                    fields=[target, "field", "language"], name=f"translation_unique_per_{target}"
                )
                for target in TARGETS
            ),
            models.CheckConstraint(
                condition=_one_target_with_its_fields(), name="translation_one_record_and_field"
            ),
            models.CheckConstraint(
                condition=Q(language__in=Language.values), name="translation_language_valid"
            ),
            models.CheckConstraint(condition=~Q(text=""), name="translation_not_empty"),
        ]

    def __str__(self):
        return f"{self.record} — {self.field} ({self.language})"

    def derive_search_text(self):
        return fold(self.text)

    @property
    def target(self):
        return next((name for name in TARGETS if getattr(self, f"{name}_id") is not None), None)

    @property
    def record(self):
        return getattr(self, self.target) if self.target else None

    def natural_key(self):
        return (self.language, self.field, self.target, *self.record.natural_key())

    natural_key.dependencies = [
        "events.event",
        "people.actor",
        "people.role",
        "events.quote",
        "events.source",
        "events.dispute",
        "events.account",
    ]

    def clean(self):
        # The same rule as the check constraint, said to the editor before the database refuses.
        targets = [name for name in TARGETS if getattr(self, f"{name}_id") is not None]
        if len(targets) != 1:
            raise ValidationError(_("Une traduction porte sur un seul enregistrement."))
        fields = TRANSLATABLE[targets[0]][1]
        if self.field not in fields:
            raise ValidationError(
                {
                    "field": _("Champ à choisir parmi : %(fields)s.")
                    % {"fields": ", ".join(str(Field(name).label) for name in fields)}
                }
            )
