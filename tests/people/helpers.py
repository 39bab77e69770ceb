"""Shared by the people, search and article page tests: bulk data."""

import datetime
import random

from events.models import Event, Participation, Quote, Source
from people.models import Actor, Alias, Precision, Role
from tests.factories import PACIFIC, STORY_START


def pacific(*args):
    return datetime.datetime(*args, tzinfo=PACIFIC)


def ten_stories():
    """About ten times the story's data: 50 actors, 300 events, 1000 participations,
    200 quotes, 100 roles; every text says « sécurité » so a search finds all of them."""
    rng = random.Random(20231117)
    people = Actor.objects.bulk_create(
        Actor(
            name=f"Personne sécurité {n}",
            slug=f"personne-{n}",
            kind=Actor.Kind.PERSON,
            description=f"Chargée de la sécurité n° {n}.",
        )
        for n in range(35)
    )
    organisations = Actor.objects.bulk_create(
        Actor(
            name=f"Société sécurité {n}",
            slug=f"societe-{n}",
            kind=Actor.Kind.ORGANISATION,
            organisation_kind=Actor.OrganisationKind.COMPANY,
            description="Une société.",
        )
        for n in range(15)
    )
    actors = people + organisations
    Alias.objects.bulk_create(Alias(actor=a, name=f"Alias sécurité {a.slug}") for a in actors)
    events = Event.objects.bulk_create(
        Event(
            slug=f"evenement-{n}",
            title=f"Événement sécurité {n}",
            summary="Une question de sécurité.",
            kind=Event.Kind.STATEMENT,
            occurred_at=STORY_START + datetime.timedelta(minutes=20 * n),
            precision=Precision.MINUTE,
            section=Event.Section.BEGINNING,
        )
        for n in range(300)
    )
    pairs = set()
    while len(pairs) < 1000:
        pairs.add((rng.randrange(300), rng.randrange(50)))
    Participation.objects.bulk_create(
        Participation(event=events[e], actor=actors[a], part=Participation.Part.PARTICIPANT)
        for e, a in sorted(pairs)
    )
    sources = Source.objects.bulk_create(
        Source(slug=f"source-{n}", title=f"Source {n}", kind=Source.Kind.TWEET) for n in range(20)
    )
    Quote.objects.bulk_create(
        Quote(
            slug=f"citation-{n}",
            event=events[n % 300],
            speaker=people[n % 35],
            text=f"Citation sur la sécurité {n}",
            source=sources[n % 20],
            position=n,
        )
        for n in range(200)
    )
    Role.objects.bulk_create(
        Role(
            slug=f"role-{n}",
            person=people[n % 35],
            organisation=organisations[n % 15],
            title="PDG" if n % 2 else "membre du conseil",
            start=STORY_START + datetime.timedelta(hours=n),
            start_precision=Precision.HOUR,
        )
        for n in range(100)
    )
    return people, organisations
