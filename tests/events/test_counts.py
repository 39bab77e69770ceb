"""Facet counts kept on write are always what a full recount gives."""

import pytest

from events import counts
from events.models import Event, FacetCount, Participation
from people.models import Actor
from tests.factories import EventFactory, OrganisationFactory, PersonFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def kept():
    cells = FacetCount.objects.values_list("actor_id", "facet", "value", "other_id", "count")
    return sorted(cells, key=str), sorted(Actor.objects.values_list("pk", "event_count"))


def assert_exact():
    before = kept()
    counts.rebuild()
    assert kept() == before


@pytest.fixture
def cast():
    return PersonFactory.create_batch(3) + [OrganisationFactory()]


def test_counts_follow_every_kind_of_write(cast):
    a, b, c, org = cast
    first = EventFactory(actors=[a, b], kind=Event.Kind.FIRING)
    second = EventFactory(actors=[a, c, org])
    assert_exact()
    assert Actor.objects.get(pk=a.pk).event_count == 2
    assert FacetCount.objects.get(actor=a, facet="actor", other=b).count == 1

    first.kind = Event.Kind.HIRE  # kind and day move
    first.occurred_at = second.occurred_at
    first.save()
    assert_exact()
    assert not FacetCount.objects.filter(actor=a, facet="kind", value="firing").exists()

    participation = Participation.objects.get(event=second, actor=c)
    participation.actor = b  # the same row, another actor
    participation.save()
    assert_exact()
    assert FacetCount.objects.get(actor=a, facet="actor", other=b).count == 2

    Participation.objects.get(event=first, actor=b).delete()
    assert_exact()

    second.delete()  # a cascade: its participations go first
    assert_exact()
    assert Actor.objects.get(pk=org.pk).event_count == 0
    assert not FacetCount.objects.filter(actor=org).exists()


def test_a_participation_copies_its_events_sort_key_kind_and_day(cast):
    event = EventFactory(actors=cast[:2], kind=Event.Kind.LETTER)
    rows = Participation.objects.filter(event=event)
    assert {(p.occurred_at, p.event_slug, p.kind, p.day) for p in rows} == {
        (event.occurred_at, event.slug, "letter", event.day)
    }
    event.slug, event.kind = "nouveau-slug", Event.Kind.POST
    event.save()
    assert set(rows.values_list("event_slug", "kind")) == {("nouveau-slug", "post")}


def test_the_story_loads_with_exact_counts(story):
    assert_exact()
    assert (
        Actor.objects.get(slug="sam-altman").event_count
        == Participation.objects.filter(actor__slug="sam-altman").count()
    )
