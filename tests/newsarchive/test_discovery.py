"""Findable and shareable: robots.txt, sitemap.xml, canonical links, share cards, JSON-LD."""

import io
import json
import re
import xml.etree.ElementTree as ET

import pytest
from PIL import Image

from events.models import Event
from people.models import Actor

STORY = "/sources/que-se-passe-t-il-avec-openai-et-sam-altman/"  # the story article's source page

pytestmark = pytest.mark.postgres

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


def meta(html, attribute, name):
    match = re.search(rf'<meta {attribute}="{re.escape(name)}" content="([^"]*)">', html)
    return match.group(1) if match else None


def json_ld(html):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in blocks]


def test_robots_txt_points_to_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "Disallow: /admin/" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text


def sitemap_urls(client):
    index = ET.fromstring(client.get("/sitemap.xml").content)
    urls = {}
    for location in index.iter(f"{SITEMAP}loc"):
        section = ET.fromstring(client.get(location.text.replace("http://testserver", "")).content)
        for url in section.findall(f"{SITEMAP}url"):
            links = {link.get("hreflang"): link.get("href") for link in url.findall(f"{XHTML}link")}
            urls[url.find(f"{SITEMAP}loc").text] = links
    return urls


def test_sitemap_lists_every_canonical_page_in_both_languages(client, story):
    urls = sitemap_urls(client)
    expected = ["/", "/events/", "/people/", "/organisations/", "/sources/", STORY]
    expected += ["/quotes/", "/network/", "/disputes/", "/changes/"]
    expected += [e.get_absolute_url() for e in Event.objects.all()]
    expected += [a.get_absolute_url() for a in Actor.objects.all()]
    for path in expected:
        french, english = f"http://testserver{path}", f"http://testserver/en{path}"
        assert french in urls and english in urls, path
        assert urls[french] == {"fr": french, "en": english, "x-default": french}
    assert len(urls) == 2 * len(expected)
    for url in list(urls)[:40]:
        assert client.get(url.replace("http://testserver", "")).status_code == 200


def test_sitemap_lists_every_page_of_each_source_document(client, db):
    from events.models import Passage
    from events.models.provenance import PASSAGES_PER_PAGE
    from tests.factories import ArticleFactory

    long = ArticleFactory(slug="long", title="Un long document")
    ArticleFactory(slug="vide", title="Sans passage")
    n = 2 * PASSAGES_PER_PAGE + 1  # three pages
    Passage.objects.bulk_create(
        Passage(article=long, number=i, text=f"Paragraphe {i}.") for i in range(1, n + 1)
    )
    urls = sitemap_urls(client)
    pages = ["/sources/long/", "/sources/long/?page=2", "/sources/long/?page=3", "/sources/vide/"]
    for path in pages:
        french, english = f"http://testserver{path}", f"http://testserver/en{path}"
        assert urls[french] == {"fr": french, "en": english, "x-default": french}, path
        page = client.get(path).content.decode()
        # Each is its own canonical page (passages 41–80 are not a variant of 1–40), indexed.
        assert f'<link rel="canonical" href="{french}">' in page
        assert '<meta name="robots"' not in page
        english_page = client.get(f"/en{path}").content.decode()
        assert f'<link rel="canonical" href="{english}">' in english_page
        assert f'<link rel="alternate" hreflang="fr" href="{french}">' in english_page
    assert "http://testserver/sources/long/?page=4" not in urls
    assert len([url for url in urls if "/sources/" in url]) == 2 * (1 + len(pages))
    # The first page asked for as ?page=1, a page past the end, extra parameters: variants.
    for path in ("/sources/long/?page=1", "/sources/long/?page=2&x=1"):
        page = client.get(path).content.decode()
        assert '<meta name="robots" content="noindex, follow">' in page
    bad = client.get("/sources/long/?page=9")
    assert bad.status_code == 400
    assert '<link rel="canonical" href="http://testserver/sources/long/">' in bad.content.decode()


