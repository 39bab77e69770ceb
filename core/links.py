"""Links to a slug's page without running the URL resolver for each one.

A list page links a few hundred events and actors; `reverse()` costs tens of microseconds
each. The pattern of a view's URL is reversed once per language and script prefix, then the
slug (URL-safe by construction) is put in place.
"""

import functools

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

PLACEHOLDER = "slugplaceholder0"


@functools.lru_cache(maxsize=128)
def _pattern(viewname, language, script_prefix):
    return reverse(viewname, kwargs={"slug": PLACEHOLDER})


def slug_url(viewname, slug):
    return _pattern(viewname, get_language(), get_script_prefix()).replace(PLACEHOLDER, slug, 1)
