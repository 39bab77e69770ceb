"""A reader's journeys, in Chromium: timeline to event, filter by actor, switch language."""

import re

import pytest

from tests.events.conftest import pacific
from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def story_slice(transactional_db):
    ilya = PersonFactory(name="Ilya Sutskever")
    AliasFactory(actor=ilya, name="Ilya")
    sam = PersonFactory(name="Sam Altman")
    board = OrganisationFactory(name="Conseil d’administration d’OpenAI", slug="conseil")
    EventFactory(
        slug="le-texto",
        title="Ilya écrit à Sam",
        occurred_at=pacific(16, 20),
        precision="evening",
        kind="message",
        actors=[ilya, sam],
    )
    EventFactory(
        slug="le-licenciement",
        title="Le conseil licencie Sam Altman",
        occurred_at=pacific(17, 12, 19),
        precision="minute",
        kind="firing",
        actors=[board, sam, ilya],
    )
    EventFactory(
        slug="l-embauche",
        title="Microsoft embauche Sam Altman",
        occurred_at=pacific(20, 2),
        precision="night",
        kind="hire",
        actors=[sam],
    )


def test_from_the_timeline_to_an_event(page, story_slice):
    page.goto(page.base_url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Cinq jours de crise à OpenAI"
    assert page.get_by_text("heure du Pacifique").first.is_visible()
    timeline = page.locator("svg.timeline__svg")
    mark = timeline.get_by_role(
        "link",
        name=re.compile(r"Le conseil licencie Sam Altman — vendredi 17 novembre 2023, 12\sh\s19"),
    ).first
    mark.click()
    page.wait_for_url("**/events/le-licenciement/")
    assert page.get_by_role("heading", level=1).inner_text() == "Le conseil licencie Sam Altman"
    assert (
        "vendredi 17 novembre 2023, 12\u00a0h\u00a019" in page.locator(".event__when").inner_text()
    )
    page.screenshot(path="test-results/reader-event.png", full_page=True)


def test_filter_by_an_actor_through_the_form(page, story_slice):
    page.goto(page.base_url + "/events/")
    assert "3 événements" in page.locator(".results__count").inner_text()
    page.get_by_label("Nom de l’acteur").fill("Ilya")
    page.get_by_role("button", name="Filtrer").click()
    page.wait_for_url("**/events/?actor=Ilya*")
    assert "2 événements" in page.locator(".results__count").inner_text()
    titles = page.locator(".card__title").all_inner_texts()
    assert titles == ["Ilya écrit à Sam", "Le conseil licencie Sam Altman"]
    assert page.get_by_role("link", name="Retirer le filtre acteur : Ilya Sutskever").is_visible()
    # Narrow with a facet value, then remove the actor through its chip.
    page.locator(".facets").get_by_role("link", name="licenciement").click()
    assert page.locator(".card__title").all_inner_texts() == ["Le conseil licencie Sam Altman"]
    page.get_by_role("link", name="Retirer le filtre acteur : Ilya Sutskever").click()
    assert "1 événement" in page.locator(".results__count").inner_text()
    assert "kind=firing" in page.url and "actor" not in page.url


def test_unknown_actor_shows_the_error(page, story_slice):
    response = page.goto(page.base_url + "/events/?actor=Bob")
    assert response.status == 400
    # French spacing: non-breaking spaces inside « » (newsarchive.http.typography).
    form = page.locator(".filter-form").inner_text()
    assert "Aucun acteur ne correspond à «\u00a0Bob\u00a0»" in form


def test_switch_language_and_stay_on_the_page(page, story_slice):
    page.goto(page.base_url + "/events/?kind=hire")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/events/?kind=hire")
    assert page.get_by_role("heading", level=1).inner_text() == "Events"
    assert "Tuesday" not in page.content()
    assert "Monday, November 20, 2023, night" in page.locator(".card__meta").inner_text()
    page.get_by_role("link", name="Français").click()
    page.wait_for_load_state()
    assert page.url.endswith("/events/?kind=hire") and "/en/" not in page.url
    assert page.get_by_role("heading", level=1).inner_text() == "Événements"


@pytest.mark.parametrize("width", [360, 1280])
def test_pages_fit_the_screen(page, story_slice, width):
    page.set_viewport_size({"width": width, "height": 900})
    for path in ["/", "/events/?actor=ilya-sutskever", "/events/le-licenciement/"]:
        page.goto(page.base_url + path)
        # Nothing wider than the screen except the timeline's own scrolling box.
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, (path, overflow)
