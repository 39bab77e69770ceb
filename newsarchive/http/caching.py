"""HTTP caching of the public pages, never stale, kept across writes that do not touch them.

Every public page depends only on its URL (the language is in the path) and on the records
and lists it shows, which it names as surrogate keys while it renders (core.surrogates). Every
write stamps the keys it touches with a new data version (newsarchive.http.versioning). So:

- each response carries its keys (`xkey` and `Surrogate-Key`, for a proxy in front), an
  `ETag` taken from the versions of its own keys (and the code release), a `Last-Modified`
  from the latest of them, and `Cache-Control: public, max-age=ARCHIVE_MAX_AGE`;
- a full-response cache (Django's cache framework: local memory per process by default,
  Redis from REDIS_URL to share it) keeps each page with its keys and their versions; a
  request reads the current versions of those keys (one indexed query) and serves the copy,
  or a 304, while they have not moved. A save moves the keys of the pages it touches; every
  other page keeps its copy and its ETag;
- a page whose keys moved is rendered once, not once per waiting request (single flight:
  one lock per page in the shared cache, so across workers and machines with Redis);
- HTML and JSON are gzip-compressed once, when stored, for clients that accept it.

A page is stored only if none of its keys moved while it rendered (the data version read
before rendering is the bound), so a copy is never older than the versions it is filed under.
Editors (a session cookie) and everything that is not a public GET bypass all of this.
"""

import datetime
import gzip
import hashlib
import time
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from core import surrogates
from newsarchive.models import DataVersion, KeyVersion

from .versioning import DERIVED, data_tables

CACHED_STATUSES = {200}
COMPRESSIBLE = ("text/html", "application/json", "text/csv", "application/atom+xml")
# /healthz reads the database itself, and answers its own 503 when it cannot.
NOT_PUBLIC = ("/admin/", "/i18n/", "/static/", "/healthz")
# Headers a cached copy keeps; the rest (security headers, Date) is set on the way out.
KEPT_HEADERS = ("Content-Type", "Content-Language", "Content-Disposition", "X-Frame-Options")


def release_id():
    """A fingerprint of the code and templates, so a deploy never serves old pages."""
    digest = hashlib.sha256(settings.ARCHIVE_RELEASE.encode())
    if not settings.ARCHIVE_RELEASE:
        base = Path(settings.BASE_DIR)
        for folder in ("newsarchive", "events", "people", "templates", "static", "locale"):
            for path in sorted((base / folder).rglob("*")):
                if path.suffix in {".py", ".html", ".css", ".svg", ".mo"} and path.is_file():
                    digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def accepts_gzip(request):
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def canonical_query(request):
    """The query string with its parameters in a stable order: `?b=1&a=2` is `?a=2&b=1`."""
    return "&".join(
        f"{key}={value}" for key, values in sorted(request.GET.lists()) for value in values
    )


