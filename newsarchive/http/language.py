"""The language of a public page is in its URL: French at `/…`, English under `/en/…`."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The admin is not under i18n_patterns: editors keep the language their browser asks for.
ADMIN_PREFIX = "/admin/"


class LanguageFromPathMiddleware:
    """Takes the place of Django's LocaleMiddleware.

    One language per URL is what lets a public page be cached, shared and indexed: so the
    language cookie and Accept-Language are never read there, and the response does not vary
    on them. (Django's LocaleMiddleware would add `Vary: Accept-Language` to every French page,
    and, with prefix_default_language=False, would pin the admin to French.)

    A missing trailing slash (`/en/events`, `/en`) is left to CommonMiddleware, which sees the
    language already active and redirects to the page that exists.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin = request.path_info.startswith(ADMIN_PREFIX)
        if admin:
            language = translation.get_language_from_request(request)
        else:
            # A path without a prefix is French, whatever the browser says.
            language = (
                translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE
            )
        # Scoped to this request: an English page must not leave English active for whatever
        # runs next in the thread (a URL reversed by a test, a management command).
        with translation.override(language):
            request.LANGUAGE_CODE = translation.get_language()
            response = self.get_response(request)
            if admin:
                patch_vary_headers(response, ("Accept-Language", "Cookie"))
            response.headers.setdefault("Content-Language", translation.get_language())
        return response
