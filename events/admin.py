import datetime

import reversion
from django import forms
from django.contrib import admin
from django.db.models import F
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from reversion.admin import VersionAdmin
from reversion.models import Version

from .models import Article, Event, Participation, Passage, Quote, RoleEvidence, Source


class ParticipationInline(admin.TabularInline):
    model = Participation
    autocomplete_fields = ["actor"]
    extra = 0


class QuoteInline(admin.StackedInline):
    model = Quote
    autocomplete_fields = ["speaker", "source", "passages"]
    fields = [("slug", "position"), "text", ("speaker", "source"), "passages", "editor_note"]
    extra = 0


class EventAdminForm(forms.ModelForm):
    """Carries the version the editor started from, so a stale save is refused (optimistic lock)."""

    seen_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Event
        fields = [
            "title",
            "slug",
            "occurred_at",
            "precision",
            "kind",
            "section",
            "summary",
            "body",
            "passages",
            "sources",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["seen_version"].initial = self.instance.version

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Lock the row (PostgreSQL) so two saves cannot both pass this check.
        current = (
            Event.objects.select_for_update()
            .filter(pk=self.instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        seen = cleaned.get("seen_version")
        if current is not None and seen != current:
            last = (
                Version.objects.get_for_object_reference(Event, self.instance.pk)
                .select_related("revision__user")
                .first()
            )
            who = last.revision.user if last and last.revision.user else _("un autre éditeur")
            when = date_format(last.revision.date_created, "DATETIME_FORMAT") if last else ""
            # Let the next submit go through: the editor has now seen the conflict and chooses.
            self.data = self.data.copy()
            self.data[self.add_prefix("seen_version")] = str(current)
            raise forms.ValidationError(
                _(
                    "Conflit : %(who)s a enregistré cet événement (%(when)s) pendant que vous le "
                    "modifiiez. Vos changements ne sont pas enregistrés. Ouvrez l'événement dans "
                    "un autre onglet pour voir sa version actuelle, puis enregistrez de nouveau "
                    "ce formulaire pour appliquer vos changements par-dessus, ou abandonnez-les."
                ),
                code="stale",
                params={"who": who, "when": when},
            )
        return cleaned


class DayListFilter(admin.SimpleListFilter):
    """Days in the story's time zone (the date hierarchy alone would use raw dates)."""

    title = _("jour")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        return [
            (row["day"].isoformat(), date_format(row["day"], "l j F Y"))
            for row in Event.objects.day_facet()
        ]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        try:
            day = datetime.date.fromisoformat(self.value())
        except ValueError:
            return queryset.none()
        return queryset.on_day(day)


# Versions follow the inlines so one revision restores an event with its actors and quotes; the
# lock counter is left out so reverting never moves it backwards (that would re-admit stale saves).
if not reversion.is_registered(Event):
    reversion.register(Participation)
    reversion.register(Quote)
    reversion.register(Event, follow=["participations", "quotes"], exclude=["version"])


@admin.register(Event)
class EventAdmin(VersionAdmin):
    form = EventAdminForm
    inlines = [ParticipationInline, QuoteInline]
    list_display = ["occurred_at", "precision", "title", "kind", "actor_names"]
    list_display_links = ["title"]
    list_filter = [
        DayListFilter,
        "kind",
        "section",
        ("participations__actor", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = [
        "title",
        "summary",
        "participations__actor__name",
        "participations__actor__aliases__name",
    ]
    date_hierarchy = "occurred_at"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["passages", "sources"]
    readonly_fields = ["version"]
    fieldsets = [
        (None, {"fields": ["title", "slug", ("occurred_at", "precision"), ("kind", "section")]}),
        (_("Récit"), {"fields": ["summary", "body"]}),
        (_("Provenance"), {"fields": ["passages", "sources"]}),
        (_("Verrouillage"), {"fields": ["version", "seen_version"], "classes": ["collapse"]}),
    ]
    history_latest_first = True

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description=_("acteurs"))
    def actor_names(self, event):
        return ", ".join(p.actor.name for p in event.participations.all())

    def save_model(self, request, obj, form, change):
        if change:
            obj.version = F("version") + 1
        super().save_model(request, obj, form, change)
        obj.refresh_from_db(fields=["version"])


@admin.register(Source)
class SourceAdmin(VersionAdmin):
    list_display = ["title", "kind", "outlet", "author"]
    list_filter = ["kind"]
    search_fields = ["title", "outlet__name", "author__name"]
    autocomplete_fields = ["outlet", "author", "passages"]
    prepopulated_fields = {"slug": ["title"]}


class PassageInline(admin.StackedInline):
    model = Passage
    extra = 0
    fields = [("number", "kind"), "text"]


@admin.register(Article)
class ArticleAdmin(VersionAdmin):
    list_display = ["title", "language"]
    inlines = [PassageInline]
    search_fields = ["title"]


@admin.register(Passage)
class PassageAdmin(VersionAdmin):
    list_display = ["number", "kind", "excerpt", "article"]
    list_filter = ["kind", "article"]
    search_fields = ["text"]
    ordering = ["article", "number"]

    @admin.display(description=_("extrait"))
    def excerpt(self, passage):
        return passage.text[:120]


@admin.register(Quote)
class QuoteAdmin(VersionAdmin):
    list_display = ["excerpt", "speaker", "event", "source"]
    list_select_related = ["speaker", "event", "source"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["event", "speaker", "source", "passages"]

    @admin.display(description=_("citation"))
    def excerpt(self, quote):
        return quote.text[:100]


@admin.register(RoleEvidence)
class RoleEvidenceAdmin(VersionAdmin):
    list_display = ["role", "began_with", "ended_with"]
    list_select_related = ["role__person", "role__organisation", "began_with", "ended_with"]
    autocomplete_fields = ["role", "began_with", "ended_with", "passages"]
    search_fields = ["role__title", "role__person__name"]


admin.site.site_header = _("L'archive — édition")
admin.site.site_title = _("L'archive")
admin.site.index_title = _("Administration de l'archive")
