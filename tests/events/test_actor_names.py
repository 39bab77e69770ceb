"""Readers type names as they come: any apostrophe, with or without accents, any case."""

import pytest

from people.models import Actor
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def board():
    board = OrganisationFactory(
        name="Conseil d’administration d’OpenAI", slug="conseil-d-administration-d-openai"
    )
    staff = OrganisationFactory(name="Employés d’OpenAI", slug="employes-d-openai")
    EventFactory(title="Le conseil licencie", actors=[board])
    EventFactory(title="La lettre ouverte", actors=[staff])
    return board, staff


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("conseil d'administration d'OpenAI", "conseil-d-administration-d-openai"),
        ("Conseil d’administration d’OpenAI", "conseil-d-administration-d-openai"),
        ("CONSEIL D ADMINISTRATION D OPENAI", "conseil-d-administration-d-openai"),
        ("Employes d'OpenAI", "employes-d-openai"),
        ("employés d’openai", "employes-d-openai"),
        ("employes-d-openai", "employes-d-openai"),
    ],
)
def test_the_events_list_accepts_names_as_typed(client, board, typed, expected):
    response = client.get("/events/", {"actor": typed})
    assert response.status_code == 200
    page = response.content.decode()
    title = "Le conseil licencie" if expected.startswith("conseil") else "La lettre ouverte"
    other = "La lettre ouverte" if title == "Le conseil licencie" else "Le conseil licencie"
    assert title in page and other not in page


def test_aliases_match_without_accents_too():
    helene = PersonFactory(name="Hélène Exemple")
    AliasFactory(actor=helene, name="Hélène")
    assert list(Actor.objects.matching("helene")) == [helene]
    assert list(Actor.objects.matching("HÉLÈNE EXEMPLE")) == [helene]
    assert not Actor.objects.matching("Hél").exists()
