"""The archive as static files and as a WARC: a copy that outlives the server.

`Snapshot` renders the site in-process (Django's test client: the real middleware, views,
caching headers, no network) from a set of seeds, following links to every page of the
*exported set*: the canonical pages in both languages, each event, person and
organisation (and each moment its page links, `?at=`), each source document (every page of
it), each single-day, single-actor, single-kind and single-claim list (with its pages and
longer facets), their JSON, CSV and Atom (French and English), the quotes of each speaker
and day, the sources' data, the discovery files and the static assets.

Then, both with the same rule (`Snapshot.rewrite`): a site link to a page the snapshot does
not hold (a combined filter, an `?at=` moment, a search) becomes the absolute address of that
page on the live site (`base_url`), so nothing points into the void:
- `write_folder` stores each response under a file name that a static host and `file://`
  can serve (`/events/?day=2023-11-17` → `events/index__day-2023-11-17.html`), and rewrites
  the links of every HTML page: to a relative file when the target was exported, else live;
- `WarcSink` writes each exchange as WARC request and response records with warcio, for
  deposit with a web archive and replay in standard tools: every response as the site sent
  it, except that an HTML page's links to pages the WARC does not hold are made live (the
  links to pages it holds are left as they are, for the replay tool to resolve). The held set
  is known when the crawl ends: HTML pages wait in a temporary file until then.
"""

import html
import io
import json
import mimetypes
import posixpath
import re
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlencode, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.test import Client
from django.test.utils import override_settings
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.http import http_date
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from events.models import Article, Event
from people.models import Actor

LANGUAGE_PREFIXES = {"fr": "", "en": "/en"}
LIST_FILTERS = ("day", "actor", "kind", "claim")
FILTERED_VIEWS = {
    "events:event_list": {"page", "more"},  # `more`: a facet's longer list (still bounded)
    "publishing:events_json": {"cursor"},
    "publishing:events_csv": set(),
    "publishing:events_feed": set(),
    "feeds:events": set(),  # the English feed, /en/feeds/events.atom
}
# Pages held with one of their own filters: quotes by speaker or by day (the speakers' pages
# link theirs), and an actor at a moment (`?at=`: the key moments and role dates its page
# links, a bounded number per actor). Combined filters stay on the live site.
OWN_FILTERS = {
    "quotes": ({"speaker", "day"}, {"page"}),
    "people:person_detail": ({"at"}, set()),
    "people:organisation_detail": ({"at"}, set()),
}
PAGED_VIEWS = {
    "people:person_list",
    "people:organisation_list",
    "sources:source_list",
    "sources:source_detail",  # a source document's pages: passages 1–40, 41–80…
}
SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")
NEVER = ("search", "publishing:search_json", "healthz")
# Every attribute of the pages that holds an address (a quotation's `cite` is its passage).
LINK = re.compile(r'(?P<attr>\b(?:href|src|action|formaction|cite|poster))="(?P<url>[^"]*)"')
FORM_TARGETS = ("action", "formaction")


@dataclass
class Fetched:
    url: str  # path and query, as requested
    status: int
    reason: str
    headers: list
    body: bytes

    @property
    def content_type(self):
        return {k.lower(): v for k, v in self.headers}.get("content-type", "")

    @property
    def is_html(self):
        return self.content_type.startswith("text/html")


def split(url):
    """(path, sorted query pairs) of a site-relative URL."""
    parts = urlsplit(url)
    return parts.path or "/", tuple(sorted(parse_qsl(parts.query, keep_blank_values=True)))


def joined(path, pairs):
    return f"{path}?{urlencode(pairs)}" if pairs else path


def view_name(path):
    if path.startswith(settings.STATIC_URL if settings.STATIC_URL.startswith("/") else "/static/"):
        return "static"
    for code in LANGUAGE_PREFIXES:
        with translation.override(code):
            try:
                return resolve(path).view_name
            except Resolver404:
                continue
    return None


