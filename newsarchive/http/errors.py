"""Error pages: styled like the site, in the page's language, within the CSP.

Django calls these as handler400/403/404/500 and CSRF_FAILURE_VIEW; the 405 and 503 pages come
from newsarchive.http.methods and newsarchive.http.faults. Each one renders from the request
alone: no database read (the database may be the fault) and, for a refused Host header, no
host either.
"""

import copy
import sys

from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.http import HttpResponse
from django.template import loader
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from newsarchive.database import faults
from newsarchive.http.language import ADMIN_PREFIX


def language_for(request):
    """The language LanguageFromPathMiddleware would pick: an error may happen before it ran
    (a refused host, the page cache's database read), so the page picks it again."""
    path = getattr(request, "path_info", "") or "/"
    if path.startswith(ADMIN_PREFIX):
        return translation.get_language_from_request(request)
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def render_error(request, template_name, status, context=None):
    language = language_for(request)
    with translation.override(language):
        body = loader.render_to_string(template_name, context or {}, request)
    response = HttpResponse(body, status=status)
    response["Content-Language"] = language
    return response


def without_host(request):
    """A copy of the request whose Host is one we serve: the page's links (canonical,
    hreflang) must not ask the refused host again, which would raise DisallowedHost anew."""
    hosts = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host.strip(".*")]
    safe = copy.copy(request)
    safe.META = {**request.META, "HTTP_HOST": hosts[0] if hosts else "localhost"}
    safe.META.pop("HTTP_X_FORWARDED_HOST", None)
    return safe


def bad_request(request, exception):
    if isinstance(exception, DisallowedHost):
        request = without_host(request)
    return render_error(request, "400.html", 400)


def permission_denied(request, exception):
    return render_error(request, "403.html", 403)


def csrf_failure(request, reason=""):
    # Most often an old form or cookies turned off: say so, never Django's English page.
    return render_error(request, "403.html", 403, {"csrf_failure": True})


def page_not_found(request, exception):
    return render_error(request, "404.html", 404)


def method_not_allowed(request, allowed_methods):
    response = render_error(
        request, "405.html", 405, {"method": request.method, "allowed": allowed_methods}
    )
    response["Allow"] = ", ".join(allowed_methods)
    return response


def service_unavailable(request):
    response = render_error(request, "503.html", 503)
    response["Retry-After"] = str(faults.RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def server_error(request):
    # Django calls handler500 inside its `except` around the failing middleware or view, so the
    # exception is still at hand: a database that is down or read-only is a 503, not a bug.
    exception = sys.exc_info()[1]
    if exception is not None and faults.is_database_fault(exception):
        faults.record(exception)
        return service_unavailable(request)
    # A plain page with nothing to render: whatever failed may fail again in a template.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
