"""The current page in each of the site's languages: the language switch and hreflang links."""

from django import template
from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.encoding import iri_to_uri

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_languages(context):
    """{language code: this page's path and query string in that language}, or {}.

    Empty for a page that has one address whatever the language (the admin, outside
    i18n_patterns) and for a path that matched no URL: there is no other version to offer.
    """
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    urls = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            try:
                urls[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
            except NoReverseMatch:
                return {}
    if len(set(urls.values())) < len(urls):
        return {}
    # The same filters, page and search in the other language.
    query = iri_to_uri(request.META.get("QUERY_STRING", ""))
    return {code: f"{url}?{query}" if query else url for code, url in urls.items()}


@register.simple_tag(takes_context=True)
def absolute_uri(context, location):
    """hreflang alternates must be absolute URLs."""
    return context["request"].build_absolute_uri(location)


@register.filter
def language_name(code):
    """« français », « anglais » (in the page's language) for a language code; the code itself
    for one Django does not know (an editor's typo is shown, never an error)."""
    try:
        name = str(translation.get_language_info(str(code))["name_translated"])
    except KeyError:
        return code
    # French writes language names in lower case; Django's catalogue capitalises them.
    french = (translation.get_language() or "fr").startswith("fr")
    return name[:1].lower() + name[1:] if french else name
