"""The archive's published history: every save of an event, a person or an organisation
since the story was loaded, newest first, with what changed in the fields a reader sees.

Read from django-reversion. A revision is one save (an event with its participants and
quotes, an actor with its aliases and roles, a revert, a recovery); the one that loaded the
story (`story.LOAD_COMMENT`, also `seed_story --add-missing`) is where the history starts,
not a change, and is left out. Revisions of other records (sources, passages, disputes…)
are left out too: readers follow them through the events and actors they back. What changed
is the revision's version of the record compared with the record's previous version: for an
event its title, summary, time and precision, claim, participants and quotes; for an actor
its name and description. Editors' names are never read.

A page of changes costs a fixed number of queries: the revisions (with their notes), the
versions they hold, the previous versions of their records, then the actors and events named.
"""

import json
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils.dateparse import parse_datetime
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from reversion.models import Revision, Version

from core.dates import Precision, describe
from events.models import Claim, Event, Part
from people.models import Actor

from .models import Correction
from .story import LOAD_COMMENT

EVENT, ACTOR = ("events", "event"), ("people", "actor")
PARTICIPATION, QUOTE = ("events", "participation"), ("events", "quote")
RECORDS = (EVENT, ACTOR)
INLINES = (PARTICIPATION, QUOTE)
# Long texts and long lists are cut: a page of 20 changes stays under 100 KB of HTML.
TEXT_CHARS = 240
CONTEXT_CHARS = 60
QUOTE_CHARS = 100
NAME_CHARS = 60
ITEMS_SHOWN = 5


def of_models(models):
    query = Q()
    for app_label, model in models:
        query |= Q(content_type__app_label=app_label, content_type__model=model)
    return query


def record_label(record):
    return (record._meta.app_label, record._meta.model_name)


def published_revisions(record=None):
    """The revisions readers are told of, newest first, with their notes; `record`: only
    those that changed that event or actor."""
    versions = Version.objects.filter(revision=OuterRef("pk"))
    if record is None:
        versions = versions.filter(of_models(RECORDS))
    else:
        versions = versions.filter(of_models([record_label(record)]), object_id=str(record.pk))
    return (
        Revision.objects.exclude(comment=LOAD_COMMENT)
        .filter(Exists(versions))
        .select_related("correction")
        .order_by("-pk")
    )


@dataclass
class FieldChange:
    name: str
    label: str
    before: list
    after: list
    # The story's own words (French whatever the page's language), or "" for values the
    # archive words in the page's language (a time, a claim, participants' parts).
    lang: str = ""


@dataclass
class Change:
    revision: Revision
    kind: str
    kind_label: str
    record_kind: str  # event, person or organisation
    title: str
    url: str | None
    note: Correction | None
    fields: list = field(default_factory=list)

    @property
    def at(self):
        return self.revision.date_created

    @property
    def when(self):
        return describe(self.at, Precision.MINUTE)


def parsed(version):
    return json.loads(version.serialized_data)[0]["fields"]


def label_of(version):
    return (version.content_type.app_label, version.content_type.model)


class Snapshot:
    """A record as one revision holds it: its fields, and for an event the participants and
    quotes that revision holds with it (every revision of an event holds all of them)."""

    def __init__(self, version, inlines=()):
        self.version = version
        self.fields = parsed(version)
        self.participations = set()
        self.quotes = {}
        pk = int(version.object_id)
        for inline in inlines:
            data = parsed(inline)
            if data.get("event") != pk:
                continue
            if label_of(inline) == PARTICIPATION:
                self.participations.add((data["actor"], data["part"]))
            else:
                self.quotes[data["slug"]] = data["text"]


def short(text, chars=QUOTE_CHARS):
    return Truncator(text or "").chars(chars)


