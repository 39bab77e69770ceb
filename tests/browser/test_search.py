"""A reader searches from the header box, sees results grouped by type and follows one."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import AliasFactory, EventFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def archive(transactional_db):
    ilya = PersonFactory(name="Ilya Sutskever", description="Chercheur en chef d’OpenAI.")
    AliasFactory(actor=ilya, name="Ilya")
    OrganisationFactory(name="OpenAI", description="Entreprise d’IA, soucieuse de sécurité.")
    EventFactory(
        title="Désaccord sur la sécurité",
        summary="Le conseil et Ilya Sutskever parlent de sécurité.",
        actors=[ilya],
    )


def test_search_without_accents_and_follow_a_result(page, archive):
    page.goto(page.base_url + "/")
    box = page.locator("#site-search-q")
    box.fill("SECURITE")
    box.press("Enter")

    expect(page).to_have_url(re.compile(r"/search/\?q=SECURITE$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Recherche")
    events = page.locator("#results-events")
    expect(events.get_by_role("heading", level=2)).to_contain_text("Événements")
    expect(events.locator("mark").first).to_have_text("sécurité")
    organisations = page.locator("#results-organisations")
    expect(organisations.get_by_role("link", name="OpenAI")).to_be_visible()
    expect(page.locator("#results-people")).to_have_count(0)

    organisations.get_by_role("link", name="OpenAI").click()
    expect(page).to_have_url(re.compile(r"/organisations/openai/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("OpenAI")


def test_a_first_name_puts_the_person_first(page, archive):
    page.goto(page.base_url + "/people/")
    page.locator("#site-search-q").fill("ilya")
    page.get_by_role("search").first.get_by_role("button").click()

    best = page.locator(".best-match")
    expect(best).to_be_visible()
    expect(best.get_by_role("link", name="Ilya Sutskever", exact=True)).to_be_visible()
    expect(
        best.get_by_role("link", name=re.compile("Les événements où apparaît"))
    ).to_have_attribute("href", "/events/?actor=ilya-sutskever")
    best.get_by_role("link", name="Ilya Sutskever", exact=True).click()
    expect(page).to_have_url(re.compile(r"/people/ilya-sutskever/$"))
    expect(page.get_by_role("link", name="Désaccord sur la sécurité")).to_be_visible()
