"""Issue 20: the prose around the events (descriptions, summaries, notes, the English) held
to the claim rules of fixtures/README.md. Each correction pinned in both languages, as stored
and as a reader sees it."""

import pytest

from editions.models import Translation
from people.models import Actor, Role

pytestmark = pytest.mark.usefixtures("story")


def text(response):
    """The page as a reader reads it: French typography's no-break spaces as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


def english(kind, slug, field):
    return Translation.objects.get(**{f"{kind}__slug": slug}, field=field, language="en").text


# ------------------------------------------------ 1. Murati: an accusation, and no hour
def test_muratis_description_gives_brockmans_accusation_as_his_and_no_hour(client):
    description = Actor.objects.get(slug="mira-murati").description
    assert "informée la veille" not in description and "midi" not in description
    assert "Greg Brockman accuse l’entreprise de l’avoir informée dès la veille" in description
    assert "du vendredi 17 novembre 2023 au dimanche 19 novembre" in description
    translated = english("actor", "mira-murati", "description")
    assert "told the day before" not in translated and "noon" not in translated
    assert "Greg Brockman alleges that the company told her" in translated
    assert "Greg Brockman alleges" in text(client.get("/en/people/mira-murati/"))
    assert "Greg Brockman accuse" in text(client.get("/people/mira-murati/"))


# ------------------------------------------------ 2. her interim's English note: no hour
def test_the_english_note_on_muratis_interim_translates_the_french():
    role = Role.objects.get(slug="mira-murati-pdg-par-interim-openai")
    assert "l’article ne donne pas l’heure" in role.note
    translated = english("role", role.slug, "note")
    assert "at noon" not in translated
    assert "the article does not give the time" in translated
    assert "(start to the day" in translated and "(end to the day)" in translated