def test_sitemap_pages_stay_bounded(client, story, monkeypatch, django_assert_max_num_queries):
    monkeypatch.setattr("newsarchive.publishing.sitemaps.ArchiveSitemap.limit", 10)
    index = ET.fromstring(client.get("/sitemap.xml").content)
    events_pages = [loc.text for loc in index.iter(f"{SITEMAP}loc") if "events" in loc.text]
    assert len(events_pages) == -(-2 * Event.objects.count() // 10)
    with django_assert_max_num_queries(4):
        page = ET.fromstring(client.get(events_pages[1].replace("http://testserver", "")).content)
    assert len(page.findall(f"{SITEMAP}url")) == 10


@pytest.mark.parametrize(
    "path, canonical, noindex",
    [
        ("/", "/", False),
        ("/en/events/", "/en/events/", False),
        ("/events/?actor=sam-altman", "/events/", True),
        ("/events/?page=1", "/events/", True),
        ("/search/?q=ilya", "/search/", True),
        ("/people/sam-altman/?at=2023-11-18T12:00", "/people/sam-altman/", True),
        ("/organisations/openai/", "/organisations/openai/", False),
        ("/sources/", "/sources/", False),
        (STORY, STORY, False),
        (STORY + "?page=1", STORY, True),
    ],
)
def test_canonical_and_noindex(client, story, path, canonical, noindex):
    html = client.get(path).content.decode()
    assert f'<link rel="canonical" href="http://testserver{canonical}">' in html
    assert ('<meta name="robots" content="noindex, follow">' in html) is noindex


def test_share_tags_on_an_event_page(client, story):
    event = Event.objects.get(slug="le-conseil-licencie-sam-altman")
    html = client.get(event.get_absolute_url()).content.decode()
    assert meta(html, "property", "og:title") == event.title
    assert meta(html, "property", "og:type") == "article"
    assert meta(html, "property", "og:url") == f"http://testserver{event.get_absolute_url()}"
    assert meta(html, "property", "og:description").strip()
    assert meta(html, "property", "og:image") == "http://testserver/card.png"
    assert meta(html, "name", "twitter:card") == "summary_large_image"
    assert meta(html, "name", "twitter:title") == event.title
    assert meta(html, "name", "twitter:description") == meta(html, "property", "og:description")
    assert meta(html, "property", "og:locale") == "fr_FR"
    english = client.get(f"/en{event.get_absolute_url()}").content.decode()
    assert meta(english, "property", "og:locale") == "en_US"


def test_json_ld_for_events_people_organisations_and_the_article(client, story):
    event = Event.objects.get(slug="le-conseil-licencie-sam-altman")
    (data,) = json_ld(client.get(event.get_absolute_url()).content.decode())
    assert data["@context"] == "https://schema.org" and data["@type"] == "Event"
    assert data["name"] == event.title and data["startDate"].startswith("2023-11-17T12:00")
    assert {"@type": "Person", "name": "Sam Altman"}.items() <= data["about"][0].items() or any(
        thing["name"] == "Sam Altman" for thing in data["about"]
    )
    (person,) = json_ld(client.get("/people/ilya-sutskever/").content.decode())
    assert person["@type"] == "Person" and person["name"] == "Ilya Sutskever"
    assert "Ilya" in person["alternateName"]
    (board,) = json_ld(
        client.get("/organisations/conseil-d-administration-d-openai/").content.decode()
    )
    assert board["@type"] == "Organization"
    assert board["parentOrganization"]["name"] == "OpenAI"
    (article,) = json_ld(client.get(STORY).content.decode())
    assert article["@type"] == "NewsArticle"
    assert article["headline"] == "Que se passe-t-il avec OpenAI et Sam Altman ?"


def test_json_ld_cannot_be_broken_out_of(client, db):
    from tests.factories import EventFactory

    event = EventFactory(title="</script><script>alert(1)</script>")
    html = client.get(event.get_absolute_url()).content.decode()
    assert "<script>alert(1)" not in html
    assert json_ld(html)[0]["name"] == event.title


def test_card_is_a_picture_of_the_story(client, story):
    response = client.get("/card.png")
    assert response["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size == (1200, 630)
    # Drawn from the data: not one flat colour.
    assert len(image.getcolors(1_000_000)) > 10


def test_favicon_at_the_root(client, db):
    response = client.get("/favicon.ico")
    assert response["Content-Type"] == "image/x-icon"
    assert Image.open(io.BytesIO(response.content)).format == "ICO"


def test_card_names_fit_on_their_line():
    from newsarchive.publishing.cards import WIDTH, fitted, font

    names = ["Conseil d’administration d’OpenAI", "Équipe de direction d’OpenAI"] * 5
    line = fitted(names, 28, WIDTH - 120)
    assert line.startswith("Conseil d’administration d’OpenAI · Équipe")
    assert font(28).getlength(line) <= WIDTH - 120
    assert line.count("·") < len(names) - 1
