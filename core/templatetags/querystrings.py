"""Links within a list that keep its filters (pagination, "first page")."""

from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def query_transform(context, **changes):
    """The current query string with some parameters set (or removed, given None or "").

    Pagination links use it so that they keep the active filters.
    """
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()