def excerpts(old, new):
    """`old` and `new` cut to the passage that changed, with a little text around it: a
    word changed at the end of a long summary is shown, not cut off."""
    old, new = old or "", new or ""
    if len(old) <= TEXT_CHARS and len(new) <= TEXT_CHARS:
        return [old], [new]
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    cut = old.rfind(" ", 0, max(0, start - CONTEXT_CHARS)) + 1

    def piece(text):
        stop = min(len(text), len(text) - end + CONTEXT_CHARS)
        shown = Truncator(text[cut:stop]).chars(TEXT_CHARS)
        before = "…" if cut else ""
        after = "…" if stop < len(text) and not shown.endswith("…") else ""
        return f"{before}{shown}{after}"

    return [piece(old)], [piece(new)]


def when_of(fields):
    moment = parse_datetime(fields.get("occurred_at") or "")
    return describe(moment, fields.get("precision")) if moment else ""


def claim_of(fields):
    value = fields.get("claim")
    return str(Claim(value).label) if value in Claim.values else value or ""


def bounded(items):
    items = sorted(items)
    if len(items) > ITEMS_SHOWN:
        more = len(items) - ITEMS_SHOWN
        return [*items[:ITEMS_SHOWN], str(_("… et %(n)d de plus") % {"n": more})]
    return items


def event_changes(before, after, actors):
    def participant(pair):
        actor_id, part = pair
        name = short(actors[actor_id].name, NAME_CHARS) if actor_id in actors else f"#{actor_id}"
        return f"{name} ({Part(part).label})" if part in Part.values else name

    changes = []
    for name, label in (("title", _("titre")), ("summary", _("résumé"))):
        old, new = before.fields.get(name), after.fields.get(name)
        if old != new:
            changes.append(FieldChange(name, label, *excerpts(old, new), "fr"))
    if when_of(before.fields) != when_of(after.fields) or any(
        before.fields.get(name) != after.fields.get(name) for name in ("occurred_at", "precision")
    ):
        old, new = when_of(before.fields), when_of(after.fields)
        changes.append(FieldChange("when", _("date et heure"), [old], [new]))
    if claim_of(before.fields) != claim_of(after.fields):
        changes.append(
            FieldChange("claim", _("statut"), [claim_of(before.fields)], [claim_of(after.fields)])
        )
    if before.participations != after.participations:
        gone = before.participations - after.participations
        new = after.participations - before.participations
        changes.append(
            FieldChange(
                "actors",
                _("acteurs"),
                bounded(map(participant, gone)),
                bounded(map(participant, new)),
            )
        )
    if before.quotes != after.quotes:
        old, new = before.quotes, after.quotes
        gone = [short(text) for slug, text in old.items() if new.get(slug) != text]
        new = [short(text) for slug, text in new.items() if old.get(slug) != text]
        changes.append(FieldChange("quotes", _("citations"), bounded(gone), bounded(new), "fr"))
    return changes


def actor_changes(before, after):
    changes = []
    for name, label in (("name", _("nom")), ("description", _("description"))):
        old, new = before.fields.get(name), after.fields.get(name)
        if old != new:
            changes.append(FieldChange(name, label, *excerpts(old, new), "fr"))
    return changes


def kind_of(note, created):
    if note is not None:
        return note.kind, note.get_kind_display()
    if created:
        return "creation", str(_("création"))
    return "edit", str(_("modification"))


def note_of(revision):
    try:
        return revision.correction
    except Correction.DoesNotExist:
        return None