# A page being rendered holds its lock this long at most; others wait for it this long.
LOCK_SECONDS = 30
WAIT_SECONDS = 10
POLL_SECONDS = 0.01


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.release = release_id()
        self.max_age = settings.ARCHIVE_MAX_AGE
        self.enabled = settings.ARCHIVE_PAGE_CACHE
        self.cache = caches[settings.ARCHIVE_PAGE_CACHE_ALIAS]
        self.data_tables = data_tables()

    def is_public(self, request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(NOT_PUBLIC)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request):
        if not self.is_public(request):
            return self.get_response(request)
        gzipped = accepts_gzip(request)
        address = self.address(request)  # first: it checks the host
        key = f"page:{self.release}:{'gz' if gzipped else 'id'}:{address}"
        if self.enabled:
            served = self.serve_kept(request, key, address)
            if served is None and not self.cache.add(f"lock:{key}", 1, LOCK_SECONDS):
                served = self.wait_for(request, key, address)
            if served is not None:
                return served
        try:
            return self.render(request, key, address, gzipped)
        finally:
            if self.enabled:
                self.cache.delete(f"lock:{key}")

    def serve_kept(self, request, key, address):
        """A 304 or the kept copy while the page's keys have not moved; None otherwise."""
        entry = self.cache.get(key)
        if entry is None:
            return None
        keys, signature, frozen = entry
        versions = KeyVersion.objects.of(keys)
        current = self.signature(keys, versions)
        validators = self.validators(current, address, versions)
        not_modified = get_conditional_response(request, **validators)
        if not_modified is not None:
            return self.finish(not_modified, keys, **validators)
        if current != signature:
            return None
        response = self.rebuild(frozen)
        response["X-Cache"] = "hit"  # for operators: was this page rendered?
        return self.finish(response, keys, **validators)

    def wait_for(self, request, key, address):
        """Another request is rendering this page: serve its copy once it is stored."""
        deadline = time.monotonic() + WAIT_SECONDS
        while time.monotonic() < deadline and self.cache.get(f"lock:{key}") is not None:
            time.sleep(POLL_SECONDS)
        return self.serve_kept(request, key, address)

    def render(self, request, key, address, gzipped):
        # Only a stored copy needs the bound (a page rendered for this request alone does not).
        bound = DataVersion.objects.current()[0] if self.enabled else None
        with surrogates.collecting() as page:
            response = self.get_response(request)
        if not self.is_shareable(response):
            return response
        if response.streaming:  # its rows are read as it is sent: it may show any of them
            keys = (surrogates.ALL, *sorted(map(surrogates.table_key, self.data_tables)))
        else:
            keys = tuple(sorted(page.keys(self.data_tables, DERIVED)))
        versions = KeyVersion.objects.of(keys)
        signature = self.signature(keys, versions)
        validators = self.validators(signature, address, versions)
        not_modified = get_conditional_response(request, **validators)
        if not_modified is not None:
            return self.finish(not_modified, keys, **validators)
        if response.streaming:
            return self.finish(response, keys, **validators)
        if gzipped:
            self.compress(response)
        # A key that moved while the page rendered: the page may show either side of that
        # write, so it is served but not kept.
        if self.enabled and all(number <= bound for number, _at in versions.values()):
            entry = (keys, signature, self.freeze(response))
            self.cache.set(key, entry, settings.ARCHIVE_PAGE_CACHE_TIMEOUT)
            response["X-Cache"] = "miss"
        return self.finish(response, keys, **validators)

    def signature(self, keys, versions):
        digest = hashlib.sha256(self.release.encode())
        for key in keys:
            number, stamp = versions.get(key, (0, 0))
            # The time as well as the number: a database restored from an older backup goes
            # back to numbers already used, never to the same instants.
            digest.update(f"{key}={number}.{stamp};".encode())
        return digest.hexdigest()[:20]

    def validators(self, signature, address, versions):
        # Per address: a client holds a page's ETag only from that page's 200, and while its
        # keys stay the same, that page is still the same 200 (never a 304 for a 404).
        stamps = [stamp for _number, stamp in versions.values()]
        latest = max(stamps) // 1_000_000 if stamps else self.start_of_data()
        return {"etag": f'W/"{signature}-{address[:16]}"', "last_modified": latest}

    @staticmethod
    def start_of_data():
        _number, changed_at = DataVersion.objects.current()
        moment = changed_at or datetime.datetime(2023, 11, 17, tzinfo=datetime.UTC)
        return int(moment.timestamp())

    @staticmethod
    def address(request):
        # The host too: pages carry absolute links (canonical, hreflang). get_host() also
        # refuses a host outside ALLOWED_HOSTS before anything is served from the cache.
        url = f"{request.scheme}://{request.get_host()}{request.path}?{canonical_query(request)}"
        return hashlib.sha256(url.encode()).hexdigest()

    @staticmethod
    def is_shareable(response):
        return (
            response.status_code in CACHED_STATUSES
            and not response.cookies
            and "Cookie" not in response.get("Vary", "")
            and "private" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def compress(response):
        if response.has_header("Content-Encoding") or len(response.content) < 200:
            return
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return
        response.content = gzip.compress(response.content, compresslevel=6, mtime=0)
        response["Content-Encoding"] = "gzip"
        response["Content-Length"] = str(len(response.content))

    @staticmethod
    def freeze(response):
        headers = {
            name: response[name]
            for name in (*KEPT_HEADERS, "Content-Encoding")
            if response.has_header(name)
        }
        return response.status_code, headers, response.content

    @staticmethod
    def rebuild(frozen):
        status, headers, content = frozen
        response = HttpResponse(content, status=status)
        for name, value in headers.items():
            response[name] = value
        response["Content-Length"] = str(len(content))
        return response

    def finish(self, response, keys, etag, last_modified):
        response["ETag"] = etag
        response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = f"public, max-age={self.max_age}"
        # For a proxy in front (Varnish's xkey, Fastly's Surrogate-Key): what to purge.
        response["xkey"] = response["Surrogate-Key"] = " ".join(keys)
        patch_vary_headers(response, ("Accept-Encoding",))
        return response
