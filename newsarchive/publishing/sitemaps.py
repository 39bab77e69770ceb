"""`/sitemap.xml` (an index of sections) and `/robots.txt`.

Every canonical page in both languages, each with its `hreflang` alternates (Django's
sitemaps framework, `i18n = True`). Sections are paged, so no sitemap page grows with the
archive; filter, search and `?at=` variants are not listed (they say `noindex`). A source document's
pages are each listed: `?page=2` holds passages 41–80, a part of the document, not a variant.
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse

from core.links import slug_url
from events.models import Article, Event
from events.models.provenance import passage_page
from people.models import Actor

# Each URL is written with its alternates: a page of 250 items is 500 <url> entries.
PAGE_LIMIT = 250


class LanguagePairs:
    """(item, language) for every item and language, read a page at a time: Django's i18n
    sitemap builds this list whole, which would read every event for each page."""

    def __init__(self, items, languages):
        self.items, self.languages = items, languages

    def count(self):
        items = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
        return items * len(self.languages)

    def __len__(self):
        return self.count()

    def __getitem__(self, key):
        n = len(self.languages)
        start, stop = key.start or 0, key.stop
        items = self.items[start // n : -(-stop // n)] if stop is not None else self.items
        pairs = [(item, code) for item in items for code in self.languages]
        offset = start - (start // n) * n
        return pairs[offset : offset + (stop - start)] if stop is not None else pairs[offset:]


class ArchiveSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True
    limit = PAGE_LIMIT
    protocol = None  # the request's

    def _items(self):
        languages = [code for code, _name in (self.languages or settings.LANGUAGES)]
        return LanguagePairs(self.items(), languages)


class PagesSitemap(ArchiveSitemap):
    priority = 1.0

    def items(self):
        return [
            "home",
            "events:event_list",
            "people:person_list",
            "people:organisation_list",
            "sources:source_list",
            "quotes",
            "network",
            "disputes",
            "changes",
        ]

    def location(self, name):
        return reverse(name)


class EventsSitemap(ArchiveSitemap):
    def items(self):
        return Event.objects.only("slug").order_by("occurred_at", "slug")

    def location(self, event):
        return event.get_absolute_url()


class ActorsSitemap(ArchiveSitemap):
    def items(self):
        return Actor.objects.only("slug", "kind").order_by("slug")

    def location(self, actor):
        return actor.get_absolute_url()


class SourcesSitemap(ArchiveSitemap):
    """Every page of each source document: (slug, page number), from one query that reads
    each document's last passage number on the (article, number) index."""

    def items(self):
        documents = Article.objects.for_reading().order_by("pk").values_list("slug", "last_number")
        return [
            (slug, page)
            for slug, last_number in documents
            for page in range(1, passage_page(last_number or 1) + 1)
        ]

    def location(self, item):
        slug, page = item
        url = slug_url("sources:source_detail", slug)
        return f"{url}?page={page}" if page > 1 else url


SITEMAPS = {
    "pages": PagesSitemap,
    "sources": SourcesSitemap,
    "events": EventsSitemap,
    "actors": ActorsSitemap,
}


def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("publishing:sitemap"))
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /search/",
        "Disallow: /en/search/",
        "Disallow: /search.json",
        f"Sitemap: {sitemap}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