def changes_for(revisions):
    """The changes of these revisions, in their order (four queries at most)."""
    revisions = list(revisions)
    if not revisions:
        return []
    previous = Subquery(
        Version.objects.filter(
            content_type=OuterRef("content_type"),
            db=OuterRef("db"),
            object_id=OuterRef("object_id"),
            pk__lt=OuterRef("pk"),
        )
        .order_by("-pk")
        .values("revision_id")[:1]
    )
    held = (
        Version.objects.filter(revision_id__in=[revision.pk for revision in revisions])
        .filter(of_models(RECORDS + INLINES))
        .select_related("content_type")
        .annotate(previous_revision=previous)
        .order_by("pk")
    )
    by_revision = {}
    for version in held:
        by_revision.setdefault(version.revision_id, []).append(version)
    mains = {}
    for revision_id, versions in by_revision.items():
        records = [version for version in versions if label_of(version) in RECORDS]
        # An event before an actor: a revision holds one record and what follows it.
        records.sort(key=lambda version: (label_of(version) != EVENT, version.pk))
        if records:
            mains[revision_id] = records[0]
    before = previous_snapshots(mains.values())
    after = {
        revision_id: Snapshot(main, by_revision[revision_id]) for revision_id, main in mains.items()
    }
    actor_ids, event_ids = set(), set()
    for snapshot in [*after.values(), *before.values()]:
        actor_ids |= {actor_id for actor_id, _part in snapshot.participations}
        pk = int(snapshot.version.object_id)
        (event_ids if label_of(snapshot.version) == EVENT else actor_ids).add(pk)
    actors = Actor.objects.only("pk", "name", "slug", "kind").in_bulk(actor_ids)
    events = Event.objects.only("pk", "slug").in_bulk(event_ids)
    changes = []
    for revision in revisions:
        main = mains.get(revision.pk)
        if main is None:
            continue
        changes.append(change_of(revision, after[revision.pk], before.get(main.pk), actors, events))
    return changes


def previous_snapshots(mains):
    """{version id: the record as its previous revision held it} (one query)."""
    mains = [main for main in mains if main.previous_revision]
    if not mains:
        return {}
    records, inlines = Q(), Q()
    for main in mains:
        app_label, model = label_of(main)
        records |= Q(
            revision_id=main.previous_revision,
            content_type__app_label=app_label,
            content_type__model=model,
            object_id=main.object_id,
        )
        if label_of(main) == EVENT:
            # The event's participants and quotes among everything that revision holds
            # (the story's load holds the whole story): matched on their serialized event.
            inlines |= Q(
                revision_id=main.previous_revision,
                serialized_data__contains=f'"event": {int(main.object_id)},',
            )
    query = records | (of_models(INLINES) & inlines) if inlines else records
    found = {}
    for version in Version.objects.filter(query).select_related("content_type"):
        found.setdefault(version.revision_id, []).append(version)
    snapshots = {}
    for main in mains:
        versions = found.get(main.previous_revision, [])
        record = next(
            (
                version
                for version in versions
                if label_of(version) == label_of(main) and version.object_id == main.object_id
            ),
            None,
        )
        if record is not None:
            snapshots[main.pk] = Snapshot(record, versions)
    return snapshots


def change_of(revision, after, before, actors, events):
    note = note_of(revision)
    kind, kind_label = kind_of(note, before is None)
    pk = int(after.version.object_id)
    if label_of(after.version) == EVENT:
        record = events.get(pk)
        record_kind = "event"
        title = after.fields.get("title", "")
        fields = event_changes(before, after, actors) if before else []
    else:
        record = actors.get(pk)
        record_kind = after.fields.get("kind") or "person"
        title = after.fields.get("name", "")
        fields = actor_changes(before, after) if before else []
    return Change(
        revision=revision,
        kind=kind,
        kind_label=kind_label,
        record_kind=record_kind,
        title=title,
        url=record.get_absolute_url() if record is not None else None,
        note=note if note is not None and note.explanation else None,
        fields=fields,
    )


def record_asked(params):
    """The record `?event=<slug>` or `?actor=<slug>` names: (record, None), (None, None)
    without either, or (None, message) for a slug that names nothing (one query)."""
    for name, model, shown, missing in (
        ("event", Event, ("title",), _("Aucun événement n’a l’identifiant « %(slug)s ».")),
        (
            "actor",
            Actor,
            ("name", "kind"),
            _("Aucune personne ni organisation n’a l’identifiant « %(slug)s »."),
        ),
    ):
        slug = params.get(name)
        if slug is None:
            continue
        record = model.objects.only("pk", "slug", *shown).filter(slug=slug[:200]).first()
        if record is None:
            return None, str(missing) % {"slug": slug[:60]}
        return record, None
    return None, None
