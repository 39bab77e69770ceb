"""The translations a page shows, read in one query for every record on it.

A view hands over what it shows (records, lists, querysets it will render); `attach` walks the
relations already loaded on them (select_related and prefetch_related caches, never a new
query), collects every translatable record, reads their translations in the page's language in
one query and puts them on each record as `record.translated_fields` ({field: text}). French pages
read nothing: French is the archive's own text.
"""

from django.conf import settings
from django.db.models import Model, QuerySet
from django.utils.translation import get_language

from .models import TRANSLATABLE, Translation

SOURCE_LANGUAGE = "fr"
# Deep enough for event → participation → actor and actor → role → organisation.
MAX_DEPTH = 4


def translates(language=None):
    """True where the page's language is not the archive's own."""
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language != SOURCE_LANGUAGE


def _target_of(record):
    for target, (model, _fields) in TRANSLATABLE.items():
        if isinstance(record, model):
            return target
    return None


def _loaded_relations(record):
    yield from (value for value in record._state.fields_cache.values() if value is not None)
    for related in getattr(record, "_prefetched_objects_cache", {}).values():
        yield from related


def _items(thing):
    if thing is None:
        return []
    if isinstance(thing, Model):
        return [thing]
    if isinstance(thing, dict):
        return list(thing.values())
    if isinstance(thing, (list, tuple, set, QuerySet)) or hasattr(thing, "__iter__"):
        # Evaluating a queryset here fills its cache: the template reads the same rows.
        return list(thing)
    return []


def collect(*things):
    """Every translatable record in `things` and in the relations loaded on them."""
    found = {}
    seen = set()
    stack = [(item, 0) for thing in things for item in _items(thing)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend((inner, depth) for inner in item)
            continue
        if not isinstance(item, Model) or id(item) in seen:
            continue
        seen.add(id(item))
        target = _target_of(item)
        if target and item.pk is not None:
            found.setdefault(target, []).append(item)
        if depth < MAX_DEPTH:
            stack.extend((related, depth + 1) for related in _loaded_relations(item))
    return found


def text_of(record, field):
    """The field in the page's language: its translation if attached, else the French."""
    original = getattr(record, field, "") or ""
    if not translates():
        return original
    return (getattr(record, "translated_fields", None) or {}).get(field) or original


def attach(*things, actor_rows=(), language=None):
    """Put `translated_fields` ({field: text}) on every translatable record shown; one query, none
    in French. `actor_rows` are facet rows ({"actor__slug", "label"…}), not records: an
    English name replaces their label. Returns the records found, by kind ("event"…)."""
    found = collect(*things)
    if not translates(language):
        return found
    language = (language or get_language()).split("-")[0]
    pks = {target: {record.pk for record in records} for target, records in found.items()}
    slugs = {row["actor__slug"] for row in actor_rows}
    texts, names = {}, {}
    rows = Translation.objects.of_records(language, pks, actor_slugs=slugs).values(
        *TRANSLATABLE, "actor__slug", "field", "text"
    )
    for row in rows:
        target = next(name for name in TRANSLATABLE if row[name] is not None)
        texts.setdefault((target, row[target]), {})[row["field"]] = row["text"]
        if target == "actor" and row["field"] == "name":
            names[row["actor__slug"]] = row["text"]
    for target, records in found.items():
        for record in records:
            record.translated_fields = texts.get((target, record.pk), {})
    for row in actor_rows:
        row["label"] = names.get(row["actor__slug"], row["label"])
    return found
