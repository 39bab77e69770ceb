"""The archive as static files and as a WARC: a copy that outlives the server.

`Snapshot` renders the site in-process (Django's test client: the real middleware, views,
caching headers, no network) from a set of seeds, following links to every page of the
*exported set*: the canonical pages in both languages, each event, person and
organisation, the article, each single-day, single-actor and single-kind list (with its
pages), their JSON, CSV and Atom, the discovery files and the static assets.

Then:
- `write_folder` stores each response under a file name that a static host and `file://`
  can serve (`/events/?day=2023-11-17` → `events/index__day-2023-11-17.html`), and rewrites
  the links of every HTML page: to a relative file when the target was exported, else to
  the absolute address on the live site (`base_url`), so nothing points into the void;
- `WarcSink` writes each exchange, unchanged, as WARC request and response records with
  warcio, for deposit with a web archive and replay in standard tools.
"""

import html
import io
import json
import mimetypes
import posixpath
import re
import time
from dataclasses import dataclass
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
LIST_FILTERS = ("day", "actor", "kind")
FILTERED_VIEWS = {
    "events:event_list": {"page"},
    "publishing:events_json": {"cursor"},
    "publishing:events_csv": set(),
    "publishing:events_feed": set(),
}
PAGED_VIEWS = {"people:person_list", "people:organisation_list"}
SITEMAP_LOC = re.compile(r"<loc>([^<]+)</loc>")
NEVER = ("search", "publishing:search_json", "healthz")
LINK = re.compile(r'(?P<attr>\b(?:href|src|action))="(?P<url>[^"]*)"')


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
    """Request and response records, as the site sent them, in a gzipped WARC file."""

    def __init__(self, path, base_url):
        self.base_url = base_url.rstrip("/")
        self.host = urlsplit(base_url).netloc
        self.handle = open(path, "wb")  # noqa: SIM115 (closed by close(), after the crawl)
        self.writer = WARCWriter(self.handle, gzip=True)
        info = {
            "software": "newsarchive export_site (warcio)",
            "format": "WARC File Format 1.1",
            "isPartOf": "L’archive : crise à OpenAI, 16–20 novembre 2023",
        }
        self.writer.write_record(self.writer.create_warcinfo_record(Path(path).name, info))
        self.records = 0

    def add(self, fetched):
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
        actors = list(Actor.objects.order_by("slug").values_list("slug", "kind"))
        events = list(Event.objects.order_by("occurred_at", "slug").values_list("slug", flat=True))
        sources = [f"/sources/{slug}/" for slug in Article.objects.values_list("slug", flat=True)]
        filters = [("day", d) for d in days] + [("kind", k) for k in kinds]
        filters += [("actor", slug) for slug, _kind in actors]
        urls = []
        for prefix in LANGUAGE_PREFIXES.values():
            urls += [f"{prefix}{path}" for path in ("/", "/events/", "/people/")]
            urls += [f"{prefix}/organisations/", f"{prefix}/sources/"]
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

    def rewrite(self, page_file, body, page_url):
        """An exported HTML page with its site links made relative (or live, if not exported)."""

        def replace(match):
            raw = html.unescape(match["url"])
            if raw.startswith("#") or not raw:
                return match.group(0)
            target = self.site_path(raw, page_url)
            if target is None:
                return match.group(0)
            if match["attr"] != "action" and split(target) in self.exported:
                fragment = "#" + raw.split("#", 1)[1] if "#" in raw else ""
                relative = posixpath.relpath(
                    self.exported[split(target)], posixpath.dirname(page_file) or "."
                )
                new = quote(relative, safe="/~._-") + fragment
            else:
                new = self.base_url + target  # not in the snapshot: the live site
            return f'{match["attr"]}="{html.escape(new)}"'

        return LINK.sub(replace, body.decode("utf-8"))


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
        path.write_text(snapshot.rewrite(name, path.read_bytes(), url), encoding="utf-8")


def export(folder=None, warc=None, base_url="http://127.0.0.1:8000", progress=print):
    """Run a snapshot into a folder and/or a WARC file; returns a report."""
    snapshot = Snapshot(base_url, progress)
    pages = snapshot.crawl()
    sink = WarcSink(warc, base_url) if warc else None
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
