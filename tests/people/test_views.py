"""People and organisation pages: what a reader sees, as-of roles, errors, query counts."""

import re

import pytest
from django.urls import reverse

from events.models import Participation
from people.models import Actor, Precision
from tests.factories import (
    AliasFactory,
    EventFactory,
    OrganisationFactory,
    ParticipationFactory,
    PersonFactory,
    QuoteFactory,
    RoleFactory,
)
from tests.people.helpers import pacific, ten_stories

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def crisis():
    """Three chief executives of one company over one weekend, and a board inside it."""
    openai = OrganisationFactory(name="OpenAI", description="Entreprise d’IA.")
    board = OrganisationFactory(
        name="Conseil d’administration d’OpenAI",
        slug="conseil-d-administration-d-openai",
        organisation_kind=Actor.OrganisationKind.BOARD,
        parent=openai,
    )
    sam = PersonFactory(name="Sam Altman", description="Co-fondateur d’OpenAI.")
    AliasFactory(actor=sam, name="Sam")
    mira = PersonFactory(name="Mira Murati")
    emmett = PersonFactory(name="Emmett Shear")
    ilya = PersonFactory(name="Ilya Sutskever")
    RoleFactory(
        person=sam,
        organisation=openai,
        title="PDG",
        end=pacific(2023, 11, 17, 12, 0),
        end_precision=Precision.HOUR,
    )
    RoleFactory(
        person=mira,
        organisation=openai,
        title="PDG",
        is_interim=True,
        start=pacific(2023, 11, 17, 12, 0),
        start_precision=Precision.HOUR,
        end=pacific(2023, 11, 19, 23, 0),
        end_precision=Precision.NIGHT,
    )
    RoleFactory(
        person=emmett,
        organisation=openai,
        title="PDG",
        is_interim=True,
        start=pacific(2023, 11, 19, 23, 0),
        start_precision=Precision.NIGHT,
    )
    RoleFactory(person=ilya, organisation=board, title="membre du conseil", is_sole=False)
    RoleFactory(person=emmett, organisation=OrganisationFactory(name="Twitch"), is_former=True)
    firing = EventFactory(title="Sam Altman est licencié", occurred_at=pacific(2023, 11, 17, 12))
    ParticipationFactory(event=firing, actor=sam, part=Participation.Part.TARGET)
    ParticipationFactory(event=firing, actor=ilya, part=Participation.Part.INITIATOR)
    ParticipationFactory(event=firing, actor=board, part=Participation.Part.INITIATOR)
    later = EventFactory(title="Altman au siège", occurred_at=pacific(2023, 11, 19, 15))
    ParticipationFactory(event=later, actor=sam, part=Participation.Part.PARTICIPANT)
    ParticipationFactory(event=later, actor=board, part=Participation.Part.MENTIONED)
    QuoteFactory(event=later, speaker=sam, text="La première et la dernière fois")
    return {"openai": openai, "board": board, "sam": sam, "mira": mira, "emmett": emmett}


def holders(response):
    """The names of the people in the roles list of an organisation page."""
    return [role.person.name for role in response.context["roles"]]


def test_people_list_shows_description_aliases_and_event_counts(client, crisis):
    response = client.get(reverse("people:person_list"))
    assert response.status_code == 200
    assert [a.name for a in response.context["actor_list"]] == [
        "Emmett Shear",
        "Ilya Sutskever",
        "Mira Murati",
        "Sam Altman",
    ]
    content = response.content.decode()
    assert "Co-fondateur d’OpenAI." in content
    assert "« Sam »" in content
    assert '<a href="/events/?actor=sam-altman">2 événements</a>' in content
    assert "<title>Les personnes · L’archive</title>" in content


def test_organisations_list_shows_kind_and_parent(client, crisis):
    response = client.get(reverse("people:organisation_list"))
    names = [a.name for a in response.context["actor_list"]]
    assert names == ["Conseil d’administration d’OpenAI", "OpenAI", "Twitch"]
    assert "rattaché à OpenAI" in response.content.decode()


def test_who_was_ceo_depends_on_the_moment(client, crisis):
    url = reverse("people:organisation_detail", kwargs={"slug": "openai"})
    saturday_noon = client.get(url, {"at": "2023-11-18T12:00"})
    assert saturday_noon.status_code == 200
    assert holders(saturday_noon) == ["Mira Murati", "Ilya Sutskever"]  # the CEO first
    monday = client.get(url, {"at": "2023-11-20T09:00"})
    assert holders(monday) == ["Emmett Shear", "Ilya Sutskever"]
    friday_morning = client.get(url, {"at": "2023-11-17T08:00"})
    assert holders(friday_morning) == ["Sam Altman", "Ilya Sutskever"]
    content = saturday_noon.content.decode()
    answer = content[content.index('class="as-of__answer"') : content.index('<ol class="tenures">')]
    assert '<strong>PDG</strong> : <a href="/people/mira-murati/">Mira Murati</a>' in answer
    assert "Sam Altman" not in answer and "Ilya" not in answer  # a board seat is not sole
    assert "Rôles tenus le samedi 18 novembre 2023, 12\u00a0h\u00a000" in content
    assert 'value="2023-11-18 12:00"' in content


