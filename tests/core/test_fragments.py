"""{% fragment %}: a block kept per content, never shown for content it was not rendered from."""

import pytest
from django.template import Context, Template
from django.utils import translation

from core.templatetags import fragments
from events.models import Event
from tests.factories import EventFactory, PersonFactory

pytestmark = pytest.mark.django_db

CARD = Template(
    "{% load fragments %}{% fragment event %}{{ event.title }}:"
    "{% for p in event.participations.all %}{{ p.actor.name }};{% endfor %}"
    "{% endfragment %}"
)


@pytest.fixture(autouse=True)
def nothing_kept():
    fragments.forget_all()
    yield
    fragments.forget_all()


def loaded(pk):
    return Event.objects.prefetch_related("participations__actor").get(pk=pk)


def render(event):
    return CARD.render(Context({"event": event}))


def test_the_same_content_is_rendered_once(django_assert_num_queries):
    event = EventFactory(title="Premier", actors=[PersonFactory(name="Ada")])
    first = loaded(event.pk)
    assert render(first) == "Premier:Ada;"
    assert len(fragments._kept) == 1
    again = loaded(event.pk)
    with django_assert_num_queries(0):
        assert render(again) == "Premier:Ada;"
    assert len(fragments._kept) == 1


def test_changed_content_renders_anew_without_any_invalidation():
    ada = PersonFactory(name="Ada")
    event = EventFactory(title="Premier", actors=[ada])
    assert render(loaded(event.pk)) == "Premier:Ada;"
    Event.objects.filter(pk=event.pk).update(title="Corrigé")
    assert render(loaded(event.pk)) == "Corrigé:Ada;"
    ada.name = "Ada Lovelace"
    ada.save()  # a related row, read through the prefetched list
    assert render(loaded(event.pk)) == "Corrigé:Ada Lovelace;"


def test_each_language_has_its_own_fragment():
    template = Template(
        '{% load i18n fragments %}{% fragment event %}{% translate "Événements" %}{% endfragment %}'
    )
    event = loaded(EventFactory().pk)
    french = template.render(Context({"event": event}))
    with translation.override("en"):
        english = template.render(Context({"event": event}))
    assert (french, english) == ("Événements", "Events")


def test_what_the_digest_cannot_read_renders_uncached():
    event = EventFactory(title="Premier", actors=[PersonFactory(name="Ada")])
    plain = Event.objects.get(pk=event.pk)  # its participations are not loaded: a query
    assert render(plain) == "Premier:Ada;"
    assert render(plain) == "Premier:Ada;"
    assert len(fragments._kept) == 0
