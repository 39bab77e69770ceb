"""Optimistic locking for every admin form: a save made from a stale copy is refused.

The token a form carries is the id of the record's newest history entry (django-reversion).
Every admin save and every revert adds one, and ids only grow, so the token never goes
backwards — a counter stored on the row would, since a revert restores old values. Inline
records (an event's quotes, an actor's aliases) are registered to follow their parent, so
editing one of them elsewhere makes the parent's open forms stale too.
"""

import json

import reversion
from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from .admin_input import QueryStringInputAdmin
from .admin_lists import FoldedSearchAdmin, LoadedChoicesForm

TOKEN_FIELD = "seen_version"


def latest_version_id(model, pk):
    versions = Version.objects.get_for_object_reference(model, pk)
    return versions.values_list("pk", flat=True).first() or 0


class StaleSaveForm(LoadedChoicesForm):
    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields[TOKEN_FIELD].initial = latest_version_id(
                type(self.instance), self.instance.pk
            )

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        model = type(self.instance)
        # Two saves must not both pass this check: PostgreSQL locks the row here; SQLite
        # transactions start IMMEDIATE (settings), so the second save waits for the first.
        list(model._default_manager.select_for_update().filter(pk=self.instance.pk).values("pk"))
        current = latest_version_id(model, self.instance.pk)
        if cleaned.get(TOKEN_FIELD) == current:
            return cleaned
        last = Version.objects.select_related("revision__user").get(pk=current)
        # Let the next submit go through: the editor has now seen the conflict and chooses.
        self.data = self.data.copy()
        self.data[self.add_prefix(TOKEN_FIELD)] = str(current)
        raise forms.ValidationError(
            _(
                "Conflit : %(who)s a enregistré cette fiche (%(when)s) pendant que vous la "
                "modifiiez. Vos changements ne sont pas enregistrés. Ouvrez-la dans un autre "
                "onglet pour voir sa version actuelle, puis enregistrez de nouveau ce formulaire "
                "pour appliquer vos changements par-dessus, ou abandonnez-les."
            ),
            code="stale",
            params={
                "who": last.revision.user or _("un autre éditeur"),
                "when": date_format(localtime(last.revision.date_created), "DATETIME_FORMAT"),
            },
        )


def record_versions(version):
    """The versions of `version`'s revision that belong to its record: the record itself and
    the rows it follows (an event's participations and quotes), as (versions, followed), where
    `followed` maps each followed relation's accessor to the ids the revision holds."""
    model = version._model
    pk = model._meta.pk.to_python(version.object_id)
    mine, followed = [version], {}
    for name in reversion.revisions._get_options(model).follow:
        relation = model._meta.get_field(name)
        if not relation.one_to_many:  # only reverse foreign keys (inlines) are followed here
            continue
        related, link = relation.related_model, relation.field.attname
        content_type = ContentType.objects.get_for_model(related)
        held = followed.setdefault(relation.get_accessor_name(), set())
        for other in version.revision.version_set.filter(content_type=content_type).iterator():
            fields = json.loads(other.serialized_data)[0]["fields"]
            if fields.get(relation.field.name) == pk or fields.get(link) == pk:
                mine.append(other)
                held.add(related._meta.pk.to_python(other.object_id))
    return mine, followed


def revert_record(version, delete=False):
    """Revert one record and the rows it follows to `version`, leaving every other record of
    the revision as it is now (reversion reverts the whole revision: the story's load is one
    revision of every record, so reverting an event to it reset every other record)."""
    versions, followed = record_versions(version)
    model = version._model
    with transaction.atomic(using=version.db):
        if delete:
            current = model._default_manager.using(version.db).filter(pk=version.object_id).first()
            for accessor, held in followed.items() if current else ():
                getattr(current, accessor).exclude(pk__in=held).delete()
        for each in versions:
            each.revert()


class LockedVersionAdmin(FoldedSearchAdmin, QueryStringInputAdmin, VersionAdmin):
    """History (browse, revert, recover) plus the stale-save check on every change form; lists
    searched and bounded as core.admin_lists says."""

    form = StaleSaveForm

    def _reversion_revisionform_view(self, request, version, *args, **kwargs):
        # Only this record goes back: reversion's view reverts `version.revision` whole.
        version.revision.revert = lambda delete=False: revert_record(version, delete)
        return super()._reversion_revisionform_view(request, version, *args, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = {
            name
            for _title, options in fieldsets
            for line in options["fields"]
            for name in (line if isinstance(line, (list, tuple)) else [line])
        }
        if TOKEN_FIELD in names:
            return fieldsets
        (title, options), *rest = fieldsets
        return [(title, {**options, "fields": [*options["fields"], TOKEN_FIELD]}), *rest]