def test_as_of_is_read_in_pacific_time(client, crisis):
    # 19:59 UTC on Friday is 11:59 in San Francisco: Sam Altman is still chief executive.
    url = reverse("people:organisation_detail", kwargs={"slug": "openai"})
    assert "Sam Altman" in holders(client.get(url, {"at": "2023-11-17T11:59"}))
    assert "Sam Altman" not in holders(client.get(url, {"at": "2023-11-17T12:00"}))


def test_roles_show_precision_interim_and_unknown_ends(client, crisis):
    response = client.get(reverse("people:person_detail", kwargs={"slug": "emmett-shear"}))
    content = response.content.decode()
    assert "dimanche 19 novembre 2023, nuit" in content
    assert '<span class="badge">par intérim</span>' in content
    assert "inconnue" in content  # the end of his tenure at OpenAI
    assert "non datée (le texte présente ce titre comme passé)" in content  # Twitch
    sam = client.get(reverse("people:person_detail", kwargs={"slug": "sam-altman"}))
    assert "vendredi 17 novembre 2023, vers 12\u00a0h" in sam.content.decode()


def test_former_titles_are_not_held_at_a_moment(client, crisis):
    response = client.get(
        reverse("people:person_detail", kwargs={"slug": "emmett-shear"}), {"at": "2023-11-20T09:00"}
    )
    assert [role.organisation.name for role in response.context["roles"]] == ["OpenAI"]


def test_every_role_leads_to_a_moment_when_it_is_held(client, crisis):
    # Dated or not, each tenure links to the roles held at a moment; that page lists it.
    url = reverse("people:organisation_detail", kwargs={"slug": "openai"})
    content = client.get(url).content.decode()
    links = re.findall(r'<p class="tenure__at"><a href="([^"]+)">([^<]+)</a>', content)
    assert [text for _href, text in links] == [
        "Voir les rôles tenus juste avant la fin de ce rôle",  # Sam Altman: an end only
        "Voir les rôles tenus à cette date",  # Mira Murati
        "Voir les rôles tenus à cette date",  # Emmett Shear
        # Ilya Sutskever's undated board seat: the story's first key moment.
        "Voir les rôles tenus vendredi matin, avant le licenciement",
    ]
    people = ["Sam Altman", "Mira Murati", "Emmett Shear", "Ilya Sutskever"]
    for (href, _text), who in zip(links, people, strict=True):
        assert href.startswith(url + "?at=")
        assert who in holders(client.get(href))
    assert links[0][0] == url + "?at=2023-11-17T11:59"
    assert links[3][0] == url + "?at=2023-11-17T09:00"
    # A title the text gives as past, with no end, is held at no moment: no link.
    emmett = client.get(reverse("people:person_detail", kwargs={"slug": "emmett-shear"}))
    assert emmett.content.decode().count('class="tenure__at"') == 1
    english = client.get("/en/people/ilya-sutskever/").content.decode()
    assert "See the roles held on Friday morning, before the firing</a>" in english
    assert '<a href="?at=2023-11-19T23:00">Sunday evening</a>' in english


