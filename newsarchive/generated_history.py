"""A revision history for a generated archive (`generate_archive`, core.signals): one event in
EVERY was edited after the load, each edit a revision of its own, half of them published as
corrections with an explanation (some in English), so `/changes/`, its feed and the corrected
pages are measured at scale. Invented like the rest of a generated archive; never in the story.
"""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from reversion.models import Revision, Version

from events.models import Claim, Event
from people.models import Precision

from .http import versioning
from .models import Correction
from .story import LOAD_COMMENT

EVERY = 20
CHUNK = 2000
EXPLANATIONS = {
    "fr": "Correction d’essai : le titre et le résumé reprennent mieux la source.",
    "en": "Test correction: the title and summary now follow the source more closely.",
}


def earlier(event, edit):
    """`event` as it stood before its edit: which field differed depends on the edit."""
    event = Event(**{f.attname: getattr(event, f.attname) for f in Event._meta.concrete_fields})
    if edit == 0:
        event.title = f"Titre provisoire : {event.title}"[:300]
    elif edit == 1:
        event.summary = f"Première version. {event.summary}"
    elif edit == 2:
        event.claim = Claim.UNCONFIRMED if event.claim != Claim.UNCONFIRMED else Claim.ESTABLISHED
        event.claimed_by_id = None
    else:
        event.precision = Precision.DAY if event.precision != Precision.DAY else Precision.HOUR
    return event


def version(revision, event, content_type):
    return Version(
        revision=revision,
        object_id=str(event.pk),
        content_type=content_type,
        db="default",
        format="json",
        serialized_data=serializers.serialize("json", [event]),
        object_repr=str(event)[:191],
    )


def write_history(sender=None, seed=1, progress=None, **kwargs):
    rng = random.Random(seed + 3)
    content_type = ContentType.objects.get_for_model(Event)
    ids = list(Event.objects.order_by("pk").values_list("pk", flat=True))[::EVERY]
    start = datetime.datetime(2024, 1, 1, tzinfo=datetime.UTC)
    load = Revision.objects.create(comment=LOAD_COMMENT, date_created=start)
    edits = 0
    for offset in range(0, len(ids), CHUNK):
        events = list(Event.objects.filter(pk__in=ids[offset : offset + CHUNK]).order_by("pk"))
        kinds = [rng.randrange(4) for _ in events]
        revisions = Revision.objects.bulk_create(
            Revision(
                comment="Modification d’essai",
                date_created=start + datetime.timedelta(minutes=edits + index + 1),
            )
            for index, _ in enumerate(events)
        )
        Version.objects.bulk_create(
            [version(load, earlier(e, k), content_type) for e, k in zip(events, kinds, strict=True)]
            + [version(r, e, content_type) for r, e in zip(revisions, events, strict=True)]
        )
        Correction.objects.bulk_create(
            Correction(
                revision=revision,
                explanation=EXPLANATIONS[language],
                language=language,
                created=revision.date_created,
                event=event,
            )
            for index, (revision, event) in enumerate(zip(revisions, events, strict=True))
            if index % 2 == 0
            for language in ["en" if index % 10 == 0 else "fr"]
        )
        edits += len(events)
    if progress:
        progress(f"{edits} edits in the history")
    versioning.touch_everything()
