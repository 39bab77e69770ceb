import factory

from editions.models import Translation
from events.models import Account, Dispute


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Translation

    field = "title"
    language = "en"
    text = factory.Sequence(lambda n: f"English text {n}")


class DisputeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dispute

    slug = factory.Sequence(lambda n: f"divergence-{n}")
    question = factory.Sequence(lambda n: f"Qui a raison, question {n} ?")
    kind = Dispute.Kind.ACCOUNTS
    summary = "Deux récits ne concordent pas."
    editor_note = "L’archive retient le premier."


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    slug = factory.Sequence(lambda n: f"version-{n}")
    dispute = factory.SubFactory(DisputeFactory)
    position = factory.Sequence(lambda n: n)
    value = factory.Sequence(lambda n: f"Version {n}, selon l’un.")
    editor_note = "Note sur cette version."
