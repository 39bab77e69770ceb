"""A NUL character where the database would see it is a 400, before any view runs.

PostgreSQL refuses text that holds a NUL (a DataError, so a 500). The admin passes query-string
values to queries as they come (changelist filters, searches, autocomplete terms), so on its
pages a NUL in the query string or a submitted form is refused here. The public pages read their
parameters through forms, which already answer a NUL with a form error (or ignore an unknown
parameter), so they keep doing that. A NUL in the path or a cookie (the session key is a query)
is refused everywhere: no browser sends one.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def holds_nul(data):
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


def refuse():
    # Answered by the project's 400 page (handler400), like any other bad request.
    raise BadRequest("NUL character in the request")


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if NUL in request.path or any(
            NUL in name or NUL in value for name, value in request.COOKIES.items()
        ):
            refuse()
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if "admin" not in request.resolver_match.app_names:
            return None
        if holds_nul(request.GET) or (
            request.content_type in FORM_CONTENT_TYPES and holds_nul(request.POST)
        ):
            refuse()
        return None
