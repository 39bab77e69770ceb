"""Template helpers shared by the reader-facing pages: query strings and times."""

import datetime

from django import template
from django.utils import formats
from django.utils.html import format_html
from django.utils.translation import get_language, gettext, pgettext

from core.dates import day_label, describe, local, machine

from ..querystrings import toggled
from .french import french_de

register = template.Library()


@register.simple_tag
def toggle_query(params, key, value, multiple=False):
    return toggled(params, key, value, multiple)


@register.simple_tag
def without_query(params, *keys):
    """`params` without `keys` (a removable chip's link), back to page 1."""
    params = params.copy()
    for key in ("page", *keys):
        params.pop(key, None)
    return "?" + params.urlencode() if params else "?"


@register.filter
def when(event, style="full"):
    """An event's time as precisely as the data allows (see core.dates.describe)."""
    return describe(event.occurred_at, event.precision, style)


@register.filter
def time_tag(event, style="full"):
    """<time datetime="…">…</time> for an event, as precise as its data: one filter rather
    than a partial, since lists show dozens of them."""
    return format_html(
        '<time datetime="{}">{}</time>',
        machine(event.occurred_at, event.precision),
        describe(event.occurred_at, event.precision, style or "full"),
    )


@register.filter
def machine_time(event):
    return machine(event.occurred_at, event.precision)


@register.filter
def day_title(day, style="full"):
    if isinstance(day, datetime.datetime):
        day = local(day).date()
    return day_label(day, with_year=style != "short")


@register.filter
def short_day(day):
    """« ven. 17 nov. » for facets and the timeline's columns."""
    return formats.date_format(day, pgettext("date format: short weekday and day", "D j b"))


@register.filter
def moment_tag(moment, precision):
    """<time> for any stored moment with its precision (an account's date, say)."""
    return format_html(
        '<time datetime="{}">{}</time>', machine(moment, precision), describe(moment, precision)
    )


@register.filter
def part_claim_badge(participation):
    """The same badge for one participant whose part the article does not vouch for itself
    (Nadella « aurait mené cette charge », selon Bloomberg), beside the participant."""
    return _claim_badge(
        getattr(participation, "part_claim", "established"),
        participation.part_claimed_by if participation.part_claimed_by_id else None,
        participation.get_part_claim_display(),
    )


@register.filter
def claim_badge(event):
    """The badge by an event's title saying on whose word it rests: « selon Bloomberg »,
    « accusation de Greg Brockman », « non confirmé »; nothing for an established event.
    A filter rather than a partial: lists show dozens of titles."""
    claim = getattr(event, "claim", "established")
    if claim == "established" or not claim:
        return ""
    return _claim_badge(claim, event.claimed_by if event.claimed_by_id else None, event.claim_label)


def _claim_badge(claim, claimed_by, label):
    if claim == "established" or not claim:
        return ""
    name = claimed_by.name if claimed_by else ""
    if claim == "reported":
        text = gettext("selon %(name)s") % {"name": name}
    elif claim == "alleged":
        text = gettext("accusation de %(name)s") % {"name": name}
        if text == f"accusation de {name}":  # French: « accusation d’Ilya Sutskever »
            text = f"accusation {french_de(name)}"
    else:
        text = gettext("non confirmé")
    # The badge is the reader's language inside a French title.
    return format_html(
        ' <span class="badge badge--claim badge--{}" lang="{}" title="{}">{}</span>',
        claim,
        get_language() or "fr",
        label,
        text,
    )
