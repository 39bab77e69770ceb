"""The story fixtures: which file holds which models, and loading them without clobbering edits.

Files are loaded in this order, and records within a file in order, so that every natural key
a record names is already known when it is read (an organisation comes before its children).
"""

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import reversion
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError, models, transaction
from django.utils import timezone

from events import counts
from events.models import Event
from people.models import Actor

FIXTURE_FILES = {
    "actors.json": ["people.actor", "people.alias"],
    "article.json": ["events.article", "events.passage"],
    "sources.json": ["events.source"],
    "events.json": ["events.event", "events.participation", "events.eventorder"],
    "quotes.json": ["events.quote"],
    "roles.json": ["people.role", "events.roleevidence"],
    "disputes.json": ["events.dispute", "events.account"],
    "translations.json": ["editions.translation"],
}


# The comment of the revision that loads the story: the starting point of the history, not a
# change readers are told of (newsarchive.history leaves it out of /changes/).
LOAD_COMMENT = "Chargé depuis les fixtures de l’histoire"


class FixtureError(Exception):
    """A fixture record that cannot be loaded; the message names the file and the record."""


@dataclass
class SeedReport:
    added: Counter = field(default_factory=Counter)
    skipped: Counter = field(default_factory=Counter)
    skipped_keys: list = field(default_factory=list)


def fixture_dir():
    return Path(settings.STORY_FIXTURES_DIR)


def describe(obj):
    try:
        key = obj.natural_key()
    except Exception:  # a half-built record may not have its key yet
        key = None
    label = obj._meta.label_lower
    return f"{label} {list(key)}" if key else label


def story_is_loaded():
    """A short description of the story in the database ("32 events, 25 actors"), or ""."""
    events, actors = Event.objects.count(), Actor.objects.count()
    return f"{events} events, {actors} actors" if events or actors else ""


def seed(directory=None, files=None):
    """Add every fixture record missing from the database; keep every record already there.

    All or nothing: the first bad record raises FixtureError and the transaction rolls back.
    """
    directory = Path(directory or fixture_dir())
    report = SeedReport()
    # Which record of this load each row came from: a second record with the same natural key
    # finds the first one's row, and would otherwise pass for "already in the database".
    loaded = {}
    # One revision for the whole load, so the admin history starts from the seeded state
    # and an editor's first change can be reverted.
    with transaction.atomic(), reversion.create_revision(), counts.deferred():
        reversion.set_comment(LOAD_COMMENT)
        for name in files or FIXTURE_FILES:
            path = directory / name
            if not path.exists():
                raise FixtureError(f"{path}: fixture file is missing")
            _load_file(path, report, loaded)
    return report


def _read_records(path):
    """The file's records, each a dict with a model and fields, or FixtureError saying where
    and why not."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise FixtureError(f"{path.name}: not UTF-8 text (byte {exc.start}): {exc.reason}") from exc
    except OSError as exc:
        raise FixtureError(f"{path}: cannot be read: {exc.strerror}") from exc
    try:
        records = json.loads(text)
    except json.JSONDecodeError as exc:
        record = _record_at(text, exc.pos)
        where = f"{path.name}: record {record}" if record else path.name
        raise FixtureError(
            f"{where}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from exc
    if not isinstance(records, list):
        raise FixtureError(
            f"{path.name}: not a list of records but a JSON {type(records).__name__}"
        )
    for index, record in enumerate(records, start=1):
        if not isinstance(record, dict):
            raise FixtureError(
                f"{path.name}: record {index}: not an object with a model and fields but a "
                f"JSON {type(record).__name__}"
            )
        missing = [key for key in ("model", "fields") if key not in record]
        if missing:
            raise FixtureError(
                f"{path.name}: record {index}: no {' and no '.join(map(repr, missing))} key"
            )
        if not isinstance(record["fields"], dict):
            raise FixtureError(f"{path.name}: record {index}: 'fields' is not an object")
    return records


def _record_at(text, position):
    """The number of the record of a JSON list whose text holds `position` (where the JSON
    parser gave up), counting the records that parse before it; None outside the list."""
    decoder = json.JSONDecoder()
    start = text.find("[")
    if start < 0 or position <= start:
        return None
    number, index = 0, start + 1
    while True:
        while index < len(text) and text[index] in " \t\r\n":
            index += 1
        if index < len(text) and text[index] == "]":
            # The list ends here: a record was expected here, or the error comes after the list.
            return number + 1 if position <= index else None
        if index < len(text) and text[index] == "," and number:
            index += 1
            continue
        number += 1
        try:
            _value, index = decoder.raw_decode(text, index)
        except json.JSONDecodeError:
            return number
        if index > position:
            return number


def _load_file(path, report, loaded):
    records = _read_records(path)
    index = 0
    try:
        for index, item in enumerate(serializers.deserialize("python", records), start=1):
            obj = item.object
            label = obj._meta.label_lower
            if (label, obj.pk) in loaded:
                raise FixtureError(
                    f"{path.name}: record {index} ({describe(obj)}): duplicate of record "
                    f"{loaded[label, obj.pk]}, which has the same natural key"
                )
            if obj.pk is not None:
                # Already in the database (found by its natural key): an editor's copy wins.
                report.skipped[label] += 1
                report.skipped_keys.append(describe(obj))
                loaded[label, obj.pk] = f"{index} of {path.name}"
                continue
            try:
                obj.full_clean(validate_unique=True, validate_constraints=True)
                item.save()
            except (ValidationError, DatabaseError, ValueError) as exc:
                raise FixtureError(
                    f"{path.name}: record {index} ({describe(obj)}): {_message(exc)}"
                ) from exc
            loaded[label, obj.pk] = f"{index} of {path.name}"
            report.added[label] += 1
    except DeserializationError as exc:
        # Raised while reading the next record (a reference to nothing, a value of the
        # wrong type); the reason is the exception's message or, wrapped, its cause's.
        reason = str(exc) or str(exc.__cause__) or type(exc.__cause__).__name__
        raise FixtureError(f"{path.name}: record {index + 1}: {reason}") from exc


def _message(exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        return "; ".join(f"{name}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
    return str(exc)


def _in_story_time(obj):
    # Fixtures read as the story is told: in Pacific time, with its offset, not in UTC.
    for model_field in obj._meta.concrete_fields:
        value = getattr(obj, model_field.attname)
        if isinstance(model_field, models.DateTimeField) and value is not None:
            setattr(obj, model_field.attname, timezone.localtime(value))
    return obj


def _dump_rows(model):
    """A model's rows in reading order: its Meta.ordering (events in time order, passages in
    article order), parents before children (the one self-reference, an actor's parent)."""
    rows = list(model._default_manager.select_related().order_by(*model._meta.ordering, "pk"))
    if not any(field.name == "parent" for field in model._meta.concrete_fields):
        return rows
    parents = {row.pk: row.parent_id for row in rows}

    def depth(row):
        level, parent = 0, row.parent_id
        while parent is not None:
            level, parent = level + 1, parents.get(parent)
        return level

    return sorted(rows, key=depth)


def dump(directory=None):
    """Write the database back to the fixture files, in the same natural-key format."""
    directory = Path(directory or fixture_dir())
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, labels in FIXTURE_FILES.items():
        objects = []
        for label in labels:
            model = apps.get_model(label)
            objects += [_in_story_time(obj) for obj in _dump_rows(model)]
        text = serializers.serialize(
            "json",
            objects,
            indent=2,
            use_natural_foreign_keys=True,
            use_natural_primary_keys=True,
        )
        (directory / name).write_text(text + "\n", encoding="utf-8")
        written.append((name, len(objects)))
    return written
