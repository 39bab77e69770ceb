"""A save marked as a correction: a box and a public explanation on the change form.

Checked, the explanation is required and is published with the save's date on /changes/ and
on the record's page (« Corrigé le … : … »), in the language it was written in; the editor's
name never is. Reverts and recoveries are marked too, so /changes/ can say what they were.
The note rides on the save's revision (`reversion.add_meta`): saved with it, or not at all.
"""

import reversion
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .models import Correction

FIELDS = ["is_correction", "correction_explanation"]


class CorrectionFormMixin(forms.Form):
    is_correction = forms.BooleanField(
        label=_("Correction publique"),
        required=False,
        help_text=_(
            "À cocher quand l’enregistrement corrige une erreur : l’explication est publiée "
            "sur la page de la fiche et dans l’historique des changements, avec la date, "
            "sans le nom de l’éditeur."
        ),
    )
    correction_explanation = forms.CharField(
        label=_("Explication publiée"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 80}),
    )

    def clean(self):
        cleaned = super().clean()
        explanation = (cleaned.get("correction_explanation") or "").strip()
        cleaned["correction_explanation"] = explanation
        if cleaned.get("is_correction") and not explanation:
            self.add_error(
                "correction_explanation",
                _("Une correction publique demande une explication pour les lecteurs."),
            )
        elif explanation and not cleaned.get("is_correction"):
            self.add_error(
                "is_correction",
                _("Cochez « Correction publique » pour publier cette explication."),
            )
        return cleaned


class CorrectionAdminMixin:
    """For a LockedVersionAdmin (django-reversion): the correction fields on change forms,
    stored with the save's revision; reverts and recoveries marked as such."""

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        return [*fieldsets, (_("Correction publique"), {"fields": FIELDS})]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            base = kwargs.get("form", self.form)
            kwargs["form"] = type(base.__name__, (CorrectionFormMixin, base), {})
        return super().get_form(request, obj, change, **kwargs)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        request.archive_change_kind = Correction.Kind.REVERT
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        request.archive_change_kind = Correction.Kind.RECOVERY
        return super().recover_view(request, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        data = getattr(form, "cleaned_data", {})
        kind = Correction.Kind.CORRECTION if data.get("is_correction") else None
        kind = kind or getattr(request, "archive_change_kind", None)
        if kind is None or not reversion.is_active():
            return
        reversion.add_meta(
            Correction,
            kind=kind,
            explanation=data.get("correction_explanation", ""),
            language=(get_language() or "fr").split("-")[0],
            **{Correction.RECORD_FIELDS[obj._meta.label_lower]: obj},
        )


def add_to(admin_site, *models):
    """Give the admins registered for `models` the correction fields (they were registered
    by apps below this one, which know nothing of it)."""
    for model in models:
        model_admin = admin_site.get_model_admin(model)
        cls = type(model_admin)
        if issubclass(cls, CorrectionAdminMixin):
            continue
        model_admin.__class__ = type(
            cls.__name__,
            (CorrectionAdminMixin, cls),
            {"__module__": cls.__module__, "__qualname__": cls.__qualname__},
        )
