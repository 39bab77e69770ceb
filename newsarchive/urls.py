from django.contrib import admin
from django.urls import include, path

from .article import ArticleView
from .home import HomeView
from .search import SearchView

urlpatterns = [
    path("", HomeView.as_view(), name="home"),
    path("events/", include("events.urls")),
    path("", include("people.urls")),
    path("search/", SearchView.as_view(), name="search"),
    path("article/", ArticleView.as_view(), name="article"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

handler404 = "newsarchive.errors.page_not_found"
handler500 = "newsarchive.errors.server_error"
