"""The story's article read on its source page: the whole text, anchored, linked, furniture
set apart (its old address, `/article/`, redirects there: test_sources.py)."""

import re
from html.parser import HTMLParser

import pytest

from events.models import Passage
from newsarchive.pages.article import ActorLinker, heading_levels
from people.models import Actor
from tests.factories import AliasFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.postgres

ARTICLE = "/sources/que-se-passe-t-il-avec-openai-et-sam-altman/"


class Ids(HTMLParser):
    """Which element carries each id, and the ids found inside <article>."""

    def __init__(self):
        super().__init__()
        self.tags, self.in_article, self.depth, self.article_ids = {}, False, 0, set()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article":
            self.in_article = True
        if "id" in attrs:
            self.tags[attrs["id"]] = tag
            if self.in_article:
                self.article_ids.add(attrs["id"])

    def handle_endtag(self, tag):
        if tag == "article":
            self.in_article = False


@pytest.fixture
def page(client, story):
    response = client.get(ARTICLE)
    assert response.status_code == 200
    parser = Ids()
    parser.feed(response.content.decode())
    return response, parser


def test_every_story_passage_has_an_anchor_inside_the_article(page):
    response, ids = page
    story = Passage.objects.story().values_list("number", flat=True)
    assert len(story) == 35
    assert {f"p{n}" for n in story} <= ids.article_ids
    furniture = Passage.objects.filter(kind="furniture").values_list("number", flat=True)
    assert sorted(furniture) == [12, 21, 27, 39]
    for number in furniture:
        assert f"p{number}" not in ids.article_ids  # still addressable, but not the story
        assert f"p{number}" in ids.tags


def test_furniture_is_set_apart_as_page_furniture(page):
    response, _ = page
    content = response.content.decode()
    story, furniture = content.split('<aside class="furniture"')
    assert "Laisser un commentaire" not in story
    assert "Cascades de cartes de stade" not in story
    assert "Habillage de la page capturée" in furniture
    assert "Laisser un commentaire" in furniture


def test_headings_are_headings_and_quotes_are_quotes(page):
    response, ids = page
    assert ids.tags["p3"] == "h2"  # Comment ça a commencé
    assert ids.tags["p4"] == "h3"  # jeudi 16 novembre
    assert ids.tags["p9"] == "h3"
    assert ids.tags["p16"] == "h2"  # Comment ça va
    content = response.content.decode()
    thread = content[content.index('id="p6"') : content.index('id="p7"')]
    assert '<blockquote class="passage__quote">' in thread
    title = content[content.index("<h1") : content.index("</h1>")]
    assert "Que se passe-t-il avec OpenAI et Sam Altman ?" in title


def test_paragraphs_link_to_what_they_back(page):
    response, _ = page
    content = response.content.decode()
    p5 = content[content.index('id="p5"') : content.index('id="p6"')]
    assert '<a href="/events/ilya-sutskever-contacte-sam-altman/">' in p5
    p2 = content[content.index('id="p2"') : content.index('id="p3"')]
    assert '<span class="label">Rôle</span> <a href="/people/sam-altman/">Sam Altman</a>' in p2


def test_actor_names_are_linked_longest_first(page):
    response, _ = page
    content = response.content.decode()
    p2 = content[content.index('id="p2"') : content.index('id="p3"')]
    assert '<a class="actor-link" href="/people/sam-altman/">Sam Altman</a>' in p2
    p11 = content[content.index('id="p11"') : content.index('id="p13"')]
    p11_text = p11[p11.index('class="passage__text"') :]
    p11_text = p11_text[: p11_text.index("</p>")]
    board = '<a class="actor-link" href="/organisations/conseil-d-administration-d-openai/">'
    assert board + "conseil d’administration d’OpenAI</a>" in p11_text
    assert 'href="/organisations/openai/"' not in p11_text  # not inside the board's name
    p6 = content[content.index('id="p6"') : content.index('id="p7"')]
    assert '<a class="actor-link" href="/people/ilya-sutskever/">Ilya</a>' in p6


def test_query_count_is_fixed(client, story, django_assert_max_num_queries):
    for n in range(50):
        AliasFactory(actor=PersonFactory(name=f"Personne {n}"), name=f"Surnom {n}")
    # article, passages, their events, quotes and roles, actors, aliases
    with django_assert_max_num_queries(9):  # with the data and key versions (page cache)
        response = client.get(ARTICLE)
    assert response.status_code == 200
    assert 'id="p38"' in response.content.decode()  # the last paragraph of the story


def test_article_in_english(client, story):
    content = client.get("/en" + ARTICLE).content.decode()
    assert '<html lang="en">' in content
    assert "Page furniture of the capture" in content
    assert '<article class="source-article" lang="fr"' in content  # the text stays French
    assert "Drawn from paragraph 5" in content


def test_no_article_is_a_404(client, db):
    assert client.get(ARTICLE).status_code == 404
    assert client.get("/article/").status_code == 404


# --- the name linker, on its own ------------------------------------------------------------


@pytest.mark.django_db
def test_linker_escapes_text_and_prefers_longer_names():
    openai = OrganisationFactory(name="OpenAI")
    OrganisationFactory(name="Conseil d’administration d’OpenAI", slug="board", parent=openai)
    AliasFactory(actor=PersonFactory(name="Sam Altman"), name="Sam")
    PersonFactory(name="A&B <Co>", slug="ab")
    linker = ActorLinker(Actor.objects.for_list())
    html = linker.link("<b>Sam</b> et le conseil d'administration d'OpenAI; A&B <Co>. Samedi, Sam.")
    assert html.startswith('&lt;b&gt;<a class="actor-link" href="/people/sam-altman/">Sam</a>')
    assert (
        '<a class="actor-link" href="/organisations/board/">conseil d&#x27;administration' in html
    )
    assert '/organisations/openai/"' not in html
    assert '<a class="actor-link" href="/people/ab/">A&amp;B &lt;Co&gt;</a>' in html
    assert "Samedi" in html and html.count("/people/sam-altman/") == 1  # first mention only
    assert not re.search(r"<(?!a |/a>|b>)", html.replace("&lt;", ""))  # no other markup


def test_heading_levels_follow_the_layout():
    kinds = ["paragraph", "heading", "heading", "paragraph", "heading", "paragraph", "heading"]
    passages = [Passage(pk=n, number=n, kind=kind) for n, kind in enumerate(kinds, 1)]
    assert heading_levels(passages) == {2: 2, 3: 3, 5: 3, 7: 3}
