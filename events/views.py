from django.http import HttpResponseRedirect, QueryDict
from django.utils.http import urlencode
from django.utils.translation import gettext
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView

from core.dates import day_label
from core.pagination import ListPageMixin
from core.surrogates import ShowsRecordsMixin
from people.models import Actor

from .filters import EventFilterSet
from .listing import FACET_SIZE, FACET_SIZE_MORE, listing_for
from .models import Account, Claim, Dispute, Event, EventKind, FacetCount
from .querystrings import toggled


class EventListView(ShowsRecordsMixin, ListPageMixin, FilterView):
    filterset_class = EventFilterSet
    queryset = Event.objects.for_list()
    template_name = "events/event_list.html"
    # The whole story (32 events) on one page, under its five days; still a bounded page.
    paginate_by = 40
    listing = None
    # The actor field suggests the most involved actors' names, never every name.
    suggested_actors = 50
    # English pages: what editions.middleware translates (the page's events, the actors
    # asked for, and the names in the actor facet).
    translated_context = ("object_list", "active_actors")
    translated_rows = ("facets.actor",)
    # Surrogate keys: its events as records; its lists by moment, day, kind, claim, actor.
    shows_records = (Event,)

    def searches_words(self):
        return bool(self.request.GET.get("q"))

    def get_filterset_kwargs(self, filterset_class):
        # Always bound, even with no query string, so facets and defaults work on a bare /events/.
        return {**super().get_filterset_kwargs(filterset_class), "data": self.request.GET}

    def get(self, request, *args, **kwargs):
        # A form submitted without script sends every field, empty or at its default
        # (`?actor=x&match=any&day=&kind=&q=&sort=asc`): send the reader to the short URL
        # that says the same, so it can be shared and cached as one page.
        if clean := without_empty_params(request.GET):
            return HttpResponseRedirect(request.path + clean)
        self.filterset = self.get_filterset(self.get_filterset_class())
        if self.filterset.is_valid():
            self.listing = listing_for(self.filterset)
            self.object_list = self.listing.events
        else:
            self.object_list = self.filterset.queryset.none()
        context = self.get_context_data(filter=self.filterset, object_list=self.object_list)
        # Malformed or unknown filter values, or a page that does not exist: a 400 that says so.
        return self.render_to_response(context)

    def get_paginator(self, queryset, per_page, **kwargs):
        paginator = super().get_paginator(queryset, per_page, **kwargs)
        if self.listing and self.listing.count is not None:
            paginator.count = self.listing.count  # known from kept counts: no COUNT(*)
        return paginator

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        valid = filterset.is_valid()
        paginator = context.get("paginator")
        if valid and filterset.active_day and paginator and not paginator.count:
            valid = not self.day_outside_archive(filterset)
        context["params"] = self.canonical_params() if valid else QueryDict()
        context["active_actors"] = filterset.active_actors
        # The actor inputs show what was asked: names once understood, else the text typed.
        context["actor_inputs"] = (
            [actor.name for actor in filterset.active_actors]
            if valid
            else filterset.form["actor"].value() or []
        )
        context["actor_suggestions"] = Actor.objects.name_suggestions(self.suggested_actors)
        if valid and not self.page_error:
            kinds = dict(EventKind.choices)
            context["facets"] = self.facet_links(context["params"])
            context["facet_sizes"] = {"short": FACET_SIZE, "long": FACET_SIZE_MORE}
            context["kind_label"] = kinds.get(filterset.form.cleaned_data.get("kind"))
            context["claim_label"] = dict(Claim.choices).get(
                filterset.form.cleaned_data.get("claim")
            )
        return context

    def day_outside_archive(self, filterset):
        """An empty day outside the archive's first and last days is the reader's mistake:
        say which days the archive covers (one query, only for an empty result)."""
        first, last = FacetCount.objects.archive_day_range()
        day = filterset.active_day
        if first is None or first <= day <= last:
            return False
        filterset.form.add_error(
            "day",
            gettext(
                "Le %(day)s est en dehors de l’archive, qui va du %(first)s au %(last)s : "
                "choisissez un jour de cette période."
            )
            % {"day": day_label(day), "first": day_label(first), "last": day_label(last)},
        )
        self.object_list = filterset.queryset.none()
        return True

    def facet_links(self, params):
        """Each facet value with its label, count and the link that adds or removes it,
        built here in one pass rather than by a template tag per value."""
        rows = self.listing.facet_rows()
        actors = set(params.getlist("actor"))
        links = {
            facet: [
                {
                    **row,
                    "active": row["value"] == params.get(facet),
                    "href": toggled(params, facet, row["value"]),
                }
                for row in rows[facet]
            ]
            for facet in ("day", "kind", "claim", "source")
        }
        links["actor"] = [
            {
                **row,
                "active": row["value"] in actors,
                "href": toggled(params, "actor", row["value"], multiple=True),
            }
            for row in rows["actor"]
        ]
        return links

    def canonical_params(self):
        """The valid filters as a query string: actors by slug, no page, no empty values."""
        data = self.filterset.form.cleaned_data
        params = QueryDict(mutable=True)
        slugs = [actor.slug for actor in data.get("actor") or []]
        if slugs:
            params.setlist("actor", slugs)
        if data.get("match") == "all" and len(slugs) > 1:
            params["match"] = "all"
        if data.get("day"):
            params["day"] = data["day"].isoformat()
        if data.get("source"):
            params["source"] = data["source"].slug
        for key in ("kind", "claim", "q"):
            if data.get(key):
                params[key] = data[key]
        if data.get("sort") == "desc":
            params["sort"] = "desc"
        if data.get("more"):
            params["more"] = data["more"]
        return params


# Values a submitted form carries that change nothing: empty fields and the defaults.
DEFAULT_PARAMS = {("match", "any"), ("sort", "asc")}


def without_empty_params(query):
    """The query string without empty values and defaults, or "" when it has none of them."""
    pairs = [(key, value) for key, values in query.lists() for value in values]
    # A default given twice with another value is an error the form reports: left alone.
    single = {key for key, values in query.lists() if len(values) == 1}
    kept = [
        (k, v) for k, v in pairs if v.strip() and not ((k, v) in DEFAULT_PARAMS and k in single)
    ]
    if len(kept) == len(pairs):
        return ""
    return "?" + urlencode(kept) if kept else "?"


class EventDetailView(ShowsRecordsMixin, DetailView):
    queryset = Event.objects.for_detail()
    shows_records = (Event,)
    translated_context = ("object", "previous_event", "next_event", "disputes")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["previous_event"], context["next_event"] = Event.objects.neighbours(self.object)
        context["disputes"] = grouped_by_dispute(Account.objects.of_event(self.object))
        # The documents its passages come from, in order (read with them: no query).
        documents = {p.article_id: p.article for p in self.object.passages.all()}
        context["cited_documents"] = list(documents.values())
        return context


def grouped_by_dispute(accounts):
    """[(dispute, [accounts…]), …] from accounts that carry their dispute (one query)."""
    groups = {}
    for account in accounts:
        groups.setdefault(account.dispute_id, (account.dispute, []))[1].append(account)
    return list(groups.values())


class DisputeListView(ListPageMixin, ListView):
    """Accounts and figures that disagree, side by side, each with who gives it and where."""

    queryset = Dispute.objects.for_page()
    template_name = "events/dispute_list.html"
    context_object_name = "disputes"
    paginate_by = 20
    translated_context = ("disputes",)
