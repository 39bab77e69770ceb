from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("events/", include("events.urls")),
    path("", include("people.urls")),
    path("search/", views.SearchView.as_view(), name="search"),
    path("article/", views.ArticleView.as_view(), name="article"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
