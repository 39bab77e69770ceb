"""The admin's search box reads as the public search does: accents, case and apostrophes do
not matter, and a word finds the words it begins (core.admin_lists), on every list that has one."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


# What an editor sees on the event list: the rows, their number, the same queries whatever the
# search finds, and past a bound (core.admin_lists.SearchPaginator) « plus de … ».
def listed(response):
    """The titles the changelist shows, in its order, and its counts as the page reads them."""
    assert response.status_code == 200
    cl = response.context["cl"]
    html = " ".join(response.content.decode().split())
    return [event.title for event in cl.result_list], html


def test_an_actor_s_name_lists_the_events_they_take_part_in(client, editor):
    helene = PersonFactory(name="Hélène Toner")
    AliasFactory(actor=helene, name="H. Toner")
    greg = PersonFactory(name="Greg Brockman")
    first = EventFactory(title="Réunion du conseil", actors=[helene])
    both = EventFactory(title="Le conseil se divise", actors=[helene, greg])
    told = EventFactory(title="Toner s’exprime", summary="Un entretien.")
    EventFactory(title="Brockman démissionne", actors=[greg])
    url = reverse("admin:events_event_changelist")
    for query in ["toner", "TÔNER"]:  # her name, and a word of a title
        titles, html = listed(client.get(url, {"q": query}))
        assert titles == [first.title, both.title, told.title], query
        assert "3 résultats" in html and "3 événements" in html, query
    for query in ["HÉLÈNE", "helene toner", "H. Toner"]:  # her name, or her alias
        titles, html = listed(client.get(url, {"q": query}))
        assert titles == [first.title, both.title], query
        assert "2 résultats" in html and "2 événements" in html, query
    titles, html = listed(client.get(url, {"q": "hélène brockman"}))
    assert titles == [both.title]
    assert "1 résultat " in html and "1 événement" in html


def test_demission_and_d_accented_emission_list_the_same_page(client, editor):
    for title in ["Démission de Sam", "Il démissionne", "Mission accomplie", "Admission"]:
        EventFactory(title=title)
    EventFactory(title="Réunion", actors=[PersonFactory(name="Démis Sionnaire")])
    url = reverse("admin:events_event_changelist")
    for query in ["demission", "démission", "DÉMISSION"]:
        titles, html = listed(client.get(url, {"q": query}))
        assert titles == ["Démission de Sam", "Il démissionne"], query
        assert "2 résultats" in html and "2 événements" in html, query
    assert found(client, "admin:events_event_changelist", "demission") == public_events(
        client, "demission"
    )


@pytest.fixture
def small_bound(monkeypatch):
    """The event list with a bound of 5 and pages of 2, so a dozen events cross both."""
    from events.admin import EventAdmin

    monkeypatch.setattr(EventAdmin, "search_count_bound", 5)
    monkeypatch.setattr(EventAdmin, "list_per_page", 2)
    monkeypatch.setattr(EventAdmin, "list_max_show_all", 2)


def test_a_search_past_the_bound_says_more_than_and_pages_in_order(client, editor, small_bound):
    sam = PersonFactory(name="Sam Altman")
    events = [EventFactory(title=f"Conseil n°{n}", actors=[sam]) for n in range(12)]
    EventFactory(title="Autre chose")
    url = reverse("admin:events_event_changelist")
    titles, html = listed(client.get(url, {"q": "altman"}))
    assert titles == [events[0].title, events[1].title]
    assert "plus de 5 résultats" in html and "plus de 5 événements" in html
    assert [listed(client.get(url, {"q": "altman", "p": p}))[0] for p in (2, 3)] == [
        [events[2].title, events[3].title],
        [events[4].title],
    ]
    assert client.get(url, {"q": "altman", "p": 4}).url.endswith("?e=1")  # past the bound
    # Below the bound, the count is exact again.
    titles, html = listed(client.get(url, {"q": "conseil n°1"}))
    assert "plus de" not in html and "3 résultats" in html
    assert titles == [events[1].title, events[10].title]
    # Without a search, the list counts every row.
    titles, html = listed(client.get(url))
    assert "13 événements" in html and "plus de" not in html


def test_a_search_makes_as_many_queries_as_the_bare_list(client, editor, small_bound):
    people = PersonFactory.create_batch(4)
    for index in range(30):
        EventFactory(title=f"Démission {index}", actors=people[index % 4 : index % 4 + 2])
    url = reverse("admin:events_event_changelist")
    counts = {}
    for query in [{}, {"q": people[0].name}, {"q": "demission"}, {"q": "demission", "p": 3}]:
        query = {**query}
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        counts[str(query)] = len(queries)
    for query in [{"q": "nothing-like-it"}, {"q": "demission 7"}]:  # one page, or none
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url, query).status_code == 200
        counts[str(query)] = len(queries)
    # No more than the bare list (one fewer when nothing is found: no actors to read).
    assert set(counts.values()) <= {counts["{}"], counts["{}"] - 1}, counts
    assert counts[str({"q": "demission", "p": 3})] == counts["{}"]