def exportable(path, pairs):
    """Whether the page at `path?pairs` belongs to the exported set."""
    name = view_name(path)
    if name is None or name in NEVER or name.startswith("admin:"):
        return False
    keys = [key for key, _value in pairs]
    if len(keys) != len(set(keys)):
        return False
    if name == "static":
        return not keys
    if name in FILTERED_VIEWS:
        filters = [key for key in keys if key in LIST_FILTERS]
        others = set(keys) - set(LIST_FILTERS)
        return len(filters) <= 1 and others <= FILTERED_VIEWS[name]
    if name in OWN_FILTERS:
        filters, others = OWN_FILTERS[name]
        return len(set(keys) & filters) <= 1 and set(keys) - filters <= others
    if name in PAGED_VIEWS:
        return set(keys) <= {"page"}
    if name == "publishing:sitemap_section":
        return set(keys) <= {"p"}
    return not keys


def safe(text):
    return re.sub(r"[^A-Za-z0-9_.-]", lambda m: "~" + m.group().encode().hex(), text)


def file_for(path, pairs):
    """The snapshot file of a page: directories get `index.html`, queries a suffix."""
    if path.endswith("/"):
        stem, ext = path.lstrip("/") + "index", ".html"
    else:
        stem, ext = posixpath.splitext(path.lstrip("/"))
    if pairs:
        stem += "".join(f"__{safe(key)}-{safe(value)}" for key, value in pairs)
    return stem + ext


class WarcSink:
    """Request and response records in a gzipped WARC file: as the site sent them, but for
    HTML pages' links to pages the WARC does not hold, made live by `snapshot.rewrite`. The
    HTML pages are held back (in a temporary file, not in memory) until `finish()`, when the
    crawl is over and what the WARC holds is known."""

    def __init__(self, path, base_url, snapshot):
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(base_url).netloc
        self.snapshot = snapshot
        self.handle = open(path, "wb")  # noqa: SIM115 (closed by close(), after the crawl)
        self.writer = WARCWriter(self.handle, gzip=True)
        info = {
            "software": "newsarchive export_site (warcio)",
            "format": "WARC File Format 1.1",
            "isPartOf": "L’archive : crise à OpenAI, 16–20 novembre 2023",
            "description": "HTML pages link to the live site for pages this file does not hold",
        }
        self.writer.write_record(self.writer.create_warcinfo_record(Path(path).name, info))
        self.records = 0
        self.held_back = tempfile.TemporaryFile()  # noqa: SIM115 (closed by close())
        self.pages = []  # (Fetched without its body, offset, length) of each HTML page

    def add(self, fetched):
        if not fetched.is_html:
            self.write(fetched)
            return
        offset = self.held_back.seek(0, io.SEEK_END)
        self.held_back.write(fetched.body)
        self.pages.append((replace(fetched, body=b""), offset, len(fetched.body)))

    def finish(self):
        """Write the HTML pages held back, their links to pages not held made live."""
        for page, offset, length in self.pages:
            self.held_back.seek(offset)
            body = self.held_back.read(length)
            body = self.snapshot.rewrite(body, page.url, held=lambda key, raw: None).encode()
            headers = [(k, v) for k, v in page.headers if k.lower() != "content-length"]
            self.write(
                replace(page, headers=[*headers, ("Content-Length", str(len(body)))], body=body)
            )
        self.pages = []

    def write(self, fetched):
        url = self.base_url + fetched.url
        request_headers = StatusAndHeaders(
            f"GET {fetched.url} HTTP/1.1",
            [("Host", self.host), ("User-Agent", "newsarchive-export_site"), ("Accept", "*/*")],
            is_http_request=True,
        )
        response_headers = StatusAndHeaders(
            f"{fetched.status} {fetched.reason}", fetched.headers, protocol="HTTP/1.1"
        )
        request = self.writer.create_warc_record(
            url, "request", payload=io.BytesIO(b""), http_headers=request_headers
        )
        response = self.writer.create_warc_record(
            url, "response", payload=io.BytesIO(fetched.body), http_headers=response_headers
        )
        self.writer.write_request_response_pair(request, response)
        self.records += 2

    def close(self):
        self.held_back.close()
        self.handle.close()


