"""An editor imports a pasted text through the real admin, reviews it and finds the new
source on the public list."""

import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from events.models import Article
from tests.factories import ArticleFactory, EventFactory, PassageFactory, PersonFactory

pytestmark = pytest.mark.browser

TEXT = """# Le conseil d’Orion écarte sa directrice

Le vendredi 17 novembre, vers 13 h 30, le conseil a annoncé le départ de Jeanne Essai.

> Nous avons perdu confiance."""


def test_an_editor_imports_a_pasted_text_and_sees_it_among_the_sources(page, live_server):
    get_user_model().objects.create_superuser("redaction", "r@example.org", "mot-de-passe-test")
    jeanne = PersonFactory(name="Jeanne Essai")
    # An event already drawn from a first document, to be cited from the new one too.
    first = ArticleFactory(slug="premier-document", title="Premier document")
    event = EventFactory(
        title="Départ de Jeanne Essai",
        actors=[jeanne],
        passages=[PassageFactory(article=first, number=1)],
    )

    page.goto(f"{live_server.url}/admin/events/article/")
    page.get_by_label(re.compile("Nom d.utilisateur")).fill("redaction")
    page.get_by_label("Mot de passe").fill("mot-de-passe-test")
    page.get_by_role("button", name=re.compile("Connexion")).click()

    page.get_by_role("link", name="Importer une source").click()
    page.get_by_label(re.compile("^Texte")).fill(TEXT)
    page.get_by_label(re.compile("^Média")).fill("La Gazette des tests")
    page.get_by_role("button", name="Lire le document").click()

    # The review: the passages with who and when they name, editable.
    expect(page.get_by_role("heading", name="3 passages")).to_be_visible()
    found = page.locator("#passage-2 .found")
    expect(found.get_by_role("link", name="Jeanne Essai")).to_be_visible()
    expect(found).to_contain_text("« vendredi 17 novembre »")
    expect(found).to_contain_text("« 13 h 30 »")
    title = page.get_by_label(re.compile("^Titre"))
    expect(title).to_have_value("Le conseil d’Orion écarte sa directrice")
    page.get_by_role("button", name="Enregistrer la source").click()
    expect(page.get_by_text("a été importée : 3 passages")).to_be_visible()

    page.goto(f"{live_server.url}/sources/")
    link = page.get_by_role("link", name="Le conseil d’Orion écarte sa directrice")
    expect(link).to_be_visible()
    expect(page.get_by_text("La Gazette des tests")).to_be_visible()
    link.click()
    expect(page.get_by_text("Nous avons perdu confiance.")).to_be_visible()

    # The editor cites two passages of the new source from the event, through the admin's
    # passage search.
    page.goto(f"{live_server.url}/admin/events/event/{event.pk}/change/")
    for words in ("perdu confiance", "vendredi 17 novembre"):
        search = page.locator(".field-passages .select2-search__field")
        search.click()
        search.fill(words)
        page.locator(".select2-results__option", has_text=words).first.click()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("a été modifié")

    new = Article.objects.exclude(pk=first.pk).get()
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.get_by_text("Tiré de 2 documents :")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("§ 3 de Le conseil d’Orion"))).to_be_visible()
    page.goto(f"{live_server.url}/events/?source={new.slug}")
    expect(page.get_by_role("link", name="Départ de Jeanne Essai")).to_be_visible()
    expect(page.locator("#facet-source").locator("..")).to_contain_text("Premier document")
