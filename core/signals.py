"""Signals of the data models beyond Django's own."""

from django.dispatch import Signal

# Sent after `bulk_create` or `update` on a data model's queryset (which send no per-row
# signal), with `sender` the model: kept counts and the data version follow it.
bulk_written = Signal()

# Sent by `generate_archive` once its events, actors and sources are written (inside its
# transaction), with `seed`: the layers above add what they keep of a generated archive
# (the project's revision history) without the events app knowing of them.
archive_generated = Signal()
