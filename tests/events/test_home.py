"""The home page: the story at a glance."""

import re

import pytest
from django.urls import reverse

from tests.factories import EventFactory, OrganisationFactory, PersonFactory

from .conftest import pacific

pytestmark = pytest.mark.postgres


@pytest.fixture
def week(db):
    sam = PersonFactory(name="Sam Altman")
    ilya = PersonFactory(name="Ilya Sutskever")
    microsoft = OrganisationFactory(name="Microsoft")
    return {
        "texto": EventFactory(
            title="Le texto",
            occurred_at=pacific(16, 20),
            precision="evening",
            actors=[ilya, sam],
        ),
        "sms": EventFactory(
            title="Le SMS à Greg", occurred_at=pacific(17, 12, 19), precision="minute"
        ),
        "retour": EventFactory(
            title="Négociations pour un retour",
            occurred_at=pacific(18, 15),
            precision="afternoon",
            actors=[sam],
        ),
        "casquette": EventFactory(
            title="La casquette d’invité",
            occurred_at=pacific(19, 14),
            precision="day",
            actors=[sam],
        ),
        "embauche": EventFactory(
            title="Microsoft embauche Sam Altman",
            occurred_at=pacific(20, 2),
            precision="hour",
            actors=[microsoft, sam],
        ),
    }


def test_home_shows_the_days_in_order_with_times_as_precise_as_known(client, week):
    page = client.get(reverse("home")).text
    headings = re.findall(r'<h3 id="day-[^"]+" class="day__title">([^<]+)', page)
    assert [heading.strip() for heading in headings] == [
        "Jeudi 16 novembre 2023",
        "Vendredi 17 novembre 2023",
        "Samedi 18 novembre 2023",  # Saturday and Sunday are two days here
        "Dimanche 19 novembre 2023",
        "Lundi 20 novembre 2023",
    ]
    assert '<time datetime="2023-11-17T12:19-08:00">12\u00a0h\u00a019</time>' in page
    assert '<time datetime="2023-11-18">après-midi</time>' in page
    assert '<time datetime="2023-11-19">dans la journée</time>' in page
    assert '<time datetime="2023-11-20">vers 2\u00a0h</time>' in page
    assert "heure du Pacifique" in page
    days = page[page.index('id="days-title"') :]
    assert days.index("Le texto") < days.index("Le SMS à Greg") < days.index("Microsoft embauche")


def test_home_timeline_marks_link_to_their_events_with_a_name(client, week):
    page = client.get(reverse("home")).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    texto = week["texto"]
    assert (
        f'<a class="timeline__mark timeline__mark--statement" href="{texto.get_absolute_url()}" '
        'aria-label="Le texto — jeudi 16 novembre 2023, soir">'
    ) in svg
    # Lanes for the actors with most participations, Sam Altman first.
    lanes = [
        " ".join(re.findall(r"<tspan[^>]*>([^<]+)</tspan>", label))
        for label in re.findall(r'class="timeline__lane-label[^"]*"[^>]*>(.*?)</text>', svg)
    ]
    assert lanes[0] == "Sam Altman"
    assert set(lanes) == {"Sam Altman", "Ilya Sutskever", "Microsoft", "Autres"}
    # The SMS has no main actor: it sits in « others ».
    # Coordinates are plain numbers whatever the language (no French decimal comma).
    assert not re.search(r'c[xy]="[0-9]+,', svg)


def test_home_links_key_actors(client, week):
    page = client.get(reverse("home")).text
    assert '<a href="/people/sam-altman/">Sam Altman</a>' in page
    assert '<a href="/organisations/microsoft/">Microsoft</a>' in page
    assert '<a href="/events/?actor=sam-altman">4 événements</a>' in page


def test_home_in_english(client, week):
    page = client.get("/en/").text
    assert "Saturday, November 18, 2023" in page
    assert "Pacific time" in page


def test_home_query_count_is_fixed(client, large_story, django_assert_max_num_queries):
    # data and key versions, article, latest day, day totals, the days' events, their actors,
    # archive total, key actors
    with django_assert_max_num_queries(9):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    events = large_story[1]
    # The archive's latest week, not all of its 300 events (37 days): a bounded page.
    assert events[-1].title in response.text
    assert events[0].title not in response.text
    shown = [event for event in events if event.title + "<" in response.text]
    # The latest whole days that fit in 40 events (eight a day here), newest included.
    assert shown == events[-len(shown) :]
    assert 32 <= len(shown) <= 40
    first_shown = shown[0].local_time.date()
    assert events[-len(shown) - 1].local_time.date() < first_shown


def test_home_without_events_says_so(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "L’archive ne contient encore aucun événement." in response.text


def test_home_timeline_draws_whole_day_events_across_their_day_and_links_days(client, week):
    page = client.get(reverse("home")).text
    svg = page[page.index("<svg") : page.index("</svg>")]
    casquette = week["casquette"]
    mark = svg[svg.index(f'href="{casquette.get_absolute_url()}"') :]
    mark = mark[: mark.index("</a>")]
    # A bar covering the day (0 h to 24 h of the axis), not a point at noon.
    width = float(re.search(r'class="timeline__span"[^>]*width="([0-9.]+)"', mark).group(1))
    assert width > 700
    assert '<a class="timeline__day-link" href="/events/?day=2023-11-19">' in svg
    assert re.findall(r'class="timeline__tick-label"[^>]*>([^<]+)<', svg)[:5] == [
        "0 h",
        "6 h",
        "12 h",
        "18 h",
        "24 h",
    ]
