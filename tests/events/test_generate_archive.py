"""`manage.py generate_archive`: a deterministic synthetic archive, only in an empty database."""

import io

import pytest
from django.core.management import CommandError, call_command

from events import counts
from events.models import Article, Event, FacetCount, Participation, Passage
from events.models.provenance import PASSAGES_PER_PAGE
from people.models import Actor

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def generate(**options):
    out = io.StringIO()
    call_command("generate_archive", stdout=out, **{"events": 600, "actors": 80, **options})
    return out.getvalue()


def snapshot():
    return (
        list(Event.objects.order_by("slug").values_list("slug", "title", "occurred_at", "kind")),
        list(Participation.objects.order_by("event__slug", "actor__slug").values_list(
            "event__slug", "actor__slug", "part"
        )),
    )  # fmt: skip


def test_it_fills_every_model_and_says_how_far_it_got():
    output = generate(seed=1)
    assert (
        "600 / 600 events" in output and "Generated 600 events, 80 actors and 12 sources" in output
    )
    assert Event.objects.count() == 600
    assert Actor.objects.count() == 80
    assert Participation.objects.count() >= 600 * 2
    event = Event.objects.first()
    assert event.title and event.summary and event.section and event.precision and event.day
    assert any(char in "éèêàçôîû" for char in event.summary)  # French, with accents


def test_events_cite_passages_of_uneven_source_documents():
    generate(events=3000, actors=100, seed=4, sources=6)
    sizes = sorted((a.passages.count() for a in Article.objects.all()), reverse=True)
    assert len(sizes) == 6
    # The largest document's page is paginated many times over; the smallest is short.
    assert sizes[0] > 10 * PASSAGES_PER_PAGE and sizes[-1] < sizes[0] / 4
    assert not Event.objects.filter(passages=None).exists()  # every event cites a passage
    cited = Event.passages.through.objects.values("passage__article").distinct().count()
    assert cited == 6
    assert Passage.objects.filter(kind=Passage.Kind.HEADING).exists()
    assert Article.objects.filter(language="en").exists()


def test_popularity_is_very_uneven():
    generate(events=3000, actors=400, seed=2)
    counts_by_actor = sorted(Actor.objects.values_list("event_count", flat=True), reverse=True)
    assert counts_by_actor[0] > 3000 * 0.2  # a few actors in a large share of all events
    involved = [n for n in counts_by_actor if n]
    assert sum(1 for n in involved if n <= 2) > len(involved) / 4  # many met once or twice


@pytest.mark.django_db(transaction=True)  # flushes between runs (PostgreSQL cannot, mid-test)
def test_the_same_seed_gives_the_same_archive_and_another_seed_another():
    generate(seed=5)
    first = snapshot()
    call_command("flush", interactive=False, verbosity=0)
    generate(seed=5)
    assert snapshot() == first
    call_command("flush", interactive=False, verbosity=0)
    generate(seed=6)
    assert snapshot() != first


def test_counts_and_search_index_are_ready_after_it():
    generate(seed=3)
    cells = sorted(
        FacetCount.objects.values_list("actor_id", "facet", "value", "other_id", "count"), key=str
    )
    events = sorted(Actor.objects.values_list("pk", "event_count"))
    counts.rebuild()
    assert cells == sorted(
        FacetCount.objects.values_list("actor_id", "facet", "value", "other_id", "count"), key=str
    )
    assert events == sorted(Actor.objects.values_list("pk", "event_count"))
    assert Event.objects.matching_words(["reunion"]).exists()


def test_it_refuses_a_database_that_holds_the_story(story):
    with pytest.raises(CommandError, match="holds the story"):
        generate(seed=1)
    assert Event.objects.count() == 32


def test_it_refuses_a_database_that_holds_anything(db):
    generate(events=10, actors=5, seed=1)
    with pytest.raises(CommandError, match="already holds"):
        generate(seed=1)
    assert Event.objects.count() == 10


def test_bad_arguments_are_refused(db):
    with pytest.raises(CommandError):
        generate(actors=1)
