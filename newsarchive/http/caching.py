"""HTTP caching of the public pages, never stale.

Every public page depends only on its URL (the language is in the path) and on the archive's
data, whose version every write moves forward (newsarchive.models.DataVersion). So:

- each response carries an `ETag` and a `Last-Modified` taken from that version (and the
  code release), with `Cache-Control: public, max-age=PUBLIC_MAX_AGE`; a conditional GET
  whose validator is current gets a 304 before any view runs;
- a full-response cache (Django's cache framework: local memory per process by default,
  Redis from REDIS_URL to share it) is keyed on the release, the data version, the path and
  the canonical query string, so a save makes every older entry unreachable at once: the
  next request after a save renders afresh, on every worker and machine;
- HTML and JSON are gzip-compressed once, when stored, for clients that accept it.

Editors (a session cookie) and everything that is not a public GET bypass all of this.
"""

import gzip
import hashlib
from pathlib import Path

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from newsarchive.models import DataVersion

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


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.release = release_id()
        self.max_age = settings.ARCHIVE_MAX_AGE
        self.enabled = settings.ARCHIVE_PAGE_CACHE
        self.cache = caches[settings.ARCHIVE_PAGE_CACHE_ALIAS]

    def is_public(self, request):
        return (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(NOT_PUBLIC)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )

    def __call__(self, request):
        if not self.is_public(request):
            return self.get_response(request)
        number, changed_at = DataVersion.objects.current()
        # The time as well as the number: a database restored from an older backup goes back
        # to numbers already used, never to the same instants.
        version = f"{number}.{int(changed_at.timestamp() * 1e6) if changed_at else 0}"
        gzipped = accepts_gzip(request)
        address = self.address(request)  # first: it checks the host
        # Per address: a client holds a page's ETag only from that page's 200, and while the
        # version stays the same, that page is still the same 200 (never a 304 for a 404).
        etag = f'W/"{self.release}-{version}-{address[:16]}"'
        last_modified = int(changed_at.timestamp()) if changed_at else None
        not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if not_modified is not None:
            return self.finish(not_modified, etag, last_modified)
        key = f"page:{self.release}:{version}:{'gz' if gzipped else 'id'}:{address}"
        if self.enabled:
            cached = self.cache.get(key)
            if cached is not None:
                response = self.rebuild(cached)
                response["X-Cache"] = "hit"  # for operators: was this page rendered?
                return self.finish(response, etag, last_modified)
        response = self.get_response(request)
        if not self.cacheable(response):
            return response
        if gzipped:
            self.compress(response)
        if self.enabled:
            self.cache.set(key, self.freeze(response), settings.ARCHIVE_PAGE_CACHE_TIMEOUT)
            response["X-Cache"] = "miss"
        return self.finish(response, etag, last_modified)

    @staticmethod
    def address(request):
        # The host too: pages carry absolute links (canonical, hreflang). get_host() also
        # refuses a host outside ALLOWED_HOSTS before anything is served from the cache.
        url = f"{request.scheme}://{request.get_host()}{request.path}?{canonical_query(request)}"
        return hashlib.sha256(url.encode()).hexdigest()

    @staticmethod
    def cacheable(response):
        return (
            response.status_code in CACHED_STATUSES
            and not response.streaming
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

    def finish(self, response, etag, last_modified):
        response["ETag"] = etag
        if last_modified is not None:
            response["Last-Modified"] = http_date(last_modified)
        response["Cache-Control"] = f"public, max-age={self.max_age}"
        patch_vary_headers(response, ("Accept-Encoding",))
        return response
