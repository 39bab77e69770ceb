"""Times shown as precisely as the data allows, in the active language."""

import pytest
from django.utils import translation

from events.models import Event
from events.templatetags.archive import machine_time, when

from .conftest import pacific


def event(moment, precision):
    return Event(occurred_at=moment, precision=precision)


@pytest.mark.parametrize(
    "precision, full, time",
    [
        ("minute", "vendredi 17 novembre 2023, 12\u00a0h\u00a019", "12\u00a0h\u00a019"),
        ("hour", "vendredi 17 novembre 2023, vers 12\u00a0h", "vers 12\u00a0h"),
        ("morning", "vendredi 17 novembre 2023, matin", "matin"),
        ("afternoon", "vendredi 17 novembre 2023, après-midi", "après-midi"),
        ("evening", "vendredi 17 novembre 2023, soir", "soir"),
        ("night", "vendredi 17 novembre 2023, nuit", "nuit"),
        ("day", "vendredi 17 novembre 2023", "dans la journée"),
        ("month", "novembre 2023", "novembre 2023"),
        ("year", "2023", "2023"),
    ],
)
def test_french(precision, full, time):
    with translation.override("fr"):
        assert when(event(pacific(17, 12, 19), precision)) == full
        assert when(event(pacific(17, 12, 19), precision), "time") == time


def test_short_style_drops_the_year():
    with translation.override("fr"):
        assert (
            when(event(pacific(18, 15), "afternoon"), "short") == "samedi 18 novembre, après-midi"
        )


@pytest.mark.parametrize(
    "precision, full",
    [
        ("minute", "Friday, November 17, 2023, 12:19\u00a0p.m."),
        ("hour", "Friday, November 17, 2023, around 12\u00a0p.m."),
        ("afternoon", "Friday, November 17, 2023, afternoon"),
        ("day", "Friday, November 17, 2023"),
    ],
)
def test_english(precision, full):
    with translation.override("en"):
        assert when(event(pacific(17, 12, 19), precision)) == full


def test_times_are_shown_in_pacific_time_whatever_is_stored():
    import datetime

    utc = datetime.datetime(2023, 11, 18, 7, 30, tzinfo=datetime.UTC)  # 23:30 on the 17th in SF
    with translation.override("fr"):
        assert when(event(utc, "minute")) == "vendredi 17 novembre 2023, 23\u00a0h\u00a030"
    assert machine_time(event(utc, "minute")) == "2023-11-17T23:30-08:00"
    assert machine_time(event(utc, "evening")) == "2023-11-17"
