"""Translations are edited where their record is: an inline on the event, actor, role, quote,
source, dispute and account forms (and, for a look across all of them, their own list)."""

import reversion
from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_lists import FoldedSearchAdmin
from events.admin import EventWordsSearch

from .models import TARGETS, TRANSLATABLE, Field, Translation

if not reversion.is_registered(Translation):
    # A translation's history goes with its record's.
    reversion.register(Translation, follow=TARGETS)


def translation_inline(target):
    """The inline for one kind of record: only that record's translatable fields to choose."""
    fields = TRANSLATABLE[target][1]

    class TranslationForm(forms.ModelForm):
        class Meta:
            model = Translation
            fields = ["field", "language", "text"]
            widgets = {"text": forms.Textarea(attrs={"rows": 3, "cols": 80, "lang": "en"})}

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["field"].choices = [
                (value, label) for value, label in Field.choices if value in fields
            ]

    return type(
        f"{target.capitalize()}TranslationInline",
        (admin.StackedInline,),
        {
            "model": Translation,
            "fk_name": target,
            "form": TranslationForm,
            "extra": 0,
            "verbose_name": _("traduction"),
            "verbose_name_plural": _("traductions (le français reste le texte de l’archive)"),
            # Each row is titled by its record: joined, not read once per row.
            "get_queryset": lambda self, request: admin.StackedInline.get_queryset(
                self, request
            ).select_related(target),
        },
    )


EventTranslationInline = translation_inline("event")
ActorTranslationInline = translation_inline("actor")
RoleTranslationInline = translation_inline("role")
QuoteTranslationInline = translation_inline("quote")
SourceTranslationInline = translation_inline("source")
DisputeTranslationInline = translation_inline("dispute")
AccountTranslationInline = translation_inline("account")


@admin.register(Translation)
class TranslationAdmin(EventWordsSearch, FoldedSearchAdmin, admin.ModelAdmin):
    list_display = ["__str__", "field", "language", "text"]
    list_filter = ["language", "field"]
    # Folded (core.admin_lists): the translation and the French of its record.
    search_fields = [
        "search_text",
        "event__search_text",
        "actor__name_key",
        "role__search_text",
        "quote__search_text",
        "dispute__search_text",
        "account__search_text",
    ]
    list_select_related = TARGETS
    autocomplete_fields = TARGETS
    fields = [*TARGETS, "field", "language", "text"]


# `people` knows nothing of the apps above it, so the inlines are added here, to the admins
# `people` and `events` registered (editions is installed after both).
for _model, _inline in [
    (TRANSLATABLE["event"][0], EventTranslationInline),
    (TRANSLATABLE["actor"][0], ActorTranslationInline),
    (TRANSLATABLE["role"][0], RoleTranslationInline),
    (TRANSLATABLE["quote"][0], QuoteTranslationInline),
    (TRANSLATABLE["source"][0], SourceTranslationInline),
    (TRANSLATABLE["dispute"][0], DisputeTranslationInline),
    (TRANSLATABLE["account"][0], AccountTranslationInline),
]:
    _admin = admin.site.get_model_admin(_model)
    if _inline not in _admin.inlines:
        _admin.inlines = [*_admin.inlines, _inline]
