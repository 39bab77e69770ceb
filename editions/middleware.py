"""English pages get their translations without the views importing this app.

A view declares which of its context names carry translatable records
(`translated_context = ("object_list", "active_actors")`, dotted for a value inside another:
"facets.actor") and which carry actor facet rows (`translated_rows`). Before the template
renders, the records under those names alone are handed to `attach`: one query on an English
page, none in French. Only the declared names: scanning the whole context would evaluate
paginators and querysets the template never shows.
"""

from .pages import attach


def lookup(context, name):
    value = context
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else getattr(value, part, None)
        if value is None:
            return None
    return value


class TranslationsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        view = getattr(view_func, "view_class", view_func)
        request.translated_context = getattr(view, "translated_context", ())
        request.translated_rows = getattr(view, "translated_rows", ())

    def process_template_response(self, request, response):
        names = getattr(request, "translated_context", ())
        row_names = getattr(request, "translated_rows", ())
        context = response.context_data
        if context is not None and (names or row_names):
            rows = [row for name in row_names for row in lookup(context, name) or ()]
            attach(*(lookup(context, name) for name in names), actor_rows=rows)
        return response
