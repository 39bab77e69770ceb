"""`/quotes/` (every quotation, by speaker and day) and `/network/` (who appears with whom)."""

import re

import pytest
from django.urls import reverse

from events.models import FacetCount
from newsarchive.pages.network import NODES
from tests.events.conftest import pacific
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
    SourceFactory,
)

pytestmark = pytest.mark.postgres


@pytest.fixture
def quoted(db):
    sam = PersonFactory(name="Sam Altman")
    ilya = PersonFactory(name="Ilya Sutskever")
    paragraph = PassageFactory(number=1200)
    source = SourceFactory(title="Message de Sam Altman sur X", outlet=None)
    friday = EventFactory(
        title="Le licenciement", occurred_at=pacific(17, 12, 19), precision="minute"
    )
    monday = EventFactory(title="Le retour", occurred_at=pacific(20, 9), precision="hour")
    first = QuoteFactory(event=friday, speaker=sam, text="J’ai adoré mon temps", source=source)
    first.passages.set([paragraph])
    QuoteFactory(event=monday, speaker=ilya, text="Je regrette profondément")
    QuoteFactory(event=monday, speaker=sam, text="Nous reviendrons")
    return {"sam": sam, "ilya": ilya, "paragraph": paragraph}


def test_quotes_page_lists_every_quote_with_date_speaker_source_and_paragraph(client, quoted):
    page = client.get(reverse("quotes")).content.decode()
    assert "3 citations" in page
    texts = re.findall(r"<blockquote lang=\"fr\"><p>«\s(.+?)\s»</p>", page)
    assert texts == ["J’ai adoré mon temps", "Je regrette profondément", "Nous reviendrons"]
    first = page[page.index("J’ai adoré") : page.index("Je regrette")]
    assert '<a class="quote__speaker" href="/people/sam-altman/">Sam Altman</a>' in first
    assert '<time datetime="2023-11-17T12:19-08:00">vendredi 17 novembre 2023, 12' in first
    assert "Message de Sam Altman sur X</cite>" in first
    assert (
        '<a href="/sources/article-de-test/?page=30#p1200">§ 1200 de '
        '<cite lang="fr">Article de test</cite></a>' in first
    )
    assert "selon" not in first


def test_quotes_filter_by_speaker_and_day(client, quoted):
    page = client.get(reverse("quotes") + "?speaker=sam-altman").content.decode()
    assert "2 citations de Sam Altman" in page
    assert "Je regrette" not in page
    page = client.get(reverse("quotes") + "?speaker=sam-altman&day=2023-11-20").content.decode()
    assert "1 citation de Sam Altman, lundi 20 novembre 2023" in page
    assert "Nous reviendrons" in page and "J’ai adoré" not in page
    # The choices offered are the speakers and days that have quotes.
    assert '<option value="ilya-sutskever">Ilya Sutskever</option>' in page
    assert '<option value="2023-11-17">vendredi 17 novembre 2023</option>' in page


@pytest.mark.parametrize("query", ["?speaker=personne", "?day=2023-13-45", "?page=99"])
def test_quotes_bad_input_is_a_400_with_a_message(client, quoted, query):
    response = client.get(reverse("quotes") + query)
    assert response.status_code == 400
    assert "Filtre invalide" in response.content.decode()


def test_quotes_page_query_count_is_fixed(client, quoted, django_assert_max_num_queries):
    for _ in range(30):
        QuoteFactory(speaker=quoted["sam"]).passages.set([PassageFactory()])
    # data version, speakers, days, count, the page, its paragraphs
    with django_assert_max_num_queries(7):
        response = client.get(reverse("quotes"))
    assert response.status_code == 200
    assert response.content.decode().count('class="quote"') == 25


@pytest.fixture
def companions(db):
    sam = PersonFactory(name="Sam Altman")
    greg = PersonFactory(name="Greg Brockman")
    board = OrganisationFactory(name="Conseil d’administration d’OpenAI")
    mira = PersonFactory(name="Mira Murati")
    for _ in range(3):
        EventFactory(actors=[sam, greg])
    EventFactory(actors=[sam, board])
    EventFactory(actors=[mira])
    return {"sam": sam, "greg": greg, "board": board, "mira": mira}


def test_network_links_every_actor_and_weighs_pairs(client, companions):
    page = client.get(reverse("network")).content.decode()
    svg = page[page.index("<svg") : page.index("</svg>")]
    for actor in companions.values():
        assert f'<a class="network__node" href="{actor.get_absolute_url()}">' in svg
    edges = re.findall(r'<path class="network__edge" d="[^"]+" stroke-width="([0-9.]+)">', svg)
    assert len(edges) == 2  # Sam–Greg and Sam–board; Mira shares nothing
    assert max(map(float, edges)) > min(map(float, edges))
    # The table says the same, each count a link to exactly the shared events.
    table = page[page.index("<table") : page.index("</table>")]
    rows = re.findall(r"<tr><td>.*?</tr>", table)
    assert "Sam Altman" in rows[0] or "Greg Brockman" in rows[0]
    assert "?actor=" in rows[0] and "&amp;match=all" in rows[0] and ">3<" in rows[0]
    response = client.get("/events/?actor=greg-brockman&actor=sam-altman&match=all")
    assert "3 événements" in response.content.decode()


def test_network_in_english(client, companions):
    response = client.get("/en/network/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()


def test_network_is_bounded_and_read_from_kept_counts(
    client, companions, django_assert_max_num_queries
):
    people = [PersonFactory() for _ in range(NODES + 5)]
    for person in people:
        EventFactory(actors=[person, companions["sam"]])
    assert FacetCount.objects.filter(facet="actor").exists()
    # data version, key versions, the most involved actors, their pair counts
    with django_assert_max_num_queries(4):
        page = client.get(reverse("network")).content.decode()
    assert page.count('class="network__node"') == NODES


def test_actor_page_links_each_shared_count_to_exactly_the_shared_events(client, companions):
    page = client.get(companions["sam"].get_absolute_url()).content.decode()
    link = "/events/?actor=sam-altman&amp;actor=greg-brockman&amp;match=all"
    assert f'<a class="count" href="{link}">3 événements en commun</a>' in page
    shared = client.get(link.replace("&amp;", "&")).content.decode()
    assert "3 événements" in shared


def test_quotes_on_an_actor_page_say_when_where_from_and_which_paragraph(client, quoted):
    page = client.get(quoted["sam"].get_absolute_url()).content.decode()
    quotes = page[page.index('id="quotes-heading"') :]
    assert '<time datetime="2023-11-17T12:19-08:00">' in quotes
    assert "Message de Sam Altman sur X</cite>" in quotes
    assert (
        '<a href="/sources/article-de-test/?page=30#p1200">§ 1200 de '
        '<cite lang="fr">Article de test</cite></a>' in quotes
    )
    assert '<a href="/quotes/?speaker=sam-altman">' in quotes
