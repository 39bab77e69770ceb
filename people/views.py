from django.views.generic import DetailView, ListView

from .models import Actor


class PersonListView(ListView):
    queryset = Actor.objects.people().for_list()
    template_name = "people/person_list.html"


class PersonDetailView(DetailView):
    queryset = Actor.objects.people().for_detail()
    template_name = "people/actor_detail.html"


class OrganisationListView(ListView):
    queryset = Actor.objects.organisations().for_list()
    template_name = "people/organisation_list.html"


class OrganisationDetailView(DetailView):
    queryset = Actor.objects.organisations().for_detail()
    template_name = "people/actor_detail.html"
