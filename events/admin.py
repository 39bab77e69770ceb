import datetime

import reversion
from django.contrib import admin
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.admin_locking import LockedVersionAdmin

from .models import (
    Account,
    Article,
    Dispute,
    Event,
    EventOrder,
    Participation,
    Passage,
    Quote,
    RoleEvidence,
    Source,
)


class ParticipationInline(admin.TabularInline):
    model = Participation
    autocomplete_fields = ["actor", "part_claimed_by"]
    fields = ["actor", "part", "part_claim", "part_claimed_by"]
    extra = 0


class QuoteInline(admin.StackedInline):
    model = Quote
    autocomplete_fields = ["speaker", "source", "passages"]
    fields = [("slug", "position"), "text", ("speaker", "source"), "passages", "editor_note"]
    extra = 0


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


# Versions follow the inlines, so one revision restores an event with its actors and quotes;
# a quote or participation follows its event, so changing one elsewhere makes the event's open
# forms stale.
if not reversion.is_registered(Event):
    reversion.register(Participation, follow=["event"])
    reversion.register(Quote, follow=["event"])
    reversion.register(Event, follow=["participations", "quotes"])


@admin.register(Event)
class EventAdmin(LockedVersionAdmin):
    inlines = [ParticipationInline, QuoteInline]
    list_display = ["occurred_at", "precision", "title", "kind", "actor_names"]
    list_display_links = ["title"]
    list_filter = [
        DayListFilter,
        "kind",
        "claim",
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
    autocomplete_fields = ["passages", "sources", "claimed_by"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    ("occurred_at", "precision"),
                    ("kind", "section"),
                    ("claim", "claimed_by"),
                    "claim_note",
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
class SourceAdmin(LockedVersionAdmin):
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
class ArticleAdmin(LockedVersionAdmin):
    list_display = ["title", "language"]
    inlines = [PassageInline]
    search_fields = ["title"]


@admin.register(Passage)
class PassageAdmin(LockedVersionAdmin):
    list_display = ["number", "kind", "excerpt", "article"]
    list_filter = ["kind", "article"]
    search_fields = ["text"]
    ordering = ["article", "number"]

    @admin.display(description=_("extrait"))
    def excerpt(self, passage):
        return passage.text[:120]


@admin.register(Quote)
class QuoteAdmin(LockedVersionAdmin):
    list_display = ["excerpt", "speaker", "event", "source"]
    list_select_related = ["speaker", "event", "source"]
    search_fields = ["text", "speaker__name"]
    autocomplete_fields = ["event", "speaker", "source", "passages"]

    @admin.display(description=_("citation"))
    def excerpt(self, quote):
        return quote.text[:100]


@admin.register(RoleEvidence)
class RoleEvidenceAdmin(LockedVersionAdmin):
    list_display = ["role", "began_with", "ended_with"]
    list_select_related = ["role__person", "role__organisation", "began_with", "ended_with"]
    autocomplete_fields = ["role", "began_with", "ended_with", "passages"]
    search_fields = ["role__title", "role__person__name"]


class AccountInline(admin.StackedInline):
    model = Account
    autocomplete_fields = ["actor", "source", "passages"]
    fields = [
        ("slug", "position"),
        "value",
        ("actor", "source"),
        ("stated_at", "stated_precision"),
        "passages",
        "editor_note",
    ]
    extra = 0


@admin.register(Dispute)
class DisputeAdmin(LockedVersionAdmin):
    list_display = ["question", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["question", "summary"]
    prepopulated_fields = {"slug": ["question"]}
    autocomplete_fields = ["events"]
    inlines = [AccountInline]


@admin.register(Account)
class AccountAdmin(LockedVersionAdmin):
    """An account has its own form too, where its English is edited (inlines do not nest)."""

    list_display = ["__str__", "dispute", "position", "actor"]
    list_select_related = ["dispute", "actor"]
    list_filter = ["dispute"]
    search_fields = ["value", "slug", "dispute__question"]
    autocomplete_fields = ["dispute", "actor", "source", "passages"]
    fields = [
        ("slug", "position"),
        "dispute",
        "value",
        ("actor", "source"),
        ("stated_at", "stated_precision"),
        "passages",
        "editor_note",
    ]


@admin.register(EventOrder)
class EventOrderAdmin(LockedVersionAdmin):
    list_display = ["event", "after"]
    list_select_related = ["event", "after"]
    autocomplete_fields = ["event", "after", "passages"]
    search_fields = ["event__title", "after__title"]


admin.site.site_header = _("L'archive — édition")
admin.site.site_title = _("L'archive")
admin.site.index_title = _("Administration de l'archive")
