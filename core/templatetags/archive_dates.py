"""Dates as precise as the story knows them, in the active language and in Pacific time."""

from django import template
from django.utils import timezone

from core.dates import describe

register = template.Library()


@register.filter
def moment(value, precision="minute"):
    """« vendredi 17 novembre 2023, 12 h 19 », « samedi 18 novembre 2023, après-midi »…"""
    return describe(value, precision) if value is not None else ""


@register.filter
def iso(value):
    """A machine-readable date for <time datetime>, with its offset."""
    return timezone.localtime(value).isoformat() if value else ""
