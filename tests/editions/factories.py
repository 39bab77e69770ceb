import factory

from editions.models import Translation


class TranslationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Translation

    field = "title"
    language = "en"
    text = factory.Sequence(lambda n: f"English text {n}")
