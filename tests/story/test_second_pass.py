"""Issue 20: the prose around the events (descriptions, summaries, notes, the English) held
to the claim rules of fixtures/README.md. Each correction pinned in both languages, as stored
and as a reader sees it."""

import datetime
import zoneinfo

import pytest

from editions.models import Translation
from events.models import Event, EventOrder
from people.models import Actor, Precision, Role

pytestmark = pytest.mark.usefixtures("story")

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def at(day, hour=12, minute=0):
    return datetime.datetime(2023, 11, day, hour, minute, tzinfo=PACIFIC)


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


# ------------------------------------------------ 3. Murati installed after Brockman's call
def test_muratis_appointment_sorts_after_brockmans_removal_on_the_word_of_10(client):
    appointment = Event.objects.get(slug="le-conseil-nomme-mira-murati-pdg-par-interim")
    removal = Event.objects.get(slug="greg-brockman-retire-du-conseil-d-administration")
    link = EventOrder.objects.get(event=appointment, after=removal)
    assert [p.number for p in link.passages.all()] == [10]
    assert "une fois qu’elle serait installée" in link.editor_note
    friday = [e.slug for e in Event.objects.filter(day=datetime.date(2023, 11, 17))]
    for earlier in (
        "le-conseil-licencie-sam-altman",
        "greg-brockman-recoit-un-sms-d-ilya",
        "greg-brockman-retire-du-conseil-d-administration",
    ):
        assert friday.index(earlier) < friday.index(appointment.slug), earlier
    # Still before the afternoon meeting where she is « le nouveau PDG » (§ 11).
    assert friday.index(appointment.slug) < friday.index("reunion-generale-avec-le-personnel")
    assert (appointment.precision, appointment.occurred_at) == (Precision.DAY, at(17, 13, 23))
    assert "une heure après celle de ce retrait" in appointment.body
    assert "after Greg Brockman’s removal" in english("event", appointment.slug, "body")
    # The page still shows the day only, in both languages.
    header = text(client.get(appointment.get_absolute_url())).split("<h1")[1]
    assert '<time datetime="2023-11-17">vendredi 17 novembre 2023</time>' in header
    assert "13 h" not in header.split("</header>")[0]
    header = text(client.get("/en" + appointment.get_absolute_url())).split("<h1")[1]
    assert "1:23" not in header.split("</header>")[0]


def test_her_interim_starts_with_the_appointment_and_the_archive_names_no_ceo_between():
    role = Role.objects.get(slug="mira-murati-pdg-par-interim-openai")
    assert (role.start, role.start_precision) == (at(17, 13, 23), Precision.DAY)
    assert "« installée »" in role.note and "“installed”" in english("role", role.slug, "note")
    chiefs = Role.objects.held_at(at(17, 12, 30)).filter(organisation__slug="openai", title="PDG")
    assert not chiefs.exists()
