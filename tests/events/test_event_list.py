"""What a reader sees on /events/: filters, facets, chips, pagination, errors."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from events.models import Event
from events.views import EventListView
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

from .conftest import pacific

pytestmark = pytest.mark.postgres

URL = reverse("events:event_list")


class Titles(HTMLParser):
    """The event titles listed, in page order (the card headings' links)."""

    def __init__(self):
        super().__init__()
        self.titles, self._in, self._link = [], False, False

    def handle_starttag(self, tag, attrs):
        self._in = tag in ("h3", "h4") and ("class", "card__title") in attrs or self._in
        # The title is the heading's link; a claim badge may follow it in the heading.
        self._link = self._in and tag == "a" or self._link

    def handle_endtag(self, tag):
        if tag in ("h3", "h4"):
            self._in = False
        if tag == "a":
            self._link = False

    def handle_data(self, data):
        if self._link and data.strip():
            self.titles.append(data.strip())


def listed(response):
    parser = Titles()
    parser.feed(response.content.decode())
    return parser.titles


@pytest.fixture
def cast(db):
    ilya = PersonFactory(name="Ilya Sutskever")
    AliasFactory(actor=ilya, name="Ilya")
    AliasFactory(actor=ilya, name="Sutskever")
    sam = PersonFactory(name="Sam Altman")
    board = OrganisationFactory(
        name="Conseil d’administration d’OpenAI", slug="conseil-d-administration-d-openai"
    )
    events = {
        "texto": EventFactory(
            title="Ilya écrit à Sam",
            occurred_at=pacific(16, 20),
            precision="evening",
            kind="message",
            actors=[ilya, sam],
        ),
        "licenciement": EventFactory(
            title="Le conseil licencie Sam Altman",
            occurred_at=pacific(17, 12, 0),
            precision="minute",
            kind="firing",
            summary="Le conseil annonce le départ du PDG pour manque de sincérité.",
            actors=[board, sam, ilya],
        ),
        "regrets": EventFactory(
            title="Les regrets d’Ilya",
            occurred_at=pacific(20, 5, 15),
            precision="minute",
            kind="statement",
            body="« Je regrette profondément ma participation aux actions du conseil. »",
            actors=[ilya],
        ),
        "microsoft": EventFactory(
            title="Microsoft embauche",
            occurred_at=pacific(20, 2),
            precision="night",
            kind="hire",
            actors=[sam],
        ),
    }
    return {"ilya": ilya, "sam": sam, "board": board, **events}


def test_lists_every_event_in_time_order(client, cast):
    response = client.get(URL)
    assert response.status_code == 200
    assert listed(response) == [
        "Ilya écrit à Sam",
        "Le conseil licencie Sam Altman",
        "Microsoft embauche",
        "Les regrets d’Ilya",
    ]
    assert "4 événements" in response.content.decode()


def test_sort_desc_puts_the_latest_first(client, cast):
    assert listed(client.get(URL, {"sort": "desc"}))[0] == "Les regrets d’Ilya"


@pytest.mark.parametrize("text", ["ilya-sutskever", "Ilya Sutskever", "ILYA", "Sutskever"])
def test_actor_by_slug_name_or_alias(client, cast, text):
    response = client.get(URL, {"actor": text})
    assert response.status_code == 200
    assert listed(response) == [
        "Ilya écrit à Sam",
        "Le conseil licencie Sam Altman",
        "Les regrets d’Ilya",
    ]
    # The chip names the actor and removes the filter.
    chip = re.search(r'<a class="chip chip--removable" href="([^"]*)">', response.text)
    assert chip and "actor" not in chip.group(1)
    assert "acteur : Ilya Sutskever" in response.text


def test_several_actors_any_by_default_all_with_match_all(client, cast):
    any_of = client.get(URL + "?actor=ilya-sutskever&actor=conseil-d-administration-d-openai")
    assert len(listed(any_of)) == 3
    all_of = client.get(
        URL + "?actor=ilya-sutskever&actor=conseil-d-administration-d-openai&match=all"
    )
    assert listed(all_of) == ["Le conseil licencie Sam Altman"]
    assert "tous ensemble" in all_of.text


def test_unknown_actor_is_a_400_with_the_error_beside_the_field(client, cast):
    response = client.get(URL, {"actor": "Bob Inconnu"})
    assert response.status_code == 400
    page = response.text
    assert "Aucun acteur ne correspond à « Bob Inconnu »" in page
    assert 'value="Bob Inconnu"' in page  # what was typed stays in the field
    assert 'aria-invalid="true"' in page
    assert listed(response) == []
    assert "Effacer tous les filtres" in page


def test_actor_field_suggests_names_and_aliases(client, cast):
    response = client.get(URL)
    assert '<datalist id="actor-suggestions">' in response.text
    assert '<option value="Sutskever" label="Ilya Sutskever">' in response.text
    assert '<option value="Sam Altman">' in response.text


def test_day_is_a_pacific_calendar_day_across_utc_midnight(client, db):
    # 23:30 on the 17th in San Francisco is already the 18th in UTC; 00:30 on the 18th is not
    # the 17th.
    EventFactory(title="Tard vendredi", occurred_at=pacific(17, 23, 30), precision="minute")
    EventFactory(title="Tôt samedi", occurred_at=pacific(18, 0, 30), precision="minute")
    EventFactory(title="Tôt vendredi", occurred_at=pacific(17, 0, 5), precision="minute")
    assert listed(client.get(URL, {"day": "2023-11-17"})) == ["Tôt vendredi", "Tard vendredi"]
    assert listed(client.get(URL, {"day": "2023-11-18"})) == ["Tôt samedi"]


def test_kind_and_words_accent_and_case_insensitive(client, cast):
    assert listed(client.get(URL, {"kind": "firing"})) == ["Le conseil licencie Sam Altman"]
    # « sincérité » in the summary, « regrette » in the body.
    assert listed(client.get(URL, {"q": "SINCERITE"})) == ["Le conseil licencie Sam Altman"]
    assert listed(client.get(URL, {"q": "regrette  conseil"})) == ["Les regrets d’Ilya"]
    assert listed(client.get(URL, {"q": "regrets d'ilya"})) == ["Les regrets d’Ilya"]


def test_facets_count_the_current_filter_in_one_query_each(
    client, cast, django_assert_max_num_queries
):
    with django_assert_max_num_queries(11):  # data version (page cache), source facet
        response = client.get(URL, {"actor": "sam-altman"})
    facets = response.context["facets"]
    actors = {row["actor__slug"]: row["count"] for row in facets["actor"]}
    assert actors == {"sam-altman": 3, "ilya-sutskever": 2, "conseil-d-administration-d-openai": 1}
    days = {row["day"].isoformat(): row["count"] for row in facets["day"]}
    assert days == {"2023-11-16": 1, "2023-11-17": 1, "2023-11-20": 1}
    kinds = {row["kind"]: row["count"] for row in facets["kind"]}
    assert kinds == {"message": 1, "firing": 1, "hire": 1}


def test_facet_values_add_and_remove_their_filter(client, cast):
    page = client.get(URL, {"actor": "Sam Altman"}).text
    # Adding a second actor keeps the first (by slug); clicking the active one removes it.
    assert 'href="?actor=sam-altman&amp;actor=ilya-sutskever"' in page
    assert 'href="?" aria-current="true" class="is-active"' in page
    assert 'href="?actor=sam-altman&amp;kind=firing"' in page
    assert 'href="?actor=sam-altman&amp;day=2023-11-20"' in page


def test_empty_result_says_so_and_offers_to_clear(client, cast):
    response = client.get(URL, {"q": "licorne"})
    assert response.status_code == 200
    assert "Aucun événement ne correspond à ces filtres." in response.text
    assert "0 événement<" in response.text  # French plural: zero is singular
    assert f'<a href="{URL}">Effacer tous les filtres</a>' in response.text


@pytest.mark.parametrize(
    "query, message",
    [
        ("day=2023-13-45", "Saisissez une date valide."),
        ("day=17/11/2023", "Saisissez une date valide."),
        ("day=9999-12-31", "Choisissez un jour entre 1900 et 2999."),
        ("kind=licorne", "Sélectionnez un choix valide."),
        ("q=" + "x" * 201, "au plus 200 caractères"),
        ("q=%00", "Le caractère nul n’est pas autorisé."),
        ("sort=random", "Sélectionnez un choix valide."),
        ("match=some", "Sélectionnez un choix valide."),
        ("day=2023-11-17&day=2023-11-18", "Une seule valeur à la fois pour ce filtre."),
        ("&".join(f"actor=a{n}" for n in range(11)), "Pas plus de 10 acteurs à la fois."),
        ("page=abc", "La page « abc » n’existe pas"),
        ("page=99", "La page « 99 » n’existe pas : la liste en compte 1."),
        ("page=0", "La page « 0 » n’existe pas"),
    ],
)
def test_bad_input_is_a_400_that_says_what_is_wrong(client, cast, query, message):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert message in response.text
    assert "Filtre invalide" in response.text
    assert listed(response) == []


def test_unknown_parameters_are_ignored(client, cast):
    response = client.get(URL + "?utm_source=x&foo=%00&actor=", follow=True)
    assert response.redirect_chain == [(URL + "?utm_source=x&foo=%00", 302)]
    assert response.status_code == 200
    assert len(listed(response)) == 4


def test_pagination_keeps_the_filters(client, db):
    sam = PersonFactory(name="Sam Altman")
    per_page = EventListView.paginate_by
    for _ in range(2 * per_page + 5):
        EventFactory(actors=[sam], kind="statement")
    EventFactory(kind="statement")  # not Sam's
    response = client.get(URL, {"actor": "sam-altman", "kind": "statement", "page": 2})
    assert response.status_code == 200
    assert f"{2 * per_page + 5} événements" in response.text
    assert "page 2 sur 3" in response.text
    assert 'href="?actor=sam-altman&amp;kind=statement&amp;page=3" rel="next"' in response.text
    assert 'href="?actor=sam-altman&amp;kind=statement&amp;page=1" rel="prev"' in response.text
    assert len(listed(response)) == per_page


def test_english_interface(client, cast):
    response = client.get("/en/events/", {"actor": "ilya"})
    page = response.text
    assert '<html lang="en">' in page
    assert "<h1>Events</h1>" in page
    assert "3 events" in page
    assert "Thursday, November 16, 2023, evening" in page
    assert "firing" in page  # the kind's label
    bad = client.get("/en/events/", {"actor": "Bob"})
    assert bad.status_code == 400
    assert "No actor matches « Bob »" in bad.text


def test_accept_language_does_not_change_the_language(client, cast):
    response = client.get(URL, HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert "<h1>Événements</h1>" in response.text


def test_query_count_is_fixed_whatever_the_size(client, large_story, django_assert_max_num_queries):
    actors, _ = large_story
    two = f"actor={actors[0].slug}&actor={actors[1].slug}"
    for query in ["", "page=7", f"{two}&match=all&sort=desc", f"{two}&kind=statement&q=evenement"]:
        with django_assert_max_num_queries(11):  # data version (page cache), source facet
            response = client.get(f"{URL}?{query}")
        assert response.status_code == 200


def test_page_weight_under_100_kb(client, large_story):
    html = client.get(URL).content
    css = sum(
        Path(finders.find(f"css/{name}")).stat().st_size for name in ["site.css", "print.css"]
    )
    assert len(html) + css < 100_000, (len(html), css)
    assert Event.objects.count() == 300


GARBAGE = [
    "day=0001-01-01",
    "day=9999-12-31",
    "day=2023-02-30",
    "day=",
    "actor=" + "a" * 300,
    "actor=%00",
    "actor=%E2%80%99",
    "actor=ilya&actor=ilya&actor=ILYA",
    "page=99999999999999999999999",
    "page=-1",
    "page=1&page=2",
    "q=%25%25_",
    "q=" + "%F0%9F%98%80" * 50,
    "kind[]=firing",
    "match=all",
    "sort=asc&sort=desc",
    "%ff=%ff",
    "actor",
]


@pytest.mark.parametrize("query", GARBAGE)
def test_garbage_never_breaks_the_page(client, cast, query):
    # Empty values are dropped by a redirect to the shorter URL first.
    response = client.get(f"{URL}?{query}", follow=True)
    assert response.status_code in (200, 400)
    assert "<h1>Événements</h1>" in response.text
    if response.status_code == 400:
        assert "Filtre invalide" in response.text


def test_bare_list_has_facets_too(client, cast):
    response = client.get(URL)
    assert {row["kind"] for row in response.context["facets"]["kind"]} == {
        "message",
        "firing",
        "statement",
        "hire",
    }
    assert "Par acteur" in response.text


def test_title_names_the_filters_for_sharing(client, cast):
    response = client.get(URL, {"actor": "ilya", "day": "2023-11-17", "kind": "firing"})
    title = "Événements · Ilya Sutskever · vendredi 17 novembre · licenciement · L’archive"
    assert f"<title>{title}</title>" in response.text


def test_day_facet_says_the_year_when_days_span_several(client, db):
    EventFactory(occurred_at=pacific(17).replace(year=2022), title="Un an plus tôt")
    EventFactory(occurred_at=pacific(17), title="L’événement")
    labels = [row["label"] for row in client.get(URL).context["facets"]["day"]]
    assert labels == ["jeudi 17 novembre 2022", "vendredi 17 novembre 2023"]


def test_more_values_for_one_facet_only_and_a_bad_choice_is_a_400(client, db):
    actors = PersonFactory.create_batch(12)
    for index in range(12):
        EventFactory(actors=actors[: index + 1], occurred_at=pacific(16 + index % 5, hour=index))
    assert len(client.get(URL).context["facets"]["actor"]) == 10
    facets = client.get(URL, {"more": "actor"}).context["facets"]
    assert len(facets["actor"]) == 12 and len(facets["day"]) == 5
    response = client.get(URL, {"more": "everything"})
    assert response.status_code == 400


def test_a_form_submitted_with_empty_fields_and_defaults_redirects_to_the_short_url(client, cast):
    response = client.get(URL + "?actor=ilya-sutskever&match=any&day=&kind=&q=&sort=asc")
    assert response.status_code == 302
    assert response["Location"] == URL + "?actor=ilya-sutskever"
    assert client.get(URL + "?day=&kind=")["Location"] == URL + "?"
    # A default given twice is not silently cleaned: the form says it is one value at a time.
    assert client.get(URL + "?sort=asc&sort=desc").status_code == 400


def test_a_day_outside_the_archive_is_a_400_that_names_the_archives_days(client, cast):
    response = client.get(URL + "?day=2020-01-01")
    assert response.status_code == 400
    assert (
        "Le mercredi 1 janvier 2020 est en dehors de l’archive, qui va du jeudi 16 novembre "
        "2023 au" in response.text
    )
    # A day inside the archive with nothing recorded is simply empty.
    assert client.get(URL + "?day=2023-11-18").status_code == 200


def test_the_list_offers_the_days_and_main_actors_before_the_results_grouped_by_day(client, cast):
    page = client.get(URL).text
    shortcuts = page[
        page.index('class="quick-filters"') : page.index(
            "</nav>", page.index('class="quick-filters"')
        )
    ]
    assert 'href="?day=2023-11-17#results-title"' in shortcuts
    assert "?actor=" in shortcuts
    assert page.index('class="quick-filters"') < page.index('id="results-title"')
    days = re.findall(r'<h3 class="results__day-title"[^>]*>([^<]+)</h3>', page)
    assert days and days == sorted(set(days), key=days.index)
    assert '<form class="filter-form" method="get" action="/events/#results-title"' in page
