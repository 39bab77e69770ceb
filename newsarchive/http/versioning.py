"""What every write to the archive's data touches, as surrogate keys (core.surrogates).

Each write (admin save, inline, revert, recover, delete and cascade, m2m change, bulk write,
fixture load, translation) stamps the keys it touches with a new data version, in its own
transaction, and once it commits asks the proxies in front to purge them (purging):

- always the key of every table it writes (`t:`), and the key of the record it writes and of
  the records it points to (an event's participation moves the event's key);
- a row added, removed or changed in a column that lists sort or filter on moves the
  table's list key (`s:`) and its words (`x:`); a change to text columns alone moves only
  the words: it reaches the pages that show the record or search its words, no other.
"""

import functools

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from core import surrogates
from core.signals import bulk_written
from newsarchive.models import DataVersion

from . import purging

DATA_APPS = {"people", "events", "editions"}
# The history readers see (/changes/): each revision, and what its editor published about it.
DATA_MODELS = {"reversion.revision", "newsarchive.correction"}
# Kept by the code that writes their sources, which announces those writes.
NOT_DATA = {"events.facetcount"}
# Columns that only a record's own rendering and searches of its words show.
TEXT_FIELDS = {"events.event": {"title", "summary", "body", "search_text", "claim_note"}}
# Tables kept by the database or by unannounced updates: the keys their sources move.
DERIVED = {
    "events_facetcount": {
        surrogates.list_key("events_event"),
        surrogates.list_key("events_participation"),
        # The counts of events citing each source document.
        surrogates.list_key("events_event_passages"),
        surrogates.list_key("events_passage"),
    },
    "events_event_fts": {surrogates.list_key("events_event"), surrogates.text_key("events_event")},
    # A participation copies its event's moment, slug, kind, day and claim.
    "events_participation": {surrogates.list_key("events_event")},
    # Versions are bulk-written with their revision (no signal of their own), in its transaction.
    "reversion_version": {surrogates.table_key("reversion_revision")},
}


def is_data(model):
    label = model._meta.label_lower
    return (model._meta.app_label in DATA_APPS and label not in NOT_DATA) or label in DATA_MODELS


def data_tables():
    """Every table whose writes are announced: the data models' and their m2m tables."""
    return {
        model._meta.db_table
        for model in apps.get_models(include_auto_created=True)
        if is_data(model)
    }


def tables_of(model):
    return [
        model._meta.db_table,
        *(parent._meta.db_table for parent in model._meta.get_parent_list()),
    ]


def whole_table_keys(model):
    keys = set()
    for table in tables_of(model):
        keys |= {
            surrogates.table_key(table),
            surrogates.list_key(table),
            surrogates.text_key(table),
        }
    return keys


def pointed_keys(instance, values):
    """The keys of the records `instance` points to (`values`: its foreign keys' ids)."""
    keys = set()
    for field in instance._meta.concrete_fields:
        if field.many_to_one and field.attname in values:
            table = surrogates.root_table(field.related_model)
            keys.add(surrogates.record_key(table, values[field.attname]))
    keys.discard(None)
    return keys


def write_keys(instance, changed=None, before=None):
    """The keys a write of `instance` touches. `changed`: the fields it changed (None: all,
    as for a new or deleted row); `before`: its stored values before the write."""
    model = type(instance)
    text_only = changed is not None and changed <= TEXT_FIELDS.get(model._meta.label_lower, set())
    keys = set()
    for table in tables_of(model):
        keys.add(surrogates.table_key(table))
        keys.add(surrogates.text_key(table))
        if not text_only:
            keys.add(surrogates.list_key(table))
    keys.add(surrogates.record_key(surrogates.root_table(model), instance.pk))
    # Loaded fields only: reading a deferred one would query (or fail, after a delete).
    keys |= pointed_keys(instance, instance.__dict__)
    if before:
        keys |= pointed_keys(instance, before)
    keys.discard(None)
    return keys


def touched(keys):
    DataVersion.objects.bump(keys)
    purging.schedule(keys)


@functools.cache
def compares_before(model):
    """Whether a save of `model` reads its stored row first: only when that can narrow or
    widen what the save touches (a text-only edit; a record key it pointed to before)."""
    return model._meta.label_lower in TEXT_FIELDS or any(
        field.many_to_one
        and surrogates.root_table(field.related_model) in surrogates.RECORD_PREFIXES
        for field in model._meta.concrete_fields
    )


def before_save(sender, instance, raw=False, **kwargs):
    if not is_data(sender) or instance.pk is None or not compares_before(sender):
        return
    names = [f.attname for f in sender._meta.concrete_fields]
    instance._stored_before = sender._base_manager.filter(pk=instance.pk).values(*names).first()


def saved(sender, instance, created, **kwargs):
    # Raw saves too: a revert in the admin is one.
    if not is_data(sender):
        return
    before = getattr(instance, "_stored_before", None)
    changed = None
    if before is not None and not created:
        by_attname = {f.attname: f.name for f in sender._meta.concrete_fields}
        loaded = instance.__dict__
        changed = {
            by_attname[name]
            for name, value in before.items()
            if name in loaded and loaded[name] != value
        }
    instance._stored_before = None
    touched(write_keys(instance, changed, before))


def deleted(sender, instance, **kwargs):
    if is_data(sender):
        touched(write_keys(instance))


def m2m_written(sender, instance, action, model, pk_set, **kwargs):
    if not is_data(sender) or not action.startswith("post_"):
        return
    keys = whole_table_keys(sender)
    keys.add(surrogates.record_key(surrogates.root_table(type(instance)), instance.pk))
    for pk in pk_set or ():
        keys.add(surrogates.record_key(surrogates.root_table(model), pk))
    keys.discard(None)
    touched(keys)


def bulk(sender, **kwargs):
    if is_data(sender):
        touched(whole_table_keys(sender))


def touch_everything():
    """For writes that cannot say what they touched (a restore, raw SQL): every page."""
    touched({surrogates.ALL})


def connect():
    uid = "newsarchive.versioning."
    pre_save.connect(before_save, dispatch_uid=uid + "pre_save")
    post_save.connect(saved, dispatch_uid=uid + "post_save")
    post_delete.connect(deleted, dispatch_uid=uid + "post_delete")
    m2m_changed.connect(m2m_written, dispatch_uid=uid + "m2m_changed")
    bulk_written.connect(bulk, dispatch_uid=uid + "bulk_written")
    surrogates.track_records(apps.get_model("events", "Event"))
