"""« Corrigé le … : … » on a corrected event's or actor's page: its latest published
correction, read in one query (newsarchive.models.Correction)."""

from django import template

from core.dates import day_label, local
from newsarchive.models import Correction

register = template.Library()


@register.inclusion_tag("newsarchive/_correction_note.html")
def correction_note(record, record_param):
    """`record_param`: `event` or `actor`, how /changes/ is asked for this record's changes."""
    correction = Correction.objects.latest_for(record)
    return {
        "correction": correction,
        "day": day_label(local(correction.created).date()) if correction else "",
        "record": record,
        "record_param": record_param,
    }
