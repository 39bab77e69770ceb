import datetime

import pytest
from django.db import IntegrityError, transaction

from people.models import Actor, Alias, Precision, Role
from tests.factories import PACIFIC, AliasFactory, OrganisationFactory, PersonFactory, RoleFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

FRIDAY_NOON = datetime.datetime(2023, 11, 17, 12, 0, tzinfo=PACIFIC)
SUNDAY = datetime.datetime(2023, 11, 19, 12, 0, tzinfo=PACIFIC)


def rejected(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_a_person_cannot_carry_organisation_fields():
    person = PersonFactory()
    person.organisation_kind = Actor.OrganisationKind.BOARD
    rejected(person.save)


def test_a_person_cannot_have_a_parent_organisation():
    person = PersonFactory()
    person.parent = OrganisationFactory()
    rejected(person.save)


def test_an_unknown_actor_kind_is_rejected():
    rejected(lambda: Actor.objects.create(name="X", slug="x", kind="robot"))


def test_slugs_are_one_namespace_for_people_and_organisations():
    PersonFactory(name="Twitch", slug="twitch")
    rejected(lambda: Actor.objects.create(name="Twitch", slug="twitch", kind="organisation"))


def test_an_alias_belongs_to_one_actor_whatever_its_case():
    AliasFactory(name="Sam")
    rejected(lambda: AliasFactory(name="SAM"))


def test_a_role_cannot_end_before_it_starts():
    rejected(
        lambda: RoleFactory(
            start=SUNDAY,
            start_precision=Precision.DAY,
            end=FRIDAY_NOON,
            end_precision=Precision.HOUR,
        )
    )


def test_a_role_date_needs_its_precision_and_a_precision_needs_its_date():
    rejected(lambda: RoleFactory(start=SUNDAY, start_precision=""))
    rejected(lambda: RoleFactory(end=None, end_precision=Precision.DAY))


def test_roles_held_at_a_moment_treat_unknown_bounds_as_open():
    openai = OrganisationFactory(name="OpenAI")
    altman = RoleFactory(
        organisation=openai, end=FRIDAY_NOON, end_precision=Precision.HOUR, title="PDG"
    )
    murati = RoleFactory(
        organisation=openai,
        start=FRIDAY_NOON,
        start_precision=Precision.HOUR,
        end=SUNDAY,
        end_precision=Precision.DAY,
        is_interim=True,
    )
    thursday = FRIDAY_NOON - datetime.timedelta(days=1)
    saturday = FRIDAY_NOON + datetime.timedelta(days=1)
    assert list(Role.objects.held_at(thursday)) == [altman]
    assert list(Role.objects.held_at(saturday)) == [murati]


def test_actor_matching_accepts_slug_name_or_alias():
    ilya = PersonFactory(name="Ilya Sutskever")
    Alias.objects.create(actor=ilya, name="Ilya")
    PersonFactory(name="Sam Altman")
    for text in ["ilya-sutskever", "Ilya Sutskever", "ilya", "ILYA"]:
        assert list(Actor.objects.matching(text)) == [ilya], text
    assert not Actor.objects.matching("").exists()


@pytest.mark.parametrize("factory", [PersonFactory, OrganisationFactory, RoleFactory, AliasFactory])
def test_natural_keys_round_trip(factory):
    obj = factory()
    model = type(obj)
    assert model._default_manager.get_by_natural_key(*obj.natural_key()) == obj


def test_actor_urls_depend_on_the_kind():
    assert PersonFactory(name="Sam Altman").get_absolute_url() == "/people/sam-altman/"
    assert OrganisationFactory(name="Microsoft").get_absolute_url() == "/organisations/microsoft/"
