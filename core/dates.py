"""Times as precisely as the story knows them, in Pacific time and in the active language.

One place for every page: « vendredi 17 novembre 2023, 12 h 19 » for a minute,
« samedi 18 novembre 2023, après-midi » for a part of the day, just the day for a day.
"""

import functools
import zoneinfo

from django.conf import settings
from django.db import models
from django.utils import formats
from django.utils.translation import get_language, gettext, gettext_lazy, pgettext, pgettext_lazy

PARTS_OF_DAY = {
    "morning": pgettext_lazy("part of day", "matin"),
    "afternoon": pgettext_lazy("part of day", "après-midi"),
    "evening": pgettext_lazy("part of day", "soir"),
    "night": pgettext_lazy("part of day", "nuit"),
}


class Precision(models.TextChoices):
    """How much of a stored datetime the story actually tells us."""

    MINUTE = "minute", gettext_lazy("à la minute")
    HOUR = "hour", gettext_lazy("à l'heure")
    MORNING = "morning", gettext_lazy("matin")
    AFTERNOON = "afternoon", gettext_lazy("après-midi")
    EVENING = "evening", gettext_lazy("soir")
    NIGHT = "night", gettext_lazy("nuit")
    DAY = "day", gettext_lazy("jour")
    MONTH = "month", gettext_lazy("mois")
    YEAR = "year", gettext_lazy("année")


# A moment in the links to "roles held at a moment" (`?at=2023-11-17T09:00`, Pacific time).
AT_FORMAT = "%Y-%m-%dT%H:%M"

# The story's key moments (Pacific time, as `?at=` takes them): the shortcuts of every "roles
# held at a moment" form, and where a role with no known start is looked at.
KEY_MOMENTS = [
    ("2023-11-17T09:00", gettext_lazy("vendredi matin, avant le licenciement")),
    ("2023-11-17T13:00", gettext_lazy("vendredi, juste après le licenciement")),
    ("2023-11-18T12:00", gettext_lazy("samedi midi")),
    ("2023-11-19T23:00", gettext_lazy("dimanche soir")),
    ("2023-11-20T09:00", gettext_lazy("lundi matin")),
]


def story_timezone():
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def local(moment):
    return moment.astimezone(story_timezone())


def at_value(moment):
    """The `?at=` value of a stored moment."""
    return local(moment).strftime(AT_FORMAT)


def nbsp(text):
    # No line break inside « 12 h 19 » or « 12:19 p.m. ».
    return text.replace(" ", "\u00a0")


def day_label(day, with_year=True):
    """« vendredi 17 novembre 2023 » in French, « Friday, November 17, 2023 » in English."""
    if with_year:
        fmt = pgettext("date format: weekday, day, month, year", "l j F Y")
    else:
        fmt = pgettext("date format: weekday, day, month", "l j F")
    return formats.date_format(day, fmt)


def time_label(moment, precision):
    """How precisely the story knows the time of day, or None for a whole day."""
    moment = local(moment)
    if precision == "minute":
        return nbsp(
            formats.date_format(moment, pgettext("time format: hour and minute", r"G \h i"))
        )
    if precision == "hour":
        hour = nbsp(formats.date_format(moment, pgettext("time format: hour", r"G \h")))
        return gettext("vers %(hour)s") % {"hour": hour}
    if precision in PARTS_OF_DAY:
        return str(PARTS_OF_DAY[precision])
    return None


def describe(moment, precision, style="full"):
    """`moment` as precisely as `precision` allows.

    style "full": with the year; "short": without it; "time": only the time of day (under a
    heading that already gives the day).
    """
    # Pure for a given language; lists show the same few hundred moments again and again.
    return _describe(moment, precision, style, get_language())


@functools.lru_cache(maxsize=8192)
def _describe(moment, precision, style, language):
    moment = local(moment)
    if precision == "year":
        return formats.date_format(moment, "Y")
    if precision == "month":
        return formats.date_format(moment, pgettext("date format: month and year", "F Y"))
    time = time_label(moment, precision)
    if style == "time":
        return time or gettext("dans la journée")
    day = day_label(moment.date(), with_year=style != "short")
    if time is None:
        return day
    return pgettext("day, then time of day", "%(day)s, %(time)s") % {"day": day, "time": time}


def machine(moment, precision):
    """The `datetime` attribute of <time>: as precise as the data, never more."""
    moment = local(moment)
    if precision == "minute":
        return moment.isoformat(timespec="minutes")
    if precision == "year":
        return moment.strftime("%Y")
    if precision == "month":
        return moment.strftime("%Y-%m")
    return moment.date().isoformat()
