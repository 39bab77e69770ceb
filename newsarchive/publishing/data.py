"""The archive as data: the JSON shapes of events, actors and search results.

One function per shape, used by the JSON views, the CSV export and the static snapshot, so a
field means the same thing everywhere. Shapes are documented in docs/data.md (a test checks
that every documented field is present). Times are Pacific (the archive's reading of the
article), ISO 8601 with their offset, always with their precision: « samedi après-midi » is
`2023-11-18T15:00:00-08:00` with `"precision": "afternoon"`, never a guessed minute.
"""

from core.dates import describe, local


def absolute(request, location):
    return request.build_absolute_uri(location)


def moment(value, precision):
    if value is None:
        return None
    return {
        "at": local(value).isoformat(),
        "precision": precision,
        "label": describe(value, precision) if precision else None,
    }


def actor_ref(request, actor, part=None):
    ref = {
        "slug": actor.slug,
        "name": actor.name,
        "kind": actor.kind,
        "url": absolute(request, actor.get_absolute_url()),
    }
    if part is not None:
        ref["part"] = part
    return ref


def participant(request, participation):
    """An actor of an event, with how the article supports their own part."""
    return {
        **actor_ref(request, participation.actor, participation.part),
        "claim": participation.part_claim,
        "claimed_by": (
            actor_ref(request, participation.part_claimed_by)
            if participation.part_claimed_by_id
            else None
        ),
    }


def event_summary(request, event):
    """An event as lists show it: no long text but its summary, actors and passages."""
    return {
        "slug": event.slug,
        "url": absolute(request, event.get_absolute_url()),
        "json": absolute(request, f"/events/{event.slug}.json"),
        "title": event.title,
        "summary": event.summary,
        "occurred_at": local(event.occurred_at).isoformat(),
        "precision": event.precision,
        "when": describe(event.occurred_at, event.precision),
        "day": event.day.isoformat(),
        "kind": event.kind,
        "kind_label": str(event.kind_label),
        "section": event.section,
        # How the article supports it, and on whose word (issue 11's claim status).
        "claim": event.claim,
        "claim_label": str(event.claim_label),
        "claimed_by": actor_ref(request, event.claimed_by) if event.claimed_by_id else None,
        "actors": [participant(request, p) for p in event.participations.all()],
        "passages": [passage.number for passage in event.passages.all()],
        # The same passages, each with the source document it belongs to.
        "citations": [citation(request, passage) for passage in event.passages.all()],
    }


def citation(request, passage):
    """A cited passage: its source document's slug, its number and its address there."""
    return {
        "source": passage.article.slug,
        "passage": passage.number,
        "url": absolute(request, passage.get_absolute_url()),
    }


def source_document(request, article):
    """A source document (`Article`), read with `passage_count` and `fact_count`."""
    return {
        "slug": article.slug,
        "url": absolute(request, article.get_absolute_url()),
        "title": article.title,
        "outlet": article.outlet or None,
        "published_at": local(article.published_at).isoformat() if article.published_at else None,
        "precision": article.published_precision or None,
        "language": article.language,
        "passage_count": article.passage_count or 0,
        "fact_count": article.fact_count or 0,
    }


def quote_data(request, quote, with_event=True, sources=None):
    # An event's quotes cite its sources, already read with their authors.
    source = (sources or {}).get(quote.source_id, quote.source) if quote.source_id else None
    data = {
        "slug": quote.slug,
        "text": quote.text,
        "speaker": actor_ref(request, quote.speaker),
        "source": source_data(source) if source else None,
        "editor_note": quote.editor_note,
        "passages": [passage.number for passage in quote.passages.all()],
        "citations": [citation(request, passage) for passage in quote.passages.all()],
    }
    if with_event:
        data["event"] = {
            "slug": quote.event.slug,
            "title": quote.event.title,
            "occurred_at": local(quote.event.occurred_at).isoformat(),
            "precision": quote.event.precision,
            "url": absolute(request, quote.event.get_absolute_url()),
        }
    return data


def source_data(source):
    return {
        "slug": source.slug,
        "title": source.title,
        "kind": source.kind,
        "outlet": source.outlet.name if source.outlet_id else None,
        "author": source.author.name if source.author_id else None,
    }


def event_detail(request, event, previous, following):
    data = event_summary(request, event)
    sources = {source.pk: source for source in event.sources.all()}
    data.update(
        body=event.body,
        sources=[source_data(source) for source in sources.values()],
        quotes=[
            quote_data(request, quote, with_event=False, sources=sources)
            for quote in event.quotes.all()
        ],
        previous=previous.slug if previous else None,
        next=following.slug if following else None,
    )
    return data


def role_data(request, role):
    return {
        "slug": role.slug,
        "title": role.title,
        "person": actor_ref(request, role.person),
        "organisation": actor_ref(request, role.organisation),
        "is_interim": role.is_interim,
        "is_sole": role.is_sole,
        "start": moment(role.start, role.start_precision),
        "end": moment(role.end, role.end_precision),
        "note": role.note,
    }
