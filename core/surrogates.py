"""Surrogate keys: what a page shows, named so that a write can reach exactly the pages it
changes (the `xkey` / `Surrogate-Key` of Varnish and Fastly; newsarchive.http.caching).

A page's keys are collected while it renders, from what it actually reads:

- every data table its SQL reads gives `t:<table>`, which every write to that table moves:
  always right, whatever the view does with the rows;
- a view may *vouch* for a table (`vouch()`): it shows that table's rows only as loaded
  records and its lists depend only on the table's non-text columns. The page then carries
  the key of each record it loaded (`e12`) and the table's list key `s:<table>`, which only
  writes that add, remove or move a row (not a text edit) move. Editing one event's summary
  then reaches the pages that show that event, not every page that reads events;
- a view that searches a table's words adds `x:<table>`, moved by every text edit.

A page that loads more records than `MAX_RECORD_KEYS` of one table names the table instead:
the header stays bounded at any data size.
"""

import contextlib
import contextvars
import re

from django.apps import apps
from django.db import connections
from django.db.models.signals import post_init

ALL = "all"  # on every page: moved by writes that cannot say what they touched
MAX_RECORD_KEYS = 200
# The records that have a key of their own, by the table of their root model.
RECORD_PREFIXES = {"events_event": "e"}
# The data apps' tables, and the history published at /changes/ (revisions and corrections).
DATA_TABLE = re.compile(
    r"\b((?:events|people|editions)_[a-z0-9_]+"
    r"|reversion_(?:revision|version)|newsarchive_correction)\b"
)

_page = contextvars.ContextVar("surrogate_page", default=None)


def table_key(table):
    return f"t:{table}"


def list_key(table):
    return f"s:{table}"


def text_key(table):
    return f"x:{table}"


def root_table(model):
    """The table of the model at the root of its multi-table inheritance."""
    parents = model._meta.get_parent_list()
    return (parents[-1] if parents else model)._meta.db_table


def record_key(table, pk):
    prefix = RECORD_PREFIXES.get(table)
    return f"{prefix}{pk}" if prefix and pk is not None else None


class PageDependencies:
    def __init__(self):
        self.tables = set()
        self.records = {}
        self.vouched = set()
        self.extra = set()

    def keys(self, data_tables, derived):
        """The page's keys. `data_tables`: the tables writes announce; `derived`: for a table
        kept by the database or by code that announces nothing, the keys its sources move."""
        keys = {ALL, *self.extra}
        for table in self.tables:
            keys.update(derived.get(table, ()))
            if table not in data_tables:
                continue
            records = self.records.get(table, set())
            if table in self.vouched and len(records) <= MAX_RECORD_KEYS:
                keys.add(list_key(table))
                keys.update(filter(None, (record_key(table, pk) for pk in records)))
            else:
                keys.add(table_key(table))
        return keys


def _sniff(execute, sql, params, many, context):
    page = _page.get()
    if page is not None:
        page.tables.update(DATA_TABLE.findall(sql))
    return execute(sql, params, many, context)


def _loaded(sender, instance, **kwargs):
    page = _page.get()
    if page is not None:
        table = root_table(sender)
        page.records.setdefault(table, set()).add(instance.pk)


@contextlib.contextmanager
def collecting(using="default"):
    """Collect the dependencies of what runs inside the block (one page's rendering)."""
    page = PageDependencies()
    token = _page.set(page)
    try:
        with connections[using].execute_wrapper(_sniff):
            yield page
    finally:
        _page.reset(token)


def vouch(*models, words=False):
    """The current page shows these models' rows only as loaded records, and lists them by
    their non-text columns (`words=True`: and by their words too, as a search does)."""
    page = _page.get()
    if page is None:
        return
    for model in models:
        if isinstance(model, str):  # a label, from a floor below the model's app
            model = apps.get_model(model)
        table = root_table(model)
        page.vouched.add(table)
        if words:
            page.extra.add(text_key(table))


def add_keys(*keys):
    page = _page.get()
    if page is not None:
        page.extra.update(keys)


def track_records(*models):
    """Record the key of every instance of these models loaded while a page renders."""
    for model in models:
        post_init.connect(_loaded, sender=model, dispatch_uid=f"core.surrogates.{model._meta}")


class ShowsRecordsMixin:
    """A view that vouches (`vouch()`) for the models of `shows_records`."""

    shows_records = ()

    def searches_words(self):
        return False

    def dispatch(self, request, *args, **kwargs):
        vouch(*self.shows_records, words=self.searches_words())
        return super().dispatch(request, *args, **kwargs)
