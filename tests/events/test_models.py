import datetime

import pytest
from django.db import IntegrityError, transaction

from events.models import Event, Participation, Passage, Quote
from tests.factories import (
    PACIFIC,
    EventFactory,
    ParticipationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def rejected(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


def test_an_event_kind_precision_and_section_must_be_known():
    rejected(lambda: EventFactory(kind="party"))
    rejected(lambda: EventFactory(precision="week"))
    rejected(lambda: EventFactory(section="epilogue"))


def test_an_actor_takes_part_in_an_event_once():
    participation = ParticipationFactory()
    rejected(
        lambda: Participation.objects.create(
            event=participation.event, actor=participation.actor, part="mentioned"
        )
    )


def test_a_passage_number_is_unique_within_its_article():
    passage = PassageFactory()
    rejected(lambda: PassageFactory(article=passage.article, number=passage.number))


def test_a_quote_cannot_be_empty():
    rejected(lambda: QuoteFactory(text=""))


def test_an_actor_in_the_story_cannot_be_deleted_from_under_an_event():
    participation = ParticipationFactory()
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        participation.actor.delete()


@pytest.mark.parametrize(
    "factory", [EventFactory, ParticipationFactory, PassageFactory, QuoteFactory, SourceFactory]
)
def test_natural_keys_round_trip(factory):
    obj = factory()
    model = type(obj)
    assert model._default_manager.get_by_natural_key(*obj.natural_key()) == obj


def test_events_of_a_day_are_pacific_days():
    late_friday = EventFactory(occurred_at=datetime.datetime(2023, 11, 17, 23, 30, tzinfo=PACIFIC))
    EventFactory(occurred_at=datetime.datetime(2023, 11, 18, 0, 30, tzinfo=PACIFIC))
    assert list(Event.objects.on_day(datetime.date(2023, 11, 17))) == [late_friday]
    assert late_friday.day == datetime.date(2023, 11, 17)


def test_involving_any_or_all_actors():
    sam, greg, ilya = PersonFactory.create_batch(3)
    both = EventFactory(actors=[sam, greg])
    only_sam = EventFactory(actors=[sam])
    EventFactory(actors=[ilya])
    assert set(Event.objects.involving([sam, greg])) == {both, only_sam}
    assert list(Event.objects.involving([sam, greg], match_all=True)) == [both]


def test_event_detail_read_is_a_fixed_number_of_queries(django_assert_max_num_queries):
    event = EventFactory(actors=PersonFactory.create_batch(5))
    for _ in range(5):
        QuoteFactory(event=event)
    event.passages.set(PassageFactory.create_batch(3))
    # the event, participations, quotes and their paragraphs, passages, sources
    with django_assert_max_num_queries(6):
        loaded = Event.objects.for_detail().get(pk=event.pk)
        names = [p.actor.name for p in loaded.participations.all()]
        speakers = [q.speaker.name for q in loaded.quotes.all()]
        numbers = [p.number for p in loaded.passages.all()]
    assert len(names) == 5 and len(speakers) == 5 and len(numbers) == 3
    assert isinstance(loaded.quotes.first(), Quote) and isinstance(numbers[0], int)
    assert Passage.objects.count() == 3
