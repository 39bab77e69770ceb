"""What a page says about itself to search engines, feed readers and share previews:
its canonical address, whether to index it, its data and feed alternates, JSON-LD."""

import json

from django import template
from django.conf import settings
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext

from core.dates import local
from editions.pages import text_of, translates

register = template.Library()

# Views whose every address is a variant of another page (results of a query).
NOINDEX_VIEWS = {"search"}
JSON_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The rendered content of block `name` once more (the description, reused by og:)."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    block = blocks.get_block(name) if blocks else None
    return block.nodelist.render(context).strip() if block else ""


@register.simple_tag(takes_context=True)
def page_address(context):
    """{"canonical": absolute URL, "noindex": bool} for the current page.

    A page's canonical address is its path without query: filters, pages of a list, search
    results and `?at=` moments are variants, kept out of indexes (`noindex, follow`). A
    source document's `?page=N` (N > 1) is the exception: a part of the document."""
    request = context.get("request")
    if request is None:
        return {"canonical": "", "noindex": True}
    match = getattr(request, "resolver_match", None)
    view = match.view_name if match else ""
    page = source_page(context, view)
    if page:
        # A source document's later pages are parts of it (passages 41–80…), not variants.
        return {
            "canonical": request.build_absolute_uri(f"{request.path}?page={page}"),
            "noindex": False,
        }
    return {
        "canonical": request.build_absolute_uri(request.path),
        "noindex": bool(request.GET) or view in NOINDEX_VIEWS or match is None,
    }


def source_page(context, view):
    """The number of a source document's page past the first, asked for as `?page=N` alone
    and existing; else None."""
    page = context.get("page_obj")
    if view != "sources:source_detail" or page is None or page.number < 2:
        return None
    query = context["request"].GET
    return page.number if list(query) == ["page"] and query["page"] == str(page.number) else None


@register.simple_tag(takes_context=True)
def site_url(context, viewname, *args):
    return context["request"].build_absolute_uri(reverse(viewname, args=args))


def json_ld(data):
    text = json.dumps({"@context": "https://schema.org", **data}, ensure_ascii=False, indent=1)
    return format_html(
        '<script type="application/ld+json">{}</script>', mark_safe(text.translate(JSON_ESCAPES))
    )


def page_language():
    """Structured data speaks the page's language (text_of: the translations the page shows)."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0]


def actor_thing(request, actor):
    return {
        "@type": "Person" if actor.is_person else "Organization",
        "name": text_of(actor, "name"),
        "url": request.build_absolute_uri(actor.get_absolute_url()),
    }


@register.simple_tag(takes_context=True)
def event_json_ld(context, event):
    request = context["request"]
    return json_ld(
        {
            "@type": "Event",
            "name": text_of(event, "title"),
            "description": text_of(event, "summary"),
            "startDate": local(event.occurred_at).isoformat(),
            "url": request.build_absolute_uri(event.get_absolute_url()),
            "inLanguage": page_language(),
            "about": [actor_thing(request, p.actor) for p in event.participations.all()],
        }
    )


@register.simple_tag(takes_context=True)
def actor_json_ld(context, actor):
    request = context["request"]
    data = {
        **actor_thing(request, actor),
        "description": text_of(actor, "description"),
        "alternateName": [alias.name for alias in actor.aliases.all()],
    }
    if not actor.is_person and actor.parent_id:
        data["parentOrganization"] = actor_thing(request, actor.parent)
    return json_ld(data)


@register.simple_tag(takes_context=True)
def article_json_ld(context, article):
    request = context["request"]
    # The article stays French (headline, inLanguage); what is said about it is in the page's
    # language: its note has no English, so an English page gives its own description.
    return json_ld(
        {
            "@type": "NewsArticle",
            "headline": article.title,
            "inLanguage": article.language,
            "url": request.build_absolute_uri(article.get_absolute_url()),
            "description": block_text(context, "description") if translates() else article.note,
            "about": {"@type": "Event", "name": gettext("Crise à OpenAI, 16–20 novembre 2023")},
        }
    )


@register.simple_tag
def og_locale():
    return {"fr": "fr_FR", "en": "en_US"}.get(get_language(), "fr_FR")


FILTER_KEYS = ("actor", "match", "day", "kind", "q", "sort")


@register.simple_tag(takes_context=True)
def page_data(context):
    """This page's data and feed, {"json", "csv", "feed"} (each optional), or {}."""
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None:
        return {}
    view, kwargs = match.view_name, match.kwargs
    if view in ("home", "events:event_list"):
        query = request.GET.copy()
        for key in list(query):
            if key not in FILTER_KEYS:
                del query[key]
        suffix = f"?{query.urlencode()}" if query else ""
        return {
            "json": reverse("publishing:events_json") + suffix,
            "csv": reverse("publishing:events_csv") + suffix,
            # The feed of the page's edition: `/en/feeds/events.atom` on English pages.
            "feed": reverse("feeds:events") + suffix.replace("sort=asc", "sort=desc"),
        }
    if view == "events:event_detail":
        return {"json": reverse("publishing:event_json", kwargs=kwargs)}
    if view in ("people:person_detail", "people:organisation_detail"):
        name = "person_json" if view == "people:person_detail" else "organisation_json"
        feed = reverse("feeds:events") + f"?actor={kwargs['slug']}"
        return {"json": reverse(f"publishing:{name}", kwargs=kwargs), "feed": feed}
    if view == "sources:source_list":
        return {
            "json": reverse("publishing:sources_json"),
            "csv": reverse("publishing:sources_csv"),
        }
    if view == "changes":
        query = request.GET.copy()
        for key in list(query):
            if key not in ("event", "actor"):
                del query[key]
        suffix = f"?{query.urlencode()}" if query else ""
        return {
            "json": reverse("publishing:changes_json") + suffix,
            # The feed of the page's edition: `/en/feeds/changes.atom` on English pages.
            "feed": reverse("feeds:changes") + suffix,
        }
    if view == "search" and request.GET.get("q"):
        query = request.GET.copy()
        for key in list(query):
            if key != "q":
                del query[key]
        return {"json": f"{reverse('publishing:search_json')}?{query.urlencode()}"}
    return {}