class Snapshot:
    def __init__(self, base_url="http://127.0.0.1:8000", progress=None):
        parts = urlsplit(base_url)
        self.base_url = f"{parts.scheme}://{parts.netloc}"
        self.host, self.secure = parts.netloc, parts.scheme == "https"
        self.progress = progress or (lambda message: None)
        self.client = Client(HTTP_HOST=self.host)
        self.exported = {}  # (path, pairs) -> file name, for every 200
        self.failed = []  # (url, status) of pages that answered anything else

    def seeds(self):
        days = sorted({day.isoformat() for day in Event.objects.values_list("day", flat=True)})
        kinds = sorted(set(Event.objects.values_list("kind", flat=True)))
        claims = sorted(set(Event.objects.values_list("claim", flat=True)))
        actors = list(Actor.objects.order_by("slug").values_list("slug", "kind"))
        events = list(Event.objects.order_by("occurred_at", "slug").values_list("slug", flat=True))
        sources = [f"/sources/{slug}/" for slug in Article.objects.values_list("slug", flat=True)]
        filters = [("day", d) for d in days] + [("kind", k) for k in kinds]
        filters += [("claim", claim) for claim in claims]
        filters += [("actor", slug) for slug, _kind in actors]
        urls = []
        for prefix in LANGUAGE_PREFIXES.values():
            urls += [f"{prefix}{path}" for path in ("/", "/events/", "/people/")]
            urls += [f"{prefix}/organisations/", f"{prefix}/sources/", f"{prefix}/changes/"]
            urls += [f"{prefix}{url}" for url in sources]
            urls += [f"{prefix}/events/?{key}={value}" for key, value in filters]
            urls += [f"{prefix}/events/{slug}/" for slug in events]
            urls += [
                f"{prefix}/{'people' if kind == 'person' else 'organisations'}/{slug}/"
                for slug, kind in actors
            ]
        for data in ("/events.json", "/events.csv", "/feeds/events.atom"):
            urls.append(data)
            urls += [f"{data}?{key}={value}" for key, value in filters]
        urls += [f"/events/{slug}.json" for slug in events]
        urls += [
            f"/{'people' if kind == 'person' else 'organisations'}/{slug}.json"
            for slug, kind in actors
        ]
        for key, value in [(None, None), *filters]:
            urls.append(f"/en/feeds/events.atom?{key}={value}" if key else "/en/feeds/events.atom")
        urls += ["/sources.json", "/sources.csv", "/changes.json", "/feeds/changes.atom"]
        urls.append("/en/feeds/changes.atom")
        urls += ["/robots.txt", "/sitemap.xml", "/card.png", "/favicon.ico"]
        return urls

    def fetch(self, url):
        response = self.client.get(url, secure=self.secure)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        headers = [(k, v) for k, v in response.items() if k.lower() != "content-length"]
        headers.append(("Content-Length", str(len(body))))
        if not response.has_header("Date"):
            headers.append(("Date", http_date()))
        if response.status_code == 404 and url.startswith("/static/"):
            return self.static_file(url)
        return Fetched(url, response.status_code, response.reason_phrase, headers, body)

    @staticmethod
    def static_file(url):
        """An asset the server is not serving (static files not collected): from the finders."""
        name = url[len("/static/") :]
        found = finders.find(name)
        if not found:
            return Fetched(url, 404, "Not Found", [], b"")
        body = Path(found).read_bytes()
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
        headers = [("Content-Type", kind), ("Content-Length", str(len(body)))]
        return Fetched(url, 200, "OK", [*headers, ("Date", http_date())], body)

    def crawl(self):
        """Every page of the exported set, fetched once each: yields Fetched (200s only)."""
        with override_settings(ALLOWED_HOSTS=[self.host.split(":")[0]]):
            queue = [split(url) for url in self.seeds()]
            seen, started = set(queue), time.monotonic()
            while queue:
                key = queue.pop(0)
                fetched = self.fetch(joined(*key))
                if fetched.status != 200:
                    self.failed.append((fetched.url, fetched.status))
                    continue
                self.exported[key] = file_for(*key)
                yield fetched
                if len(self.exported) % 200 == 0:
                    self.progress(
                        f"  {len(self.exported)} pages, {len(queue)} to go "
                        f"({time.monotonic() - started:.0f} s)"
                    )
                for link in self.links(fetched):
                    if link not in seen and exportable(*link):
                        seen.add(link)
                        queue.append(link)

    def links(self, fetched):
        """Site links of a page: HTML attributes, the `next` page of a JSON listing."""
        if fetched.is_html:
            base = fetched.url
            for match in LINK.finditer(fetched.body.decode("utf-8", "replace")):
                target = self.site_path(html.unescape(match["url"]), base)
                if target:
                    yield split(target)
        elif fetched.content_type.startswith("application/xml"):
            for location in SITEMAP_LOC.findall(fetched.body.decode("utf-8", "replace")):
                target = self.site_path(html.unescape(location), fetched.url)
                if target:
                    yield split(target)
        elif fetched.content_type.startswith("application/json") and b'"next": "' in fetched.body:
            following = json.loads(fetched.body).get("next")
            if isinstance(following, str):
                target = self.site_path(following, fetched.url)
                if target:
                    yield split(target)

    def site_path(self, url, base):
        """`url` as a site-relative path and query if it points into the site, else None."""
        if not url or url.startswith(("#", "mailto:", "data:", "javascript:")):
            return None
        if url.startswith(self.base_url + "/"):
            url = url[len(self.base_url) :]
        elif "://" in url or url.startswith("//"):
            return None
        url = url.split("#", 1)[0]
        if url.startswith("?"):
            url = urlsplit(base).path + url
        elif not url.startswith("/"):
            url = posixpath.join(posixpath.dirname(urlsplit(base).path), url)
        return url

    def rewrite(self, body, page_url, held):
        """An exported HTML page (bytes) with its site links rewritten (text): a link to a page
        the snapshot holds becomes `held(key, raw)` (the link as written, `raw`, where that is
        None), any other site link (and any form's action) the page's address on the live site.
        The one rule of the folder and the WARC."""

        def replace_link(match):
            raw = html.unescape(match["url"])
            if raw.startswith("#") or not raw:
                return match.group(0)
            target = self.site_path(raw, page_url)
            if target is None:
                return match.group(0)
            key = split(target)
            if match["attr"] not in FORM_TARGETS and key in self.exported:
                new = held(key, raw)
                if new is None:
                    return match.group(0)
            else:
                new = self.base_url + target  # not in the snapshot: the live site
            return f'{match["attr"]}="{html.escape(new)}"'

        return LINK.sub(replace_link, body.decode("utf-8"))

    def relative_link(self, page_file):
        """For `rewrite` in the folder: a held page as a file relative to `page_file`."""

        def held(key, raw):
            fragment = "#" + raw.split("#", 1)[1] if "#" in raw else ""
            relative = posixpath.relpath(self.exported[key], posixpath.dirname(page_file) or ".")
            return quote(relative, safe="/~._-") + fragment

        return held


