"""What a reader sees on /events/<slug>/."""

import pytest
from django.urls import reverse

from events.models import Participation
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

from .conftest import pacific

pytestmark = pytest.mark.postgres


@pytest.fixture
def firing(db):
    sam = PersonFactory(name="Sam Altman")
    board = OrganisationFactory(name="Conseil", slug="conseil-d-administration-d-openai")
    verge = OrganisationFactory(name="The Information", organisation_kind="media")
    passage = PassageFactory(number=12, text="Vendredi, le conseil a licencié Sam Altman.")
    source = SourceFactory(title="Billet de blog d’OpenAI", kind="blog_post", outlet=board)
    before = EventFactory(title="Le texto", occurred_at=pacific(16, 20), precision="evening")
    event = EventFactory(
        slug="le-conseil-licencie-sam-altman",
        title="Le conseil licencie Sam Altman",
        summary="Le conseil annonce le départ de son PDG.",
        body="Premier paragraphe du récit.\n\nDeuxième paragraphe.",
        occurred_at=pacific(17, 12, 19),
        precision="minute",
        kind="firing",
        passages=[passage],
    )
    event.sources.add(source)
    Participation.objects.create(event=event, actor=board, part="initiator")
    Participation.objects.create(event=event, actor=sam, part="target")
    QuoteFactory(
        event=event,
        speaker=board,
        text="Il n’a pas été constamment franc",
        source=SourceFactory(title="Article de The Information", outlet=verge),
        editor_note="Traduction de l’article.",
    )
    after = EventFactory(title="La démission", occurred_at=pacific(17, 20), precision="evening")
    return event, before, after


def test_event_page_shows_what_when_who_and_where_from(client, firing):
    event, before, after = firing
    response = client.get(event.get_absolute_url())
    assert response.status_code == 200
    page = response.text
    # A French page is French throughout (<html lang="fr">): no lang on its own words.
    assert "<h1>Le conseil licencie Sam Altman</h1>" in page
    assert "<title>Le conseil licencie Sam Altman · L’archive</title>" in page
    assert (
        '<time datetime="2023-11-17T12:19-08:00">'
        "vendredi 17 novembre 2023, 12\u00a0h\u00a019</time>" in page
    )
    assert "heure du Pacifique" in page
    assert "<p>Premier paragraphe du récit.</p>" in page
    # Participants, with their part, linked to their page and to their events.
    assert '<a href="/people/sam-altman/">Sam Altman</a> <span class="muted">— visé</span>' in page
    assert 'href="/organisations/conseil-d-administration-d-openai/">Conseil</a>' in page
    assert 'href="/events/?actor=sam-altman">Tous les événements de Sam Altman</a>' in page
    # The quote, its speaker, its source and the editor's note.
    assert "« Il n’a pas été constamment franc »" in page
    assert "<cite>Article de The Information</cite> (The Information)" in page
    assert "Traduction de l’article." in page
    # The passage, as text, linked to the article.
    assert "Vendredi, le conseil a licencié Sam Altman." in page
    assert (
        '<a href="/sources/article-de-test/#p12">§ 12 de <cite lang="fr">Article de test</cite></a>'
        in page
    )
    assert "<cite>Billet de blog d’OpenAI</cite>" in page
    # Previous and next, in time.
    assert f'<a href="{before.get_absolute_url()}" rel="prev">' in page
    assert f'<a href="{after.get_absolute_url()}" rel="next">' in page


def test_first_and_last_events_say_so(client, firing):
    _, before, after = firing
    assert "Premier événement" in client.get(before.get_absolute_url()).text
    assert "Dernier événement" in client.get(after.get_absolute_url()).text


def test_unknown_slug_is_the_sites_404_page(client, db):
    response = client.get(reverse("events:event_detail", kwargs={"slug": "nulle-part"}))
    assert response.status_code == 404
    assert "Page introuvable" in response.text
    assert '<a class="skip-link" href="#main">' in response.text  # the site's layout


def test_event_page_in_english(client, firing):
    event, *_ = firing
    page = client.get(f"/en/events/{event.slug}/").text
    assert "Friday, November 17, 2023, 12:19\u00a0p.m." in page
    assert "Pacific time" in page
    assert "All events of Sam Altman" in page


def test_event_page_query_count_is_fixed(client, large_story, django_assert_max_num_queries):
    _, events = large_story
    for event in events[:: len(events) // 3]:
        QuoteFactory.create_batch(5, event=event)
        # +1 everywhere: the data version, read first by the page cache (newsarchive.http);
        # +1 for the quotes' paragraphs; +1 for its latest published correction
        with django_assert_max_num_queries(11):
            response = client.get(event.get_absolute_url())
        assert response.status_code == 200
        assert event.title in response.text
        assert all(quote.text in response.text for quote in event.quotes.all())
