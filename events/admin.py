import datetime

import reversion
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import get_fields_from_path
from django.db.models import Q
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin_lists import AutocompleteFilter, LoadedChoicesAdmin
from core.admin_locking import LockedVersionAdmin

from .import_admin import import_urls
from .models import (
    Account,
    Article,
    Dispute,
    Event,
    EventOrder,
    FacetCount,
    Participation,
    Passage,
    Quote,
    RoleEvidence,
    Source,
)


class EventWordsSearch:
    """A search field that is an event's `search_text` (the event's own, or a related one's) is
    read through the events' full-text index, where a word matches the words it begins."""

    def folded_lookup(self, path, term):
        relation, _sep, column = path.rpartition("__")
        if column == "search_text" and get_fields_from_path(self.model, path)[-1].model is Event:
            events = Event.objects.matching_word_ids([term])
            return Q(**{f"{relation or 'pk'}__in": events})
        return super().folded_lookup(path, term)


# The inlines' autocomplete boxes show rows their queryset joined or prefetched: a fixed
# number of queries whatever the number of participants and quotes (core.admin_lists).
class ParticipationInline(LoadedChoicesAdmin, admin.TabularInline):
    model = Participation
    autocomplete_fields = ["actor", "part_claimed_by"]
    fields = ["actor", "part", "part_claim", "part_claimed_by"]
    extra = 0

    def get_queryset(self, request):
        # The event too: each row's title names it.
        return super().get_queryset(request).select_related("event", "actor", "part_claimed_by")


class QuoteInline(LoadedChoicesAdmin, admin.StackedInline):
    model = Quote
    autocomplete_fields = ["speaker", "source", "passages"]
    fields = [("slug", "position"), "text", ("speaker", "source"), "passages", "editor_note"]
    extra = 0

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("speaker", "source")
            .prefetch_related("passages")
        )


class ActorListFilter(AutocompleteFilter):
    """The events an actor takes part in, the actor chosen by name in an autocomplete box."""

    title = _("acteur")
    parameter_name = "actor"
    field = Participation._meta.get_field("actor")

    def queryset(self, request, queryset):
        return queryset.involving([self.value()]) if self.value() else queryset


class DayDrillDown(admin.SimpleListFilter):
    """Years, then a year's months, then a month's days: `?day=2023`, `2023-11`, `2023-11-17`.

    Read from the kept day counts (one row per day of the archive), not from the list: Django's
    `date_hierarchy` truncates the day of every listed row, twice a page, which at 100,000
    events cost more than the rest of the page, and more again under a search."""

    title = _("jour")
    parameter_name = "day"

    def parse(self):
        value = self.value() or ""
        parts = value.split("-")
        if not value or len(parts) > 3 or not all(part.isdigit() for part in parts):
            return None
        numbers = [int(part) for part in parts] + [1] * (3 - len(parts))
        return datetime.date(*numbers), len(parts)  # ValueError for a day that is none

    def lookups(self, request, model_admin):
        days = sorted(
            datetime.date.fromisoformat(value)
            for value in FacetCount.objects.filter(
                actor=None, facet=FacetCount.Facet.DAY
            ).values_list("value", flat=True)
        )
        try:
            chosen = self.parse()
        except (ValueError, OverflowError):
            chosen = None
        if chosen is None:
            years = dict.fromkeys(day.year for day in days)
            return [(str(year), str(year)) for year in years]
        start, depth = chosen
        if depth == 1:
            months = dict.fromkeys((day.year, day.month) for day in days if day.year == start.year)
            return [(str(start.year), str(start.year))] + [
                (f"{year}-{month:02d}", date_format(datetime.date(year, month, 1), "F Y"))
                for year, month in months
            ]
        shown = [day for day in days if (day.year, day.month) == (start.year, start.month)]
        return [
            (str(start.year), str(start.year)),
            (f"{start.year}-{start.month:02d}", date_format(start, "F Y")),
        ] + [(day.isoformat(), date_format(day, "j F")) for day in shown]

    def queryset(self, request, queryset):
        # A list filter's own errors are not caught by the changelist: a day that is none
        # (`2023-02-30`, `demain`, past the year 9999) is the admin's "invalid filter" here.
        try:
            chosen = self.parse()
            if chosen is None:
                if self.value():
                    raise ValueError(self.value()[:20])
                return queryset
            start, depth = chosen
            if depth == 3:
                return queryset.filter(day=start)
            if depth == 2:
                end = (start + datetime.timedelta(days=32)).replace(day=1)
            else:
                end = start.replace(year=start.year + 1)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset.filter(day__gte=start, day__lt=end)


# Versions follow the inlines, so one revision restores an event with its actors and quotes;
# a quote or participation follows its event, so changing one elsewhere makes the event's open
# forms stale.
if not reversion.is_registered(Event):
    reversion.register(Participation, follow=["event"])
    reversion.register(Quote, follow=["event"])
    reversion.register(Event, follow=["participations", "quotes"])


