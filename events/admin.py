import datetime

import reversion
from django import forms
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.timezone import localtime
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


def latest_version_id(event_pk):
    """The newest history entry of an event: the lock token an editor's form carries.

    Every admin save and every revert adds a Version, and version ids only grow, so this
    token never goes backwards (a counter on the row would: reverting restores old values).
    """
    versions = Version.objects.get_for_object_reference(Event, event_pk)
    return versions.values_list("pk", flat=True).first() or 0


class EventAdminForm(forms.ModelForm):
    """Refuses a save made from a stale copy of the event (optimistic locking)."""

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
            self.fields["seen_version"].initial = latest_version_id(self.instance.pk)

    def clean(self):
        cleaned = super().clean()
        if not self.instance.pk:
            return cleaned
        # Two saves must not both pass this check: PostgreSQL locks the row here; SQLite
        # transactions start IMMEDIATE (settings), so the second save waits for the first.
        list(Event.objects.select_for_update().filter(pk=self.instance.pk).values("pk"))
        current = latest_version_id(self.instance.pk)
        if cleaned.get("seen_version") != current:
            last = Version.objects.select_related("revision__user").get(pk=current)
            who = last.revision.user or _("un autre éditeur")
            when = date_format(localtime(last.revision.date_created), "DATETIME_FORMAT")
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


# Versions follow the inlines, so one revision restores an event with its actors and quotes.
if not reversion.is_registered(Event):
    reversion.register(Participation)
    reversion.register(Quote)
    reversion.register(Event, follow=["participations", "quotes"])


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
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    ("occurred_at", "precision"),
                    ("kind", "section"),
                    "seen_version",
                ]
            },
        ),
        (_("Récit"), {"fields": ["summary", "body"]}),
        (_("Provenance"), {"fields": ["passages", "sources"]}),
    ]
    history_latest_first = True

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description=_("acteurs"))
    def actor_names(self, event):
        return ", ".join(p.actor.name for p in event.participations.all())


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
