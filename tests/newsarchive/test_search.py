"""Search: accent- and case-insensitive, grouped, named actor first, escaped, fixed queries."""

import pytest
from django.urls import reverse

from core import text
from people.models import Actor
from tests.factories import (
    AliasFactory,
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
)
from tests.people.helpers import ten_stories

pytestmark = pytest.mark.postgres

SEARCH = reverse("search")


# --- folding, in Python --------------------------------------------------------------------


@pytest.mark.parametrize(
    "written, folded",
    [
        ("Sécurité", "securite"),
        ("SÉCURITÉ", "securite"),
        ("securite", "securite"),
        ("d’OpenAI", "d'openai"),
        ("Œuvre cœur", "oeuvre coeur"),
        ("e\u0301te\u0301", "ete"),  # decomposed accents
        ("Straße", "strasse"),
        ("Naïve – déjà", "naive - deja"),
    ],
)
def test_fold(written, folded):
    assert text.fold(written) == folded


def test_highlight_escapes_and_marks():
    html = text.highlight("<b>La sécurité</b> & SECURITE", text.search_terms("securite"))
    assert html == "&lt;b&gt;La <mark>sécurité</mark>&lt;/b&gt; &amp; <mark>SECURITE</mark>"


# --- the page -------------------------------------------------------------------------------

pytestmark_db = pytest.mark.django_db


@pytest.fixture
def archive(db):
    ilya = PersonFactory(name="Ilya Sutskever", description="Chercheur en chef.")
    AliasFactory(actor=ilya, name="Ilya")
    sam = PersonFactory(name="Sam Altman", description="PDG licencié.")
    OrganisationFactory(name="Microsoft", description="Investisseur d’OpenAI.")
    EventFactory(
        title="Le conseil parle de sécurité",
        summary="Un désaccord sur la sécurité de l’IA.",
        actors=[sam],
    )
    EventFactory(title="Une note sur la securite", summary="Écrit sans accent.")
    EventFactory(
        title="Ilya Sutskever contacte Sam Altman", summary="Un texto.", actors=[ilya, sam]
    )
    EventFactory(title="Sans rapport", summary="Rien à voir.")
    QuoteFactory(speaker=sam, text="Le conseil n’a *pas* démis Sam pour la sécurité")
    return {"ilya": ilya, "sam": sam}


def titles(response, key):
    group = next(g for g in response.context["groups"] if g.key == key)
    return [str(hit.object) for hit in group.hits]


