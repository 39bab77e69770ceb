"""The events list's query strings: a facet value as a link that adds or removes its filter."""

from django.utils.http import urlencode


def toggled(params, key, value, multiple=False):
    """`params` (a QueryDict) with `key=value` added, or removed if present; back to page 1.

    A facet value is such a link (like Datasette's): clicking it again removes the filter.
    `multiple` keeps the other values of a repeatable parameter (actor). Works on a list of
    pairs: a facet list builds dozens of these per page.
    """
    value = str(value)
    pairs = [(k, v) for k, vs in params.lists() if k != "page" for v in vs] if params else []
    present = (key, value) in pairs
    if present:
        pairs.remove((key, value))
    else:
        if not multiple:
            pairs = [(k, v) for k, v in pairs if k != key]
        pairs.append((key, value))
    if key == "actor" and sum(1 for k, _ in pairs if k == "actor") < 2:
        pairs = [(k, v) for k, v in pairs if k != "match"]
    return "?" + urlencode(pairs) if pairs else "?"
