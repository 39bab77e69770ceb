"""People and organisation pages: thin views, each page read is one named queryset method."""

from django.db.models import Case, F, Value, When
from django.views.generic import DetailView, ListView

from core.dates import KEY_MOMENTS
from core.pagination import PageErrorMixin

from .filters import AsOfForm
from .models import Actor, Role

# What an actor page shows at most, whatever the size of the archive; the events list
# (linked from the page) pages through the rest.
COMPANIONS_SHOWN = 8
EVENTS_SHOWN = 25
QUOTES_SHOWN = 20
ROLES_SHOWN = 50
# The titles an organisation page lists first, most important first (as the fixtures and
# editors write them, in French, with their English equivalents).
LEADING_TITLES = (
    ("PDG", "directeur général", "directrice générale", "CEO"),
    (
        "président du conseil d’administration",
        "présidente du conseil d’administration",
        "président du conseil",
        "chair",
        "chairman",
    ),
    ("président", "présidente", "president"),
)


class ActorListMixin(PageErrorMixin):
    paginate_by = 100
    translated_context = ("object_list",)

    def get_queryset(self):
        return self.actors.for_index()


class PersonListView(ActorListMixin, ListView):
    actors = Actor.objects.people()
    template_name = "people/person_list.html"


class OrganisationListView(ActorListMixin, ListView):
    actors = Actor.objects.organisations()
    template_name = "people/organisation_list.html"


class ActorDetailView(DetailView):
    """One actor: roles over time (or at the `?at=` moment), events, quotes, companions."""

    context_object_name = "actor"
    template_name = "people/actor_detail.html"
    # English pages: what editions.middleware translates.
    translated_context = ("actor", "roles", "participations", "quotes", "companions")

    def get_queryset(self):
        # A person's slug under /organisations/ (and the reverse) is a 404, not a redirect.
        # Events, quotes and companions are read apart, a bounded slice each.
        return self.actors.for_detail()

    def get(self, request, *args, **kwargs):
        self.as_of = AsOfForm.from_request(request)
        response = super().get(request, *args, **kwargs)
        if self.as_of.errors:
            # The page still renders, with the form's error and all roles shown.
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.roles_of(self.object)
        moment = self.as_of.moment
        if moment is not None:
            roles = roles.in_force_at(moment)
        roles = list(roles[: ROLES_SHOWN + 1])
        actor = self.object
        # Read through the reverse relations `events` declares, named as strings, so this
        # app still imports nothing from `events`; each is one bounded, indexed query.
        # With what each quote shows: its speaker, source and the article's paragraphs.
        quotes = list(
            actor.quotes.select_related("speaker", "event", "source", "source__outlet")
            .prefetch_related("passages")
            .order_by("event__occurred_at", "pk")[: QUOTES_SHOWN + 1]
        )
        companions = []
        for cell in (
            actor.facet_counts.filter(facet="actor")
            .select_related("other")
            .order_by("-count", "other__name")[:COMPANIONS_SHOWN]
        ):
            cell.other.shared_events = cell.count
            companions.append(cell.other)
        context.update(
            as_of=self.as_of,
            moment=moment,
            key_moments=KEY_MOMENTS,
            roles=roles[:ROLES_SHOWN],
            more_roles=len(roles) > ROLES_SHOWN,
            # "Who was the chief executive then?": the sole positions, answered first.
            sole_roles=[role for role in roles if role.is_sole] if moment else [],
            # With who each event's claim rests on, for the badge by its title.
            participations=actor.participations.select_related(
                "event", "event__claimed_by"
            ).order_by("occurred_at", "event_slug")[:EVENTS_SHOWN],
            events_shown=EVENTS_SHOWN,
            quotes=quotes[:QUOTES_SHOWN],
            more_quotes=len(quotes) > QUOTES_SHOWN,
            companions=companions,
        )
        return context


class PersonDetailView(ActorDetailView):
    actors = Actor.objects.people()

    def roles_of(self, person):
        return Role.objects.of_person(person)


class OrganisationDetailView(ActorDetailView):
    actors = Actor.objects.organisations()

    def roles_of(self, organisation):
        # "Who ran it?" first: chief executive, chair, president, then the rest in time order.
        return Role.objects.in_organisation(organisation).order_by(
            Case(
                *(
                    When(title__iexact=title, then=Value(rank))
                    for rank, titles in enumerate(LEADING_TITLES)
                    for title in titles
                ),
                default=Value(len(LEADING_TITLES)),
            ),
            F("start").asc(nulls_first=True),
            F("end").asc(nulls_last=True),
            "title",
        )
