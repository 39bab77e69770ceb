"""`/quotes/`: every quotation of the archive, verbatim, filterable by speaker and day.

Each quote carries what a reader needs to weigh it: who said it, when, where it was
published and the paragraph of the article it comes from. The speaker and day choices are
the speakers and days that have quotes, a bounded number of each, read in one query apiece.
"""

import datetime

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from django_filters.views import FilterView

from core.dates import day_label
from core.pagination import ListPageMixin
from events.models import Quote
from people.models import Actor

# The select lists at most this many speakers and days (the most quoted, the latest):
# enough for a story, bounded for a newsroom's archive; any other slug or day typed in the
# URL still filters.
CHOICES_SHOWN = 60


class QuoteFilterSet(django_filters.FilterSet):
    speaker = django_filters.ModelChoiceFilter(
        field_name="speaker",
        to_field_name="slug",
        queryset=Actor.objects.all(),
        label=_("Auteur"),
        empty_label=_("Tous les auteurs"),
    )
    day = django_filters.DateFilter(
        field_name="event__day",
        lookup_expr="exact",
        label=_("Jour"),
        input_formats=["%Y-%m-%d"],
        widget=forms.Select,
    )

    class Meta:
        model = Quote
        fields = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        speakers = list(
            Actor.objects.filter(quotes__isnull=False)
            .distinct()
            .order_by("name")
            .values_list("slug", "name")[:CHOICES_SHOWN]
        )
        days = list(
            Quote.objects.order_by("-event__day")
            .values_list("event__day", flat=True)
            .distinct()[:CHOICES_SHOWN]
        )
        self.form.fields["speaker"].widget.choices = [("", _("Tous les auteurs")), *speakers]
        self.form.fields["day"].widget.choices = [
            ("", _("Tous les jours")),
            *((day.isoformat(), day_label(day)) for day in sorted(days)),
        ]
        self.days = sorted(days)


class QuoteListView(ListPageMixin, FilterView):
    filterset_class = QuoteFilterSet
    # English pages: the translations of the titles and names shown (editions.middleware).
    translated_context = ("quotes", "speaker")
    template_name = "newsarchive/quote_list.html"
    context_object_name = "quotes"
    paginate_by = 25

    def get_queryset(self):
        return Quote.objects.for_page()

    def get_filterset_kwargs(self, filterset_class):
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        data = self.filterset.form.cleaned_data if self.filterset.is_valid() else {}
        context["speaker"] = data.get("speaker")
        day = data.get("day")
        context["day"] = day if isinstance(day, datetime.date) else None
        return context
