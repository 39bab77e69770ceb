"""Source documents as pages: `/sources/`, `/sources/<slug>/` paginated and bounded, the old
`/article/` address redirecting there, passage links naming their source."""

import pytest

from events.models import Article, Passage
from events.models.provenance import LINKS_PER_PASSAGE, PASSAGES_PER_PAGE
from tests.factories import ArticleFactory, EventFactory, PassageFactory, PersonFactory

pytestmark = pytest.mark.postgres

STORY = "/sources/que-se-passe-t-il-avec-openai-et-sam-altman/"


def test_list_names_the_story_article_and_says_what_is_unknown(client, story):
    page = client.get("/sources/").content.decode()
    assert "1 document source" in page
    assert f'<a href="{STORY}"><cite lang="fr">Que se passe-t-il avec OpenAI' in page
    assert "média inconnu" in page and "date de publication inconnue" in page
    assert "langue : français" in page  # French writes language names in lower case
    facts = Article.objects.for_index().get().fact_count
    assert facts == 32
    assert f"{facts} événements tirés de ce document" in page
    english = client.get("/en/sources/").content.decode()
    assert "1 source document" in english and "outlet unknown" in english
    assert "French" in english


def test_the_story_keeps_its_one_article_with_nothing_invented(story):
    (article,) = Article.objects.all()
    assert article.outlet == "" and article.published_at is None
    assert article.published_precision == ""


def test_old_address_redirects_permanently_to_the_source_page(client, story):
    response = client.get("/article/")
    assert response.status_code == 301 and response["Location"] == STORY
    assert client.get("/en/article/")["Location"] == "/en" + STORY
    assert client.get("/article/?passage=12")["Location"] == STORY + "#p12"
    for bad in ("abc", "0", "-1", "9" * 40, "\x00"):
        assert client.get("/article/", {"passage": bad})["Location"] == STORY


def test_empty_archive_is_a_clear_page_and_unknown_slug_a_404(client, db):
    page = client.get("/sources/")
    assert page.status_code == 200
    assert "L’archive ne contient encore aucun document source." in page.content.decode()
    assert client.get("/sources/nulle-part/").status_code == 404
    assert client.get("/article/").status_code == 404


@pytest.fixture
def two_sources(db):
    first = ArticleFactory(slug="premier", title="Premier document")
    second = ArticleFactory(slug="second", title="Second document", language="en")
    n = 3 * PASSAGES_PER_PAGE + 5
    Passage.objects.bulk_create(
        Passage(article=second, number=i, text=f"Paragraph {i}.") for i in range(1, n + 1)
    )
    early = PassageFactory(article=first, number=12, text="Sam Altman parle.")
    late = Passage.objects.get(article=second, number=2 * PASSAGES_PER_PAGE + 3)
    event = EventFactory(
        title="Un fait à deux sources",
        passages=[early, late],
        actors=[PersonFactory(name="Sam Altman")],
    )
    return first, second, event, late


def test_passage_links_name_their_source_and_page(client, two_sources):
    first, second, event, late = two_sources
    page = client.get(event.get_absolute_url()).content.decode()
    link = '<a href="/sources/premier/#p12">§ 12 de <cite lang="fr">Premier document</cite></a>'
    assert link in page
    number = late.number
    assert (
        f'<a href="/sources/second/?page=3#p{number}">§ {number} de '
        '<cite lang="en">Second document</cite></a>' in page
    )
    assert '<blockquote lang="en"' in page
    english = client.get("/en" + event.get_absolute_url()).content.decode()
    assert f'href="/en/sources/second/?page=3#p{number}">§ {number} of <cite' in english


def test_source_page_is_paginated_with_the_same_anchors(client, two_sources):
    first, second, event, late = two_sources
    page = client.get("/sources/second/?page=3").content.decode()
    assert f'id="p{late.number}"' in page and 'id="p81"' in page and 'id="p120"' in page
    assert 'id="p80"' not in page and 'id="p121"' not in page
    assert '<article class="source-article" lang="en"' in page
    assert "Page 3 sur 4 : paragraphes 81 à 120." in page
    assert 'href="/events/' + event.slug in page  # what the passage backs
    assert 'href="?page=4" rel="next"' in page
    english = client.get("/en/sources/second/?page=4").content.decode()
    assert "Page 4 of 4: paragraphs 121 to 125." in english


@pytest.mark.parametrize("bad", ["0", "5", "abc", "-1", "9" * 30, "1.5"])
def test_a_page_that_does_not_exist_is_a_400_that_says_so(client, two_sources, bad):
    response = client.get("/sources/second/", {"page": bad})
    assert response.status_code == 400
    assert "n’existe pas : la liste en compte 4." in response.content.decode()


def test_list_counts_facts_of_each_source(client, two_sources):
    page = client.get("/sources/").content.decode()
    assert "2 documents sources" in page
    assert page.count("1 événement tiré de ce document") == 2


def test_source_page_is_bounded_at_any_size(client, db, django_assert_max_num_queries):
    article = ArticleFactory(slug="long", title="Long document")
    Passage.objects.bulk_create(
        Passage(article=article, number=i, text=f"Paragraphe {i} avec Sam Altman.")
        for i in range(1, 3001)
    )
    passage = Passage.objects.get(article=article, number=1500)
    sam = PersonFactory(name="Sam Altman")
    for n in range(LINKS_PER_PASSAGE + 5):
        EventFactory(title=f"Fait {n}", passages=[passage], actors=[sam])
    # The document, its passages on the page, their events, quotes and roles, the actors
    # named there and their aliases, and the data and key versions (page cache).
    for url in ("/sources/long/", "/sources/long/?page=38", "/sources/long/?page=75"):
        with django_assert_max_num_queries(9):
            response = client.get(url)
        assert response.status_code == 200
        assert len(response.content) < 100_000
    page = client.get("/sources/long/?page=38").content.decode()
    assert page.count('href="/events/evenement-') == LINKS_PER_PASSAGE
    assert "et 5 autres faits tirés de ce paragraphe" in page
    with django_assert_max_num_queries(6):
        assert client.get("/sources/").status_code == 200
