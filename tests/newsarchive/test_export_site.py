"""`manage.py export_site`: a static folder with no broken link, and a WARC that reads back
with every page as the live site serves it."""

import html
import io
import re
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client
from django.test.utils import override_settings
from warcio.archiveiterator import ArchiveIterator

from events.models import Article, Event, Passage
from events.models.provenance import PASSAGES_PER_PAGE
from newsarchive.publishing.snapshot import exportable, file_for, split
from people.models import Actor

LINK = re.compile(r'\b(?:href|src)="([^"]*)"')
LIVE = "http://127.0.0.1:8000"
LONG = "un-long-document"  # a source document of three pages, added to the story
# Attributes that hold an address, whatever the tag.
URL_ATTRIBUTES = {"href", "src", "action", "poster", "data", "formaction", "cite"}


class Links(HTMLParser):
    """Every address an HTML page points to (its URL attributes and srcset candidates)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if value is None:
                continue
            if name in URL_ATTRIBUTES:
                self.links.append(value)
            elif name in ("srcset", "imagesrcset"):
                self.links += [part.split()[0] for part in value.split(",") if part.strip()]


def links_of(text):
    parser = Links()
    parser.feed(text)
    return parser.links


def warc_pages(warc):
    """{URL: (content type, body)} of every response the WARC holds."""
    held = {}
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type == "response":
                url = record.rec_headers.get_header("WARC-Target-URI")
                kind = record.http_headers.get_header("Content-Type") or ""
                held[url] = (kind, record.content_stream().read())
    return held


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory):
    """The story, exported once for the module (an export renders every page)."""
    folder = tmp_path_factory.mktemp("export") / "site"
    warc = folder.parent / "archive.warc.gz"
    plain = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with django_db_blocker.unblock(), override_settings(STORAGES=plain):
        call_command("seed_story", verbosity=0)
        # A second source document, long enough for three pages (the story's has one).
        long = Article.objects.create(slug=LONG, title="Un long document", language="en")
        Passage.objects.bulk_create(
            Passage(article=long, number=n, text=f"Paragraph {n}.")
            for n in range(1, 2 * PASSAGES_PER_PAGE + 6)
        )
        call_command("export_site", str(folder), warc=str(warc), stdout=io.StringIO())
        yield folder, warc
        call_command("flush", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_folder_holds_every_canonical_page_in_both_languages(exported):
    folder, _warc = exported
    for prefix in ("", "en/"):
        for name in (
            "index.html",
            "events/index.html",
            "people/index.html",
            "sources/index.html",
            "sources/que-se-passe-t-il-avec-openai-et-sam-altman/index.html",
            f"sources/{LONG}/index.html",
            f"sources/{LONG}/index__page-2.html",
            f"sources/{LONG}/index__page-3.html",
            "quotes/index.html",
            "network/index.html",
            "disputes/index.html",
            "changes/index.html",
        ):
            assert (folder / prefix / name).is_file(), prefix + name
        for event in Event.objects.all():
            assert (folder / f"{prefix}events/{event.slug}/index.html").is_file()
        for actor in Actor.objects.all():
            section = "people" if actor.is_person else "organisations"
            assert (folder / f"{prefix}{section}/{actor.slug}/index.html").is_file()
        for day in {e.day for e in Event.objects.all()}:
            assert (folder / f"{prefix}events/index__day-{day.isoformat()}.html").is_file()
        assert (folder / f"{prefix}events/index__actor-sam-altman.html").is_file()
        assert (folder / f"{prefix}events/index__kind-firing.html").is_file()
    for name in (
        "events.json",
        "events.csv",
        "events__actor-sam-altman.json",
        "feeds/events.atom",
        "feeds/events__actor-sam-altman.atom",
        "en/feeds/events.atom",
        "en/feeds/events__actor-sam-altman.atom",
        "en/feeds/events__day-2023-11-17.atom",
        "sources.json",
        "sources.csv",
        "people/sam-altman.json",
        "organisations/openai.json",
        "robots.txt",
        "sitemap.xml",
        "sitemap-events.xml",
        "card.png",
        "favicon.ico",
    ):
        assert (folder / name).is_file(), name
    assert list(folder.glob("static/css/*.css"))


def test_exported_folder_has_no_broken_link(exported):
    folder, _warc = exported
    pages = list(folder.rglob("*.html"))
    assert len(pages) > 100
    checked = 0
    for page in pages:
        text = page.read_text()
        for raw in LINK.findall(text):
            url = html.unescape(raw)
            if url.startswith(("http://", "https://", "#", "mailto:", "data:")):
                continue
            assert not url.startswith("/"), f"{page}: root-relative {url} breaks on file://"
            target = (page.parent / unquote(urlsplit(url).path)).resolve()
            assert target.is_file(), f"{page.relative_to(folder)} links to missing {url}"
            checked += 1
    assert checked > 1000


def test_links_outside_the_snapshot_go_to_the_live_site(exported):
    folder, _warc = exported
    text = (folder / "events/index__actor-sam-altman.html").read_text()
    # A combined filter (a facet on top of the actor) is not exported: it stays live.
    assert "http://127.0.0.1:8000/events/?actor=sam-altman&amp;kind=" in text
    assert 'action="http://127.0.0.1:8000/search/"' in text
    # The event pages are exported: relative links.
    assert 'href="le-conseil-licencie-sam-altman/index.html"' in text


@pytest.mark.django_db
def test_warc_reads_back_with_every_page_as_served(exported):
    # Django's own client: the suite's `client` fixture reads French no-break spaces as
    # plain ones, and the WARC must hold the bytes the site sends.
    client = Client()
    folder, warc = exported
    responses, requests = {}, 0
    with open(warc, "rb") as stream:
        for record in ArchiveIterator(stream, check_digests="raise"):
            body = record.content_stream().read()
            if record.rec_type == "request":
                requests += 1
                assert record.http_headers.protocol == "GET"
            if record.rec_type == "response":
                assert record.digest_checker.passed is True
                assert record.http_headers.get_statuscode() == "200"
                assert record.http_headers.get_header("Content-Type")
                responses[record.rec_headers.get_header("WARC-Target-URI")] = body
    assert requests == len(responses)
    files = [path for path in folder.rglob("*") if path.is_file()]
    assert len(responses) == len(files)
    rewritten = 0
    for url in [u for u in responses if not u.endswith((".css", ".svg"))]:
        path = url.removeprefix(LIVE)
        live = client.get(path, HTTP_HOST="127.0.0.1:8000")
        served = b"".join(live.streaming_content) if live.streaming else live.content
        if not live["Content-Type"].startswith("text/html"):
            assert served == responses[url], path
            continue
        # An HTML page is the page served, but for links to pages the WARC does not hold,
        # made absolute on the live site: the same text between the links, and each link
        # either as served or live and not held.
        ours, theirs = responses[url].decode(), served.decode()
        assert LINK_SPLIT.split(ours)[::3] == LINK_SPLIT.split(theirs)[::3], path
        for mine, original in zip(
            LINK_SPLIT.findall(ours), LINK_SPLIT.findall(theirs), strict=True
        ):
            if mine != original:
                target = html.unescape(mine[1])
                assert target.startswith(LIVE + "/"), (path, mine)
                # A form's action goes live whatever it names: what it sends is not held.
                assert mine[0] == "action" or target not in responses, (path, mine)
                rewritten += 1
    assert rewritten > 100


LINK_SPLIT = re.compile(r'\b(href|src|action|cite)="([^"]*)"')


def test_every_same_site_link_of_the_warc_is_held_or_live(exported):
    """Replayed (pywb…), a page's links to pages the WARC lacks (`?at=`, combined filters,
    `/quotes/?speaker=`) would end on « URL Not Found »: they go to the live site instead."""
    _folder, warc = exported
    responses = warc_pages(warc)
    # As replay tools match them: query parameters in any order, escaped or not.
    held = {split(url.removeprefix(LIVE)) for url in responses}
    assert split(f"/en/sources/{LONG}/?page=3") in held
    assert split("/en/feeds/events.atom?actor=sam-altman") in held
    pages = {url: body for url, (kind, body) in responses.items() if kind.startswith("text/html")}
    assert len(pages) > 400
    checked, live = 0, set()
    for url, body in pages.items():
        for raw in links_of(body.decode()):
            if not raw or raw.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            absolute = urljoin(url, raw).split("#", 1)[0]
            if not absolute.startswith(LIVE + "/"):
                continue  # another site
            checked += 1
            if split(absolute.removeprefix(LIVE)) in held:
                continue
            # Not held: written as an absolute address on the live site, never site-relative.
            assert raw.startswith(LIVE + "/"), f"{url} links to {raw}, which the WARC lacks"
            live.add(absolute)
    assert checked > 10000 and len(live) > 100
    # A person page's as-of views and quotes by speaker are held; the lists of the events
    # shared with another actor (a combined filter) are live.
    person = pages[f"{LIVE}/people/sam-altman/"].decode()
    assert (
        'href="?at=2023-11-17T' in person
        and split("/people/sam-altman/?at=2023-11-17T09:00") in held
    )
    assert 'href="/quotes/?speaker=sam-altman"' in person
    assert f'href="{LIVE}/events/?actor=sam-altman&amp;actor=greg-brockman&amp;match=all"' in person
    day = pages[f"{LIVE}/events/?day=2023-11-17"].decode()
    assert f'href="{LIVE}/events/?day=2023-11-17&amp;kind=' in day


def test_every_same_site_link_of_the_folder_is_a_file_or_live(exported):
    """The folder's pages, read with an HTML parser (every URL attribute, not just href and
    src): a link is a relative file that exists, or an absolute address on the live site."""
    folder, _warc = exported
    checked = 0
    for page in folder.rglob("*.html"):
        for raw in links_of(page.read_text()):
            if not raw or raw.startswith(("#", "mailto:", "data:", "javascript:")):
                continue
            if "://" in raw or raw.startswith("//"):
                continue  # absolute: the live site, or another one
            assert not raw.startswith("/"), f"{page}: root-relative {raw}"
            target = (page.parent / unquote(urlsplit(raw).path)).resolve()
            assert target.is_file(), f"{page.relative_to(folder)} links to missing {raw}"
            checked += 1
    assert checked > 5000


def test_exported_set_and_file_names():
    assert exportable("/events/", split("?day=2023-11-17&page=2")[1])
    assert not exportable("/events/", split("?day=2023-11-17&kind=firing")[1])
    assert not exportable("/search/", (("q", "x"),))
    assert not exportable("/admin/", ())
    assert exportable("/people/sam-altman/", (("at", "2023-11-18T12:00"),))
    assert not exportable("/people/sam-altman/", (("at", "2023-11-18T12:00"), ("x", "1")))
    assert exportable("/en/quotes/", split("?speaker=sam-altman")[1])
    assert not exportable("/quotes/", split("?speaker=sam-altman&day=2023-11-17")[1])
    assert exportable("/events/", split("?claim=reported&more=actor")[1])
    assert not exportable("/events/", split("?claim=reported&actor=sam-altman")[1])
    assert (
        file_for("/en/events/", (("actor", "sam-altman"),))
        == "en/events/index__actor-sam-altman.html"
    )
    assert file_for("/events.json", (("kind", "firing"),)) == "events__kind-firing.json"
    assert file_for("/events/", (("q", "a b"),)) == "events/index__q-a~20b.html"


def test_refuses_a_folder_in_use_and_needs_a_target(tmp_path, db):
    (tmp_path / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_site", str(tmp_path))
    with pytest.raises(CommandError, match="Give a folder"):
        call_command("export_site")
    assert (tmp_path / "keep.txt").read_text() == "mine"
