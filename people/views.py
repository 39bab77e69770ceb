"""People and organisation pages: thin views, each page read is one named queryset method."""

from django.views.generic import DetailView, ListView

from .filters import AsOfForm
from .models import Actor, Role

# How many companions ("appears most with") an actor page lists.
COMPANIONS_SHOWN = 8


class ActorListMixin:
    paginate_by = 100

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

    def get_queryset(self):
        # A person's slug under /organisations/ (and the reverse) is a 404, not a redirect.
        return self.actors.for_page()

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
        context.update(
            as_of=self.as_of,
            moment=moment,
            roles=roles,
            # "Who was the chief executive then?": the sole positions, answered first.
            sole_roles=[role for role in roles if role.is_sole] if moment else [],
            companions=Actor.objects.appearing_with(self.object)[:COMPANIONS_SHOWN],
        )
        return context


class PersonDetailView(ActorDetailView):
    actors = Actor.objects.people()

    def roles_of(self, person):
        return Role.objects.of_person(person)


class OrganisationDetailView(ActorDetailView):
    actors = Actor.objects.organisations()

    def roles_of(self, organisation):
        return Role.objects.in_organisation(organisation)