@pytest.mark.parametrize(
    "value, error",
    [
        ("demain", "Date et heure non reconnues"),
        ("2023-02-30T12:00", "Date et heure non reconnues"),
        ("2023-13-01", "Date et heure non reconnues"),
        ("<script>", "Date et heure non reconnues"),
        ("9" * 40, "Date et heure non reconnues"),
        ("9999-12-31T23:59", "Choisissez une date entre 1900 et 2100."),
        ("0001-01-01T00:00", "Choisissez une date entre 1900 et 2100."),
        ("2023-11-05T01:30", "2023-11-05 01:30:00"),  # ambiguous: daylight saving time ends
        ("2024-03-10T02:30", "2024-03-10 02:30:00"),  # does not exist in San Francisco
    ],
)
def test_malformed_moment_is_a_400_with_a_form_error(client, crisis, value, error):
    response = client.get(
        reverse("people:organisation_detail", kwargs={"slug": "openai"}), {"at": value}
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert error in content
    assert 'aria-invalid="true"' in content
    assert "<script>" not in content.split("<main")[1]
    assert "valeur reçue" in content
    assert len(response.context["roles"]) == 4  # every role, none filtered


def test_empty_moment_shows_every_role(client, crisis):
    response = client.get(
        reverse("people:organisation_detail", kwargs={"slug": "openai"}), {"at": ""}
    )
    assert response.status_code == 200
    assert len(response.context["roles"]) == 4


def test_organisation_page_shows_parent_children_events_and_companions(client, crisis):
    board = client.get(
        reverse("people:organisation_detail", kwargs={"slug": "conseil-d-administration-d-openai"})
    )
    content = board.content.decode()
    assert '<a href="/organisations/openai/">OpenAI</a>' in content
    openai = client.get(reverse("people:organisation_detail", kwargs={"slug": "openai"}))
    assert "Conseil d’administration d’OpenAI</a>" in openai.content.decode()
    assert '<a href="/events/?actor=conseil-d-administration-d-openai">' in content
    companions = [(a.name, a.shared_events) for a in board.context["companions"]]
    assert companions == [("Sam Altman", 2), ("Ilya Sutskever", 1)]


def test_person_page_shows_events_with_parts_and_quotes(client, crisis):
    response = client.get(reverse("people:person_detail", kwargs={"slug": "sam-altman"}))
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1" in content and "Sam Altman</h1>" in content
    assert content.index("Sam Altman est licencié") < content.index("Altman au siège")
    assert '<span class="part">visé</span>' in content
    assert "« La première et la dernière fois »" in content
    assert '<meta name="description" content="Co-fondateur d’OpenAI.">' in content


def test_unknown_slug_and_wrong_kind_are_404(client, crisis):
    assert client.get("/people/personne-inconnue/").status_code == 404
    assert client.get("/organisations/sam-altman/").status_code == 404
    assert client.get("/people/openai/").status_code == 404


def test_pages_in_english(client, crisis):
    response = client.get("/en/organisations/openai/", {"at": "2023-11-18T12:00"})
    content = response.content.decode()
    assert '<html lang="en">' in content
    assert "Roles held on Saturday, November 18, 2023, 12:00\u00a0p.m." in content
    assert "interim" in content
    people = client.get("/en/people/").content.decode()
    assert "2 events" in people and "Also known as" in people
    bad = client.get("/en/organisations/openai/", {"at": "x"})
    assert "Date and time not recognised" in bad.content.decode()


@pytest.fixture
def big_story():
    return ten_stories()


def test_list_query_counts_do_not_grow(client, big_story, django_assert_max_num_queries):
    for name in ("people:person_list", "people:organisation_list"):
        # data version, page count, actors (with their stored counts), aliases
        with django_assert_max_num_queries(5):
            response = client.get(reverse(name))
        assert response.status_code == 200
        assert len(response.context["object_list"]) >= 15


def test_detail_query_counts_do_not_grow(client, big_story, django_assert_max_num_queries):
    people, organisations = big_story
    for actor in (people[0], organisations[0]):
        # actor, aliases, children, participations, their events, quotes, their events
        # (sources empty here, so not queried), roles, companions, the latest correction
        with django_assert_max_num_queries(11):
            response = client.get(actor.get_absolute_url(), {"at": "2023-11-17T12:00"})
        assert response.status_code == 200
        assert len(response.context["actor"].participations.all()) > 10


@pytest.mark.parametrize(
    "name, query, message",
    [
        ("people:person_list", "page=abc", "La page « abc » n’existe pas : la liste en compte 1."),
        ("people:person_list", "page=0", "La page « 0 » n’existe pas"),
        ("people:person_list", "page=-1", "La page « -1 » n’existe pas"),
        (
            "people:organisation_list",
            "page=999999",
            "La page « 999999 » n’existe pas : la liste en compte 1.",
        ),
        ("people:organisation_list", "page=" + "9" * 30, "n’existe pas : la liste en compte 1."),
    ],
)
def test_a_page_that_does_not_exist_is_a_400_that_says_so(client, crisis, name, query, message):
    url = reverse(name)
    response = client.get(f"{url}?{query}")

    assert response.status_code == 400
    assert message in response.text
    assert f'<a href="{url}">Première page</a>' in response.text
    assert "Sam Altman" not in response.text and "Twitch" not in response.text


def test_a_page_that_exists_lists_its_actors(client, crisis):
    response = client.get(reverse("people:person_list"), {"page": "1"})

    assert response.status_code == 200
    assert "Sam Altman" in response.text
    assert "n’existe pas" not in response.text