@pytest.mark.parametrize("query", ["securite", "SECURITE", "Sécurité", "sécurité", "SéCuRiTé"])
def test_accents_and_case_do_not_matter(client, archive, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert titles(response, "events") == [
        "Le conseil parle de sécurité",
        "Une note sur la securite",
    ]
    assert len(titles(response, "quotes")) == 1


def test_typographic_apostrophes_match_plain_ones(client, archive):
    for query in ["d'OpenAI", "d’openai", "D’OPENAI"]:
        assert titles(client.get(SEARCH, {"q": query}), "organisations") == ["Microsoft"]


def test_every_word_must_match(client, archive):
    response = client.get(SEARCH, {"q": "conseil securite"})
    assert titles(response, "events") == ["Le conseil parle de sécurité"]


def test_results_are_grouped_by_type_with_highlights(client, archive):
    response = client.get(SEARCH, {"q": "securite"})
    content = response.content.decode()
    assert '<section class="search-group" id="results-events"' in content
    assert '<section class="search-group" id="results-quotes"' in content
    assert 'id="results-people"' not in content  # empty groups are not shown
    assert "Le conseil parle de <mark>sécurité</mark>" in content
    assert "Une note sur la <mark>securite</mark>" in content
    assert "3 résultats pour « securite »" in content


def test_an_alias_puts_the_actor_first_with_a_link_to_their_events(client, archive):
    response = client.get(SEARCH, {"q": "ilya"})
    assert [a.name for a in response.context["named"]] == ["Ilya Sutskever"]
    content = response.content.decode()
    best = content.index('class="best-match"')
    assert best < content.index('id="results-events"')
    assert '<a href="/events/?actor=ilya-sutskever">' in content[best:]
    assert titles(response, "events") == ["Ilya Sutskever contacte Sam Altman"]


@pytest.mark.parametrize("query", ["Sam Altman", "sam-altman", "SAM ALTMAN"])
def test_a_name_or_slug_names_the_actor(client, archive, query):
    response = client.get(SEARCH, {"q": query})
    assert [a.slug for a in response.context["named"]] == ["sam-altman"]
    assert titles(response, "people")[0] == "Sam Altman"


def test_a_word_in_a_description_finds_an_actor_without_naming_it(client, archive):
    response = client.get(SEARCH, {"q": "licencie"})
    assert response.context["named"] == []
    assert titles(response, "people") == ["Sam Altman"]


def test_matches_are_escaped(client, db):
    EventFactory(title="<script>alert('sécurité')</script>", summary="<img src=x onerror=1>")
    response = client.get(SEARCH, {"q": "<script> securite"})
    content = response.content.decode()
    assert "<script>alert" not in content
    assert (
        "<mark>&lt;script&gt;</mark>alert(&#x27;<mark>sécurité</mark>&#x27;)&lt;/script&gt;"
    ) in content
    assert "« &lt;script&gt; securite »" in content
    assert "<img src=x" not in content


def test_empty_query_shows_a_prompt(client, archive):
    for params in ({}, {"q": ""}, {"q": "   "}):
        response = client.get(SEARCH, params)
        assert response.status_code == 200
        assert "Tapez un mot, un nom" in response.content.decode()
        assert "groups" not in response.context


@pytest.mark.parametrize(
    "query", ["%", "_", "'", '"', "\\", "%%_'\\", "\x00nul", "«»", "a" * 5000, "é" * 300, "🙂"]
)
def test_odd_queries_never_fail(client, archive, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code == 200
    assert len(response.context["query"]) <= 200


def test_long_queries_are_cut_and_say_so(client, archive):
    response = client.get(SEARCH, {"q": "sécurité " * 100})
    assert response.context["truncated"]
    assert "La recherche a été coupée à 200 caractères." in response.content.decode()
    assert len(titles(response, "events")) == 2


def test_a_percent_sign_is_not_a_wildcard(client, archive):
    response = client.get(SEARCH, {"q": "s%curit"})
    assert response.context["total"] == 0
    assert "Aucun résultat pour « s%curit »." in response.content.decode()


def test_search_in_english(client, archive):
    content = client.get("/en/search/", {"q": "securite"}).content.decode()
    assert '<html lang="en">' in content
    assert "3 results for “securite”" in content  # English quotation marks in English
    assert ">Events" in content and ">Quotes" in content
    empty = client.get("/en/search/").content.decode()
    assert "Type a word, a name" in empty


def test_query_count_is_fixed(client, db, django_assert_max_num_queries):
    ten_stories()
    # data and key versions, people, organisations, their aliases (one query each), events
    # and their total, quotes and their paragraphs
    with django_assert_max_num_queries(10):
        response = client.get(SEARCH, {"q": "securite"})
    sizes = {group.key: (len(group), group.more) for group in response.context["groups"]}
    assert sizes == {
        "events": (25, True),
        "mentions": (0, False),
        "people": (25, True),
        "organisations": (15, False),
        "quotes": (25, True),
    }
    assert Actor.objects.count() == 50


def test_a_name_counts_the_actors_events_as_the_actors_box_does(client, db):
    ilya = PersonFactory(name="Ilya Sutskever")
    AliasFactory(actor=ilya, name="Sutskever")
    board = OrganisationFactory(name="Conseil d’administration d’OpenAI")
    EventFactory(title="Sutskever écrit à Altman", actors=[ilya])
    # His event whose text never writes his name, and one that names him without him.
    EventFactory(title="Le conseil licencie son PDG", actors=[ilya, board])
    EventFactory(title="Brockman parle de Sutskever", actors=[board])
    page = client.get(SEARCH, {"q": "sutskever"}).content.decode()
    assert "Les événements où apparaît Ilya Sutskever (2)" in page
    assert 'Événements d’Ilya Sutskever <span class="count">2</span>' in page
    assert 'Autres événements qui contiennent ces mots <span class="count">1</span>' in page
    mentions = page[page.index('id="results-mentions"') :]
    assert "Brockman parle de" in mentions and "Le conseil licencie" not in mentions
