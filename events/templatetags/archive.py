"""Template helpers shared by the reader-facing pages: query strings and times."""

import datetime

from django import template
from django.http import QueryDict
from django.utils import formats
from django.utils.translation import gettext, pgettext, pgettext_lazy

from events.models import story_timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def query_transform(context, **changes):
    """The current query string with some parameters set (or removed, given None or "").

    Pagination links use it so that they keep the active filters.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag
def toggle_query(params, key, value, multiple=False):
    """`params` with `key=value` added, or removed if present; back to page 1.

    A facet value is such a link (like Datasette's): clicking it again removes the filter.
    `multiple` keeps the other values of a repeatable parameter (actor).
    """
    params = params.copy() if isinstance(params, QueryDict) else QueryDict(mutable=True)
    params.pop("page", None)
    value = str(value)
    values = params.getlist(key)
    if value in values:
        values.remove(value)
    elif multiple:
        values.append(value)
    else:
        values = [value]
    params.setlist(key, values)
    if key == "actor" and len(values) < 2:
        params.pop("match", None)
    return "?" + params.urlencode() if params else "?"


@register.simple_tag
def without_query(params, *keys):
    """`params` without `keys` (a removable chip's link), back to page 1."""
    params = params.copy()
    for key in ("page", *keys):
        params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


PARTS_OF_DAY = {
    "morning": pgettext_lazy("part of day", "matin"),
    "afternoon": pgettext_lazy("part of day", "après-midi"),
    "evening": pgettext_lazy("part of day", "soir"),
    "night": pgettext_lazy("part of day", "nuit"),
}


def local(moment):
    return moment.astimezone(story_timezone())


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
        return formats.date_format(moment, pgettext("time format: hour and minute", r"G \h i"))
    if precision == "hour":
        hour = formats.date_format(moment, pgettext("time format: hour", r"G \h"))
        return gettext("vers %(hour)s") % {"hour": hour}
    if precision in PARTS_OF_DAY:
        return str(PARTS_OF_DAY[precision])
    return None


@register.filter
def when(event, style="full"):
    """An event's time as precisely as the data allows.

    style "full": « vendredi 17 novembre 2023, 12 h 19 »; "short": without the year;
    "time": only the time of day (under a heading that already gives the day).
    """
    moment = local(event.occurred_at)
    precision = event.precision
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


@register.filter
def machine_time(event):
    """The `datetime` attribute of <time>: as precise as the data, never more."""
    moment = local(event.occurred_at)
    if event.precision == "minute":
        return moment.isoformat(timespec="minutes")
    if event.precision == "year":
        return moment.strftime("%Y")
    if event.precision == "month":
        return moment.strftime("%Y-%m")
    return moment.date().isoformat()


@register.filter
def day_title(day, style="full"):
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    return day_label(day, with_year=style != "short")


@register.filter
def short_day(day):
    """« ven. 17 nov. » for facets and the timeline's columns."""
    return formats.date_format(day, pgettext("date format: short weekday and day", "D j b"))
