"""Dates as precise as the story knows them, in the active language and in Pacific time."""

from django import template
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from people.models import Precision

register = template.Library()

PARTS_OF_DAY = {Precision.MORNING, Precision.AFTERNOON, Precision.EVENING, Precision.NIGHT}


@register.filter
def moment(value, precision=Precision.MINUTE):
    """« vendredi 17 novembre 2023, 12 h 19 », « samedi 18 novembre 2023, après-midi »…"""
    if value is None:
        return ""
    local = timezone.localtime(value)
    if precision == Precision.YEAR:
        return formats.date_format(local, "Y")
    if precision == Precision.MONTH:
        return formats.date_format(local, pgettext("date format: month", "F Y"))
    day = formats.date_format(local, pgettext("date format: day", "l j F Y"))
    if precision == Precision.DAY:
        return day
    if precision in PARTS_OF_DAY:
        return _("%(day)s, %(part)s") % {"day": day, "part": Precision(precision).label}
    if precision == Precision.HOUR:
        # No line break inside « 12 h 19 » or « 12:19 p.m. ».
        hour = nbsp(formats.date_format(local, pgettext("time format: hour", "G \\h")))
        return _("%(day)s, vers %(hour)s") % {"day": day, "hour": hour}
    time = nbsp(formats.date_format(local, pgettext("time format: minute", "G \\h i")))
    return _("%(day)s, %(time)s") % {"day": day, "time": time}


def nbsp(text):
    return text.replace(" ", "\u00a0")


@register.filter
def iso(value):
    """A machine-readable date for <time datetime>, with its offset."""
    return timezone.localtime(value).isoformat() if value else ""