def write_folder(snapshot, folder, fetched_pages):
    """Write every page to `folder`, then rewrite the links of the HTML pages."""
    folder = Path(folder)
    html_pages = []
    for fetched in fetched_pages:
        name = snapshot.exported[split(fetched.url)]
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(fetched.body)
        if fetched.is_html:
            html_pages.append((name, fetched.url))
        yield fetched
    for name, url in html_pages:
        path = folder / name
        text = snapshot.rewrite(path.read_bytes(), url, held=snapshot.relative_link(name))
        path.write_text(text, encoding="utf-8")


def export(folder=None, warc=None, base_url="http://127.0.0.1:8000", progress=print):
    """Run a snapshot into a folder and/or a WARC file; returns a report."""
    snapshot = Snapshot(base_url, progress)
    pages = snapshot.crawl()
    sink = WarcSink(warc, base_url, snapshot) if warc else None
    if folder:
        pages = write_folder(snapshot, folder, pages)
    counts, size = {}, 0
    try:
        for fetched in pages:
            if sink:
                sink.add(fetched)
            kind = fetched.content_type.split(";")[0] or "other"
            counts[kind] = counts.get(kind, 0) + 1
            size += len(fetched.body)
        if sink:
            sink.finish()
    finally:
        if sink:
            sink.close()
    return {
        "pages": len(snapshot.exported),
        "by_type": dict(sorted(counts.items())),
        "bytes": size,
        "warc_records": sink.records if sink else 0,
        "failed": snapshot.failed,
    }