@admin.register(Event)
class EventAdmin(EventWordsSearch, LockedVersionAdmin):
    inlines = [ParticipationInline, QuoteInline]
    list_display = ["occurred_at", "precision", "title", "kind", "actor_names"]
    list_display_links = ["title"]
    list_filter = [DayDrillDown, ActorListFilter, "kind", "claim", "section"]
    # Folded (core.admin_lists): the words of the event through its full-text index, and the
    # names and aliases of who took part.
    search_fields = [
        "search_text",
        "participations__actor__name_key",
        "participations__actor__aliases__name_key",
    ]
    # An actor's name is in tens of thousands of events: counted up to here, in list order.
    search_count_bound = 1000
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

    @property
    def media(self):
        return super().media + ActorListFilter.media(ActorListFilter.field, self.admin_site)

    @admin.display(description=_("acteurs"))
    def actor_names(self, event):
        return ", ".join(p.actor.name for p in event.participations.all())


@admin.register(Source)
class SourceAdmin(LockedVersionAdmin):
    list_display = ["title", "kind", "outlet", "author"]
    list_filter = ["kind"]
    search_fields = ["search_text", "outlet__name_key", "author__name_key"]
    autocomplete_fields = ["outlet", "author", "passages"]
    prepopulated_fields = {"slug": ["title"]}


class PassageInline(admin.StackedInline):
    model = Passage
    extra = 0
    fields = [("number", "kind"), "text"]


# An article's passages are edited on its own page while they fit on one; past that the page
# links to its passages' list instead (thousands of inline forms would be megabytes of HTML,
# and more fields than Django accepts in one POST, so the article could not be saved).
PASSAGES_INLINE_MAX = 100


@admin.register(Article)
class ArticleAdmin(LockedVersionAdmin):
    list_display = ["title", "language"]
    search_fields = ["search_text"]
    readonly_fields = ["passages_list"]
    change_list_template = "admin/events/article/change_list.html"

    def get_urls(self):
        # « Importer une source » (events.import_admin), linked from the list's tools.
        return import_urls(self) + super().get_urls()

    def get_inlines(self, request, obj):
        if obj is not None and self.passage_count(obj) > PASSAGES_INLINE_MAX:
            return []
        return [PassageInline]

    @staticmethod
    def passage_count(article):
        # Asked by the inlines and by the link, of the same instance: counted once.
        if not hasattr(article, "_passage_count"):
            article._passage_count = article.passages.count()
        return article._passage_count

    @admin.display(description=_("passages"))
    def passages_list(self, article):
        if article.pk is None:
            return "—"
        url = reverse("admin:events_passage_changelist") + f"?article__id__exact={article.pk}"
        count = self.passage_count(article)
        return format_html(
            '<a href="{}">{}</a>',
            url,
            ngettext("Voir son passage", "Voir ses %(count)d passages", count) % {"count": count},
        )


@admin.register(Passage)
class PassageAdmin(LockedVersionAdmin):
    list_display = ["number", "kind", "excerpt", "article"]
    list_filter = ["kind", "article"]
    search_fields = ["search_text"]
    list_select_related = ["article"]
    ordering = ["article", "number"]

    def folded_lookup(self, path, term):
        # « §12 » or « 12 » is the passage of that number, as the picker labels them.
        number = term.removeprefix("§")
        if number.isdigit() and len(number) < 10:
            return Q(number=int(number)) | super().folded_lookup(path, term)
        return super().folded_lookup(path, term)

    @admin.display(description=_("extrait"))
    def excerpt(self, passage):
        return passage.text[:120]


@admin.register(Quote)
class QuoteAdmin(LockedVersionAdmin):
    list_display = ["excerpt", "speaker", "event", "source"]
    list_select_related = ["speaker", "event", "source"]
    search_fields = ["search_text", "speaker__name_key"]
    autocomplete_fields = ["event", "speaker", "source", "passages"]

    @admin.display(description=_("citation"))
    def excerpt(self, quote):
        return quote.text[:100]


@admin.register(RoleEvidence)
class RoleEvidenceAdmin(LockedVersionAdmin):
    list_display = ["role", "began_with", "ended_with"]
    list_select_related = ["role__person", "role__organisation", "began_with", "ended_with"]
    autocomplete_fields = ["role", "began_with", "ended_with", "passages"]
    search_fields = ["role__search_text", "role__person__name_key"]


class AccountInline(LoadedChoicesAdmin, admin.StackedInline):
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

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("dispute", "actor", "source")
            .prefetch_related("passages")
        )


@admin.register(Dispute)
class DisputeAdmin(LockedVersionAdmin):
    list_display = ["question", "kind", "position"]
    list_filter = ["kind"]
    search_fields = ["search_text"]
    prepopulated_fields = {"slug": ["question"]}
    autocomplete_fields = ["events"]
    inlines = [AccountInline]


@admin.register(Account)
class AccountAdmin(LockedVersionAdmin):
    """An account has its own form too, where its English is edited (inlines do not nest)."""

    list_display = ["__str__", "dispute", "position", "actor"]
    list_select_related = ["dispute", "actor"]
    list_filter = ["dispute"]
    search_fields = ["search_text", "dispute__search_text"]
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
class EventOrderAdmin(EventWordsSearch, LockedVersionAdmin):
    list_display = ["event", "after"]
    list_select_related = ["event", "after"]
    autocomplete_fields = ["event", "after", "passages"]
    search_fields = ["event__search_text", "after__search_text"]


admin.site.site_header = _("L'archive — édition")
admin.site.site_title = _("L'archive")
admin.site.index_title = _("Administration de l'archive")
