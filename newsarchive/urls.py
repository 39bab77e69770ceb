from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from events.views import DisputeListView

from .http.health import HealthView
from .pages.article import ArticleView
from .pages.changes import ChangeListView
from .pages.home import HomeView
from .pages.network import NetworkView
from .pages.quotes import QuoteListView
from .pages.search import SearchView
from .pages.sources import SourceDetailView, SourceListView
from .publishing.urls import feed_patterns

# The documents the archive is built from, each read passage by passage (newsarchive.pages).
source_patterns = (
    [
        path("", SourceListView.as_view(), name="source_list"),
        path("<slug:slug>/", SourceDetailView.as_view(), name="source_detail"),
    ],
    "sources",
)

urlpatterns = [
    # Editors' language follows their browser (see newsarchive.http.language).
    path("admin/", admin.site.urls),
    # Nothing links to set_language any more; old pages' POSTs still land somewhere.
    path("i18n/", include("django.conf.urls.i18n")),
    # Data, feeds, sitemap, robots.txt, share card: one address whatever the language.
    path("", include("newsarchive.publishing.urls")),
    # For load balancers: 200 when the database answers and is migrated, else 503.
    path("healthz", HealthView.as_view(), name="healthz"),
]

# French at /…, English under /en/…: one language per URL, so pages cache, share and index.
urlpatterns += i18n_patterns(
    path("", HomeView.as_view(), name="home"),
    path("events/", include("events.urls")),
    path("", include("people.urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("sources/", include(source_patterns)),
    # The one article's old address: a 301 to the first source document (`?passage=N` too).
    path("article/", ArticleView.as_view(), name="article"),
    # Accounts and figures that disagree, side by side (events.models).
    path("disputes/", DisputeListView.as_view(), name="disputes"),
    # Every quotation, filterable by speaker and day; who appears with whom (newsarchive.pages).
    path("quotes/", QuoteListView.as_view(), name="quotes"),
    path("network/", NetworkView.as_view(), name="network"),
    # The events' Atom feed in the page's language (`/en/feeds/events.atom`).
    path("feeds/", include(feed_patterns)),
    # Every change since the story was loaded, and why (newsarchive.history).
    path("changes/", ChangeListView.as_view(), name="changes"),
    prefix_default_language=False,
)

handler400 = "newsarchive.http.errors.bad_request"
handler403 = "newsarchive.http.errors.permission_denied"
handler404 = "newsarchive.http.errors.page_not_found"
handler500 = "newsarchive.http.errors.server_error"
