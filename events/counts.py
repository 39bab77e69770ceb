"""Facet counts and actors' event counts, kept exact on every write.

Each change to an event, a participation or a citation recounts, from the rows themselves,
only the cells it can have moved: the archive's count for the event's kind, day and claim
and for the source documents it cites, and for each actor involved its event count, its
count for that kind, day and claim, and its count with each co-actor. Recounting (rather
than adding and subtracting) cannot drift, whatever the order in which a cascade deletes
rows, and reverts (raw saves) are counted like any save. Bulk writes and fixture loads
rebuild every count once instead (`rebuild`, `deferred`).
"""

import contextlib
import threading

from django.db import connection, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save

from core import signals
from people.models import Actor

from .models import Event, FacetCount, Participation, Passage

KIND, DAY, ACTOR, CLAIM, SOURCE = (
    FacetCount.Facet.KIND,
    FacetCount.Facet.DAY,
    FacetCount.Facet.ACTOR,
    FacetCount.Facet.CLAIM,
    FacetCount.Facet.SOURCE,
)
Citation = Event.passages.through

_state = threading.local()


@contextlib.contextmanager
def deferred():
    """Skip row-by-row recounting inside the block and rebuild once at its end (a fixture
    load writes hundreds of rows; counting each would cost more than counting all)."""
    _state.deferred = True
    try:
        yield
    finally:
        _state.deferred = False
    rebuild()


def _skip():
    return getattr(_state, "deferred", False)


def _store(actor_id, facet, value, other_id, count):
    cell = FacetCount.objects.filter(actor_id=actor_id, facet=facet, value=value, other_id=other_id)
    if count <= 0:
        cell.delete()
    elif not cell.update(count=count):
        FacetCount.objects.create(
            actor_id=actor_id, facet=facet, value=value, other_id=other_id, count=count
        )


def recount_archive(kinds=(), days=(), claims=()):
    for kind in {k for k in kinds if k}:
        _store(None, KIND, kind, None, Event.objects.filter(kind=kind).count())
    for day in {d for d in days if d}:
        _store(None, DAY, day.isoformat(), None, Event.objects.filter(day=day).count())
    for claim in {c for c in claims if c}:
        _store(None, CLAIM, claim, None, Event.objects.filter(claim=claim).count())


def recount_sources(article_ids):
    for article_id in {a for a in article_ids if a}:
        citing = Citation.objects.filter(passage__article_id=article_id).values("event_id")
        _store(None, SOURCE, str(article_id), None, citing.distinct().count())


def _cited_articles(event_id):
    return set(Passage.objects.filter(events=event_id).values_list("article_id", flat=True))


def recount_actor(actor_id, kinds=(), days=(), claims=()):
    mine = Participation.objects.filter(actor_id=actor_id)
    Actor.objects.filter(pk=actor_id).update(event_count=mine.count())
    for kind in {k for k in kinds if k}:
        _store(actor_id, KIND, kind, None, mine.filter(kind=kind).count())
    for day in {d for d in days if d}:
        _store(actor_id, DAY, day.isoformat(), None, mine.filter(day=day).count())
    for claim in {c for c in claims if c}:
        _store(actor_id, CLAIM, claim, None, mine.filter(claim=claim).count())


def recount_pairs(actor_ids, other_ids):
    done = set()
    for a in actor_ids:
        for b in other_ids:
            if a == b or (a, b) in done:
                continue
            done |= {(a, b), (b, a)}
            shared = Participation.objects.filter(
                actor_id=a, event__participations__actor_id=b
            ).count()
            _store(a, ACTOR, "", b, shared)
            _store(b, ACTOR, "", a, shared)


def _actor_ids(event_id):
    return set(Participation.objects.filter(event_id=event_id).values_list("actor_id", flat=True))


# --- Signals ----------------------------------------------------------------------------


def event_before_save(sender, instance, **kwargs):
    if _skip():
        return
    instance._counted_as = (
        Event.objects.filter(pk=instance.pk).values_list("kind", "day", "claim").first()
        if instance.pk
        else None
    )


def event_saved(sender, instance, created, **kwargs):
    if _skip():
        return
    if not created:
        instance.copy_to_participations()
    before = getattr(instance, "_counted_as", None) or (None, None, None)
    if not created and before == (instance.kind, instance.day, instance.claim):
        return
    kinds, days = {before[0], instance.kind}, {before[1], instance.day}
    claims = {before[2], instance.claim}
    recount_archive(kinds, days, claims)
    if not created:
        for actor_id in _actor_ids(instance.pk):
            recount_actor(actor_id, kinds, days, claims)


def event_deleted(sender, instance, **kwargs):
    if _skip():
        return
    # Its participations went first in the cascade, and recounted their actors then.
    deleted = _deleted_events.pop(instance.pk, None) or {}
    recount_archive({instance.kind}, {instance.day}, {instance.claim})
    recount_sources(deleted.get("articles", ()))


def participation_before_save(sender, instance, **kwargs):
    if _skip():
        return
    instance._counted_as = (
        Participation.objects.filter(pk=instance.pk).values_list("event_id", "actor_id").first()
        if instance.pk
        else None
    )


def participation_before_delete(sender, instance, **kwargs):
    if _skip():
        return
    # A cascade deletes an event's participations in one statement: who shared the event
    # must be read now, before the rows are gone.
    instance._shared_with = _actor_ids(instance.event_id)


def _recount_participation(event_id, actor_id, others=None):
    event = Event.objects.filter(pk=event_id).values("kind", "day", "claim").first()
    if event is None:  # deleted with its event: the kind, day and claim it had still count
        event = _deleted_events.get(event_id, {})
    kinds, days, claims = {event.get("kind")}, {event.get("day")}, {event.get("claim")}
    recount_actor(actor_id, kinds, days, claims)
    recount_pairs([actor_id], _actor_ids(event_id) if others is None else others)


