"""Requests carrying a NUL character are refused with a 400 before any view runs.

No page has a use for one, and PostgreSQL refuses text that holds one: a NUL in a filter, a
search, an admin lookup or an autocomplete term would end in a DataError (a 500) wherever a view
passes the value to a query. One check here covers every view, those to come included.
"""

from django.core.exceptions import BadRequest

NUL = "\x00"
FORM_CONTENT_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")


def holds_nul(data):
    return any(NUL in key or any(NUL in value for value in values) for key, values in data.lists())


class RejectNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            NUL in request.path
            or holds_nul(request.GET)
            or any(NUL in name or NUL in value for name, value in request.COOKIES.items())
            or (request.content_type in FORM_CONTENT_TYPES and holds_nul(request.POST))
        ):
            # Answered by the project's 400 page (handler400), like any other bad request.
            raise BadRequest("NUL character in the request")
        return self.get_response(request)
