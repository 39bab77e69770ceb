"""An editor in a real browser: log in, edit an event, see it on the site and in history."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.browser


def test_an_editor_edits_an_event_and_finds_it_in_the_history(page, live_server):
    get_user_model().objects.create_superuser("redaction", "r@example.org", "mot-de-passe-test")
    sam = PersonFactory(name="Sam Altman")
    event = EventFactory(title="Sam Altman est licencié", actors=[sam])

    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    # Anonymous: the admin sends us to its login page first.
    page.get_by_label(re.compile("Nom d.utilisateur")).fill("redaction")
    page.get_by_label("Mot de passe").fill("mot-de-passe-test")
    page.get_by_role("button", name=re.compile("Connexion")).click()

    page.get_by_label(re.compile(r"^Titre")).fill("Sam Altman est licencié par le conseil")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_text("a été modifié avec succès")).to_be_visible()

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(
        page.get_by_role("heading", name="Sam Altman est licencié par le conseil")
    ).to_be_visible()

    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/history/")
    history = page.locator("#change-history")
    expect(history.get_by_text("redaction").first).to_be_visible()
    expect(history).to_contain_text("Titre")