def participation_saved(sender, instance, **kwargs):
    if _skip():
        return
    before = getattr(instance, "_counted_as", None)
    _recount_participation(instance.event_id, instance.actor_id)
    if before and before != (instance.event_id, instance.actor_id):
        _recount_participation(*before)


def participation_deleted(sender, instance, **kwargs):
    if _skip():
        return
    others = getattr(instance, "_shared_with", None)
    _recount_participation(instance.event_id, instance.actor_id, others)


# Kind, day and claim of the events a cascade is deleting (pre_delete to post_delete).
_deleted_events = {}


def event_before_delete(sender, instance, **kwargs):
    if _skip():  # event_deleted would not take it back out
        return
    _deleted_events[instance.pk] = {
        "kind": instance.kind,
        "day": instance.day,
        "claim": instance.claim,
        # Its citations go in the cascade without a signal: the sources it cited, now.
        "articles": _cited_articles(instance.pk),
    }


def citations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Passages cited or uncited by an event (either side of the relation): recount the
    sources concerned."""
    if _skip():
        return
    if action == "pre_clear":
        instance._cited_before = {instance.article_id} if reverse else _cited_articles(instance.pk)
    elif action == "post_clear":
        recount_sources(getattr(instance, "_cited_before", ()))
    elif action in ("post_add", "post_remove"):
        if reverse:
            recount_sources({instance.article_id})
        else:
            articles = Passage.objects.filter(pk__in=pk_set).values_list("article_id", flat=True)
            recount_sources(set(articles))


def passage_before_save(sender, instance, **kwargs):
    if _skip() or not instance.pk:
        return
    instance._counted_in = (
        Passage.objects.filter(pk=instance.pk).values_list("article_id", flat=True).first()
    )


def passage_saved(sender, instance, created, **kwargs):
    before = getattr(instance, "_counted_in", None)
    if _skip() or created or before in (None, instance.article_id):
        return
    recount_sources({before, instance.article_id})


def passage_deleted(sender, instance, **kwargs):
    if _skip():
        return
    # Its citations went first in the cascade.
    recount_sources({instance.article_id})


def bulk_written(sender, **kwargs):
    if sender in (Event, Participation, Citation, Passage) and not _skip():
        rebuild()


def connect():
    uid = "events.counts."
    signals.bulk_written.connect(bulk_written, dispatch_uid=uid + "bulk_written")
    pre_save.connect(event_before_save, sender=Event, dispatch_uid=uid + "event_before_save")
    post_save.connect(event_saved, sender=Event, dispatch_uid=uid + "event_saved")
    pre_delete.connect(event_before_delete, sender=Event, dispatch_uid=uid + "event_predelete")
    post_delete.connect(event_deleted, sender=Event, dispatch_uid=uid + "event_deleted")
    pre_save.connect(
        participation_before_save, sender=Participation, dispatch_uid=uid + "part_before_save"
    )
    post_save.connect(participation_saved, sender=Participation, dispatch_uid=uid + "part_saved")
    pre_delete.connect(
        participation_before_delete, sender=Participation, dispatch_uid=uid + "part_predelete"
    )
    post_delete.connect(
        participation_deleted, sender=Participation, dispatch_uid=uid + "part_deleted"
    )
    m2m_changed.connect(citations_changed, sender=Citation, dispatch_uid=uid + "citations")
    pre_save.connect(passage_before_save, sender=Passage, dispatch_uid=uid + "passage_pre_save")
    post_save.connect(passage_saved, sender=Passage, dispatch_uid=uid + "passage_saved")
    post_delete.connect(passage_deleted, sender=Passage, dispatch_uid=uid + "passage_deleted")


# --- Bulk ---------------------------------------------------------------------------------

REBUILD_SQL = [
    "DELETE FROM events_facetcount",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT NULL, 'kind', kind, NULL, COUNT(*) FROM events_event GROUP BY kind""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT NULL, 'day', CAST(day AS text), NULL, COUNT(*) FROM events_event GROUP BY day""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT NULL, 'claim', claim, NULL, COUNT(*) FROM events_event GROUP BY claim""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT actor_id, 'kind', kind, NULL, COUNT(*) FROM events_participation
       GROUP BY actor_id, kind""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT actor_id, 'day', CAST(day AS text), NULL, COUNT(*) FROM events_participation
       GROUP BY actor_id, day""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT actor_id, 'claim', claim, NULL, COUNT(*) FROM events_participation
       GROUP BY actor_id, claim""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT p.actor_id, 'actor', '', q.actor_id, COUNT(*)
       FROM events_participation p
       JOIN events_participation q ON q.event_id = p.event_id AND q.actor_id <> p.actor_id
       GROUP BY p.actor_id, q.actor_id""",
    """INSERT INTO events_facetcount (actor_id, facet, value, other_id, count)
       SELECT NULL, 'source', CAST(p.article_id AS text), NULL, COUNT(DISTINCT c.event_id)
       FROM events_event_passages c JOIN events_passage p ON p.id = c.passage_id
       GROUP BY p.article_id""",
    """UPDATE people_actor SET event_count = (
         SELECT COUNT(*) FROM events_participation p WHERE p.actor_id = people_actor.id)""",
]


def rebuild():
    """Recompute every count from the rows (after a bulk load that sent no signals)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fresh statistics first: planned on an "empty" table's, the self-join of the
            # participations becomes a nested loop without its index, quadratic in the rows.
            cursor.execute("ANALYZE events_event, events_participation")
        for sql in REBUILD_SQL:
            cursor.execute(sql)
