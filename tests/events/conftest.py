import datetime
import itertools

import pytest

from events.models import Participation
from tests.factories import PACIFIC, EventFactory, OrganisationFactory, PersonFactory


def pacific(day, hour=12, minute=0):
    return datetime.datetime(2023, 11, day, hour, minute, tzinfo=PACIFIC)


@pytest.fixture
def large_story(db):
    """Ten times the story: 300 events, 50 actors, 1,000 participations (for query counts)."""
    actors = PersonFactory.create_batch(40) + OrganisationFactory.create_batch(10)
    events = EventFactory.create_batch(300)
    pairs = itertools.islice(
        (
            (event, actors[(index * 7 + offset) % 50])
            for index, event in enumerate(events)
            for offset in range(4)
        ),
        1000,
    )
    Participation.objects.bulk_create(
        Participation(event=event, actor=actor, part=Participation.Part.PARTICIPANT)
        for event, actor in pairs
    )
    return actors, events
