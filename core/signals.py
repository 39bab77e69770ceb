"""Signals of the data models beyond Django's own."""

from django.dispatch import Signal

# Sent after `bulk_create` or `update` on a data model's queryset (which send no per-row
# signal), with `sender` the model: kept counts and the data version follow it.
bulk_written = Signal()
