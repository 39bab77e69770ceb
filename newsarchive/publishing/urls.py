"""What the archive publishes beside its pages: data, feeds, discovery files, share card.

No language prefix: the data is the archive's, in the article's French, the same for every
reader and cache (docs/data.md describes its shapes).
"""

from django.contrib.sitemaps import views as sitemap_views
from django.urls import path

from . import cards, changes, exports, feeds, sitemaps

app_name = "publishing"

# The feeds in each edition (`feeds:events`, `feeds:changes`), included under the language
# prefixes by newsarchive.urls: `/en/feeds/events.atom` in English. In French they reverse to
# `/feeds/events.atom` and `/feeds/changes.atom`, which `publishing:events_feed` and
# `publishing:changes_feed` below serve as they always have.
feed_patterns = (
    [
        path("events.atom", feeds.EventsFeed(), name="events"),
        path("changes.atom", changes.ChangesFeed(), name="changes"),
    ],
    "feeds",
)

urlpatterns = [
    path("events.json", exports.EventListData.as_view(), name="events_json"),
    path("events.csv", exports.EventListCSV.as_view(), name="events_csv"),
    path("events/<slug:slug>.json", exports.EventData.as_view(), name="event_json"),
    path("people/<slug:slug>.json", exports.PersonData.as_view(), name="person_json"),
    path(
        "organisations/<slug:slug>.json",
        exports.OrganisationData.as_view(),
        name="organisation_json",
    ),
    path("sources.json", exports.SourceListData.as_view(), name="sources_json"),
    path("sources.csv", exports.SourceListCSV.as_view(), name="sources_csv"),
    path("search.json", exports.SearchData.as_view(), name="search_json"),
    path("feeds/events.atom", feeds.EventsFeed(), name="events_feed"),
    path("changes.json", changes.ChangeListData.as_view(), name="changes_json"),
    path("feeds/changes.atom", changes.ChangesFeed(), name="changes_feed"),
    path(
        "sitemap.xml",
        sitemap_views.index,
        {"sitemaps": sitemaps.SITEMAPS, "sitemap_url_name": "publishing:sitemap_section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemap_views.sitemap,
        {"sitemaps": sitemaps.SITEMAPS},
        name="sitemap_section",
    ),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("card.png", cards.card_png, name="card"),
    path("favicon.ico", cards.favicon_ico, name="favicon"),
]
