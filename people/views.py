"""People and organisation pages: thin views, each page read is one named queryset method."""

from django.views.generic import DetailView, ListView

from core.dates import KEY_MOMENTS
from core.pagination import ListPageMixin
from core.surrogates import ShowsRecordsMixin

from .actor_page import EVENTS_SHOWN, ActorPage
from .filters import AsOfForm
from .models import Actor


class ActorListMixin(ListPageMixin):
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


class ActorDetailView(ShowsRecordsMixin, DetailView):
    """One actor: roles over time (or at the `?at=` moment), events, quotes, companions."""

    context_object_name = "actor"
    template_name = "people/actor_detail.html"
    # English pages: what editions.middleware translates.
    translated_context = ("actor", "roles", "participations", "quotes", "companions")
    # By label: events sit a floor above people.
    shows_records = ("events.Event",)

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
        moment = self.as_of.moment
        page = ActorPage(self.object, moment)
        context.update(
            as_of=self.as_of,
            moment=moment,
            key_moments=KEY_MOMENTS,
            roles=page.roles,
            more_roles=page.more_roles,
            # "Who was the chief executive then?": the sole positions, answered first.
            sole_roles=[role for role in page.roles if role.is_sole] if moment else [],
            participations=page.participations,
            events_shown=EVENTS_SHOWN,
            quotes=page.quotes,
            more_quotes=page.more_quotes,
            companions=page.companions,
        )
        return context


class PersonDetailView(ActorDetailView):
    actors = Actor.objects.people()


class OrganisationDetailView(ActorDetailView):
    actors = Actor.objects.organisations()
