"""The admin's search box reads as the public search does: accents, case and apostrophes do
not matter, and a word finds the words it begins (core.admin_lists), on every list that has one."""

import pytest
from django.urls import reverse

from events.models import Event, EventOrder, RoleEvidence
from tests.editions.factories import AccountFactory, DisputeFactory, TranslationFactory
from tests.factories import (
    AliasFactory,
    ArticleFactory,
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
    RoleFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def found(client, name, query):
    """The rows the changelist `name` finds for `query` (every page of them)."""
    response = client.get(reverse(name), {"q": query})
    assert response.status_code == 200
    return set(response.context["cl"].queryset.values_list("pk", flat=True))


def public_events(client, query):
    groups = {group.key: group for group in client.get("/search/", {"q": query}).context["groups"]}
    assert not groups["events"].more
    return {hit.object.pk for key in ("events", "mentions") for hit in groups[key].hits}


@pytest.mark.parametrize(
    "spellings", [("démission", "demission", "DÉMISSION", "Démission"), ("licencié", "LICENCIE")]
)
def test_the_story_s_events_are_found_however_a_word_is_typed(client, editor, story, spellings):
    name = "admin:events_event_changelist"
    expected = public_events(client, spellings[0])
    assert expected
    for spelling in spellings:
        assert found(client, name, spelling) == expected, spelling
        assert public_events(client, spelling) == expected, spelling


def test_an_event_is_found_by_a_word_s_beginning_or_a_participant_s_alias(client, editor):
    ilya = PersonFactory(name="Ilya Sutskever")
    AliasFactory(actor=ilya, name="Ilya")
    signed = EventFactory(title="Lettre des employés d’OpenAI", actors=[ilya])
    other = EventFactory(title="Réunion du conseil")
    name = "admin:events_event_changelist"
    assert found(client, name, "employ") == {signed.pk}
    assert found(client, name, "D'OPENAI") == {signed.pk}
    assert found(client, name, "sutskever") == {signed.pk}
    assert found(client, name, "ilya lettre") == {signed.pk}
    assert found(client, name, "reunion") == {other.pk}
    assert found(client, name, "réunion ilya") == set()
    assert found(client, name, "") == {signed.pk, other.pk}


def search_cases():
    """(changelist, a factory making the row to find, a query typed another way)."""

    def actor():
        return AliasFactory(actor=PersonFactory(name="Hélène Toner"), name="Hélène").actor

    def role():
        return RoleFactory(title="Présidente du conseil")

    def evidence():
        return RoleEvidence.objects.create(role=RoleFactory(title="Présidente"))

    def order():
        return EventOrder.objects.create(
            event=EventFactory(title="Démission"), after=EventFactory(title="Avant")
        )

    def translation():
        return TranslationFactory(event=EventFactory(title="Démission"), text="Resignation")

    return [
        ("events_event", lambda: EventFactory(title="Démission de Greg"), "DEMISSION"),
        ("people_actor", actor, "helene"),
        ("people_actor", lambda: OrganisationFactory(name="Conseil d’administration"), "D'ADMIN"),
        ("people_role", role, "PRESIDENTE"),
        ("events_quote", lambda: QuoteFactory(text="Nous démissionnerons"), "demission"),
        ("events_source", lambda: SourceFactory(title="Déclaration du conseil"), "declaration"),
        ("events_article", lambda: ArticleFactory(title="Les Échos"), "echos"),
        ("events_passage", lambda: PassageFactory(text="Il a été évincé."), "EVINCE"),
        ("events_dispute", lambda: DisputeFactory(question="Qui l’a prévenu ?"), "prevenu"),
        ("events_account", lambda: AccountFactory(value="Selon Brockman, à midi"), "a midi"),
        ("events_roleevidence", evidence, "presidente"),
        ("events_eventorder", order, "DEMISSION"),
        ("editions_translation", translation, "demission"),
    ]


@pytest.mark.parametrize(("changelist", "make", "query"), search_cases())
def test_every_admin_search_box_reads_folded_words(client, editor, changelist, make, query):
    row = make()
    name = f"admin:{changelist}_changelist"
    assert row.pk in found(client, name, query)
    assert found(client, name, "zzzz-nothing-like-it") == set()


def test_the_passage_picker_finds_a_passage_by_number_or_words(client, editor):
    passages = PassageFactory.create_batch(30)
    wanted = passages[11]
    url = reverse("admin:autocomplete")
    params = {"app_label": "events", "model_name": "event", "field_name": "passages"}
    for term in [f"§{wanted.number}", str(wanted.number)]:
        results = client.get(url, {**params, "term": term}).json()["results"]
        assert str(wanted.pk) in {row["id"] for row in results}, term
    results = client.get(url, {**params, "term": "PARAGRAPHE numero"}).json()
    assert len(results["results"]) == 20 and results["pagination"]["more"]


def test_the_actor_filter_is_an_autocomplete_box_with_the_chosen_actor(client, editor):
    sam = PersonFactory(name="Sam Altman")
    others = PersonFactory.create_batch(5)
    fired = EventFactory(title="Licenciement", actors=[sam])
    EventFactory(title="Autre", actors=others)
    url = reverse("admin:events_event_changelist")
    html = client.get(url).content.decode()
    assert 'data-filter-parameter="actor" class="autocomplete-filter admin-autocomplete"' in html
    assert "core/admin_autocomplete_filter.js" in html
    assert all(actor.name not in html.split("changelist-filter")[-1] for actor in others)
    response = client.get(url, {"actor": sam.pk})
    assert set(response.context["cl"].queryset.values_list("pk", flat=True)) == {fired.pk}
    sidebar = response.content.decode().split('id="changelist-filter"')[-1]
    assert f'<option value="{sam.pk}" selected>Sam Altman</option>' in sidebar
    assert "_facets" not in sidebar  # no count by value: a scan each
    assert Event.objects.count() == 2
