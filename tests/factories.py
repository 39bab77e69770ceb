"""factory_boy factories for test data; the story fixtures are only for tests about the story."""

import datetime
import zoneinfo

import factory

from events.models import Article, Event, Participation, Passage, Quote, Source
from people.models import Actor, Alias, Precision, Role

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
STORY_START = datetime.datetime(2023, 11, 16, 9, 0, tzinfo=PACIFIC)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Actor
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Personne {n}")
    kind = Actor.Kind.PERSON
    description = factory.LazyAttribute(lambda o: f"Description de {o.name}.")

    @factory.lazy_attribute
    def slug(self):
        from django.utils.text import slugify

        return slugify(self.name)


class OrganisationFactory(PersonFactory):
    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Actor.Kind.ORGANISATION
    organisation_kind = Actor.OrganisationKind.COMPANY


class AliasFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Alias

    actor = factory.SubFactory(PersonFactory)
    name = factory.Sequence(lambda n: f"Alias {n}")


class RoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Role

    slug = factory.Sequence(lambda n: f"role-{n}")
    person = factory.SubFactory(PersonFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    title = "PDG"
    is_sole = True


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        django_get_or_create = ["slug"]

    slug = "article-de-test"
    title = "Article de test"


class PassageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Passage

    article = factory.SubFactory(ArticleFactory)
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Paragraphe numéro {n} de l’article.")


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    slug = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"Source {n}")
    kind = Source.Kind.PRESS_REPORT
    outlet = factory.SubFactory(OrganisationFactory, organisation_kind="media")


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"evenement-{n}")
    title = factory.Sequence(lambda n: f"Événement {n}")
    summary = "Ce qui s’est passé."
    occurred_at = factory.Sequence(lambda n: STORY_START + datetime.timedelta(hours=3 * n))
    precision = Precision.HOUR
    kind = Event.Kind.STATEMENT
    section = Event.Section.BEGINNING

    @factory.post_generation
    def actors(self, create, extracted, **kwargs):
        for actor in extracted or []:
            Participation.objects.create(
                event=self, actor=actor, part=Participation.Part.PARTICIPANT
            )

    @factory.post_generation
    def passages(self, create, extracted, **kwargs):
        if extracted:
            self.passages.set(extracted)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    actor = factory.SubFactory(PersonFactory)
    part = Participation.Part.PARTICIPANT


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    slug = factory.Sequence(lambda n: f"citation-{n}")
    event = factory.SubFactory(EventFactory)
    speaker = factory.SubFactory(PersonFactory)
    text = factory.Sequence(lambda n: f"Citation numéro {n}")
