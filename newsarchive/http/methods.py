"""405 Method Not Allowed, styled, with its Allow header.

A POST (PUT, DELETE…) to a public page used to meet the CSRF check first and get Django's
English 403 page, whose inline styles the CSP blocks. The page does not take that method:
the honest answer is 405, given here before CsrfViewMiddleware looks at the request (so this
middleware sits above it in MIDDLEWARE).

A class-based view takes the methods it has handlers for. Everything else outside the admin
and the language switch (feeds, sitemap, robots.txt, the share card: function views that
would answer any method) is read-only: GET and HEAD.
"""

from django.http import HttpResponseNotAllowed

from newsarchive.http.errors import method_not_allowed
from newsarchive.http.language import ADMIN_PREFIX

# Function views there take forms (the admin's, set_language): they keep every method.
FORMS_PREFIXES = (ADMIN_PREFIX, "/i18n/")
READ_ONLY = ["GET", "HEAD"]


def allowed_methods(view_class):
    # What View.dispatch would accept: a handler method, and HEAD wherever GET is.
    names = view_class.http_method_names
    return [
        name.upper()
        for name in names
        if hasattr(view_class, name) or (name == "head" and hasattr(view_class, "get"))
    ]


class MethodNotAllowedMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if isinstance(response, HttpResponseNotAllowed):
            # A function view's require_http_methods answers 405 with an empty body.
            allowed = [method.strip() for method in response["Allow"].split(",")]
            return method_not_allowed(request, allowed)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        view_class = getattr(view_func, "view_class", None)
        if view_class is not None:
            allowed = allowed_methods(view_class)
        elif request.path_info.startswith(FORMS_PREFIXES):
            return None
        else:
            allowed = READ_ONLY
        if request.method in allowed:
            return None
        return method_not_allowed(request, allowed)
