"""Issue 11, the points the first pass missed: each correction to the shipped story pinned as
a reader sees it, and each new check_story rule with an example that fails it."""

import datetime
import zoneinfo

import pytest

from events.models import Event
from people.models import Precision, Role

pytestmark = pytest.mark.usefixtures("story")

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def text(response):
    """The page as a reader reads it: French typography's no-break spaces as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


def at(day, hour, minute=0):
    return datetime.datetime(2023, 11, day, hour, minute, tzinfo=PACIFIC)


# ------------------------------------------------ 1. Murati's appointment: the day, no hour
def test_muratis_appointment_is_known_to_the_day_and_shown_without_an_hour(client):
    event = Event.objects.get(slug="le-conseil-nomme-mira-murati-pdg-par-interim")
    assert event.precision == Precision.DAY
    header = text(client.get(event.get_absolute_url())).split("<h1")[1].split("</header>")[0]
    assert '<time datetime="2023-11-17">vendredi 17 novembre 2023</time>' in header
    assert "12 h" not in header
    role = Role.objects.get(slug="mira-murati-pdg-par-interim-openai")
    assert role.start_precision == Precision.DAY


@pytest.mark.parametrize(
    "moment, chief", [(at(17, 11, 59), "sam-altman"), (at(17, 15), "mira-murati")]
)
def test_who_was_chief_executive_on_friday_still_answers(moment, chief):
    chiefs = Role.objects.held_at(moment).filter(organisation__slug="openai", title="PDG")
    assert [role.person.slug for role in chiefs] == [chief]
