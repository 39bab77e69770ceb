"""The admin site: every ModelAdmin registered on it, ours and those of the apps we install
(auth, django-axes), reads its query string through `QueryStringInputAdmin`, so a value that
does not parse or overflows never ends in a server error."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig

from core.admin_input import QueryStringInputAdmin


class ArchiveAdminSite(admin.AdminSite):
    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, QueryStringInputAdmin):
            admin_class = type(
                admin_class.__name__,
                (QueryStringInputAdmin, admin_class),
                {"__module__": admin_class.__module__, "__qualname__": admin_class.__qualname__},
            )
        super().register(model_or_iterable, admin_class, **options)


class ArchiveAdminConfig(AdminConfig):
    # `admin.site` is then an ArchiveAdminSite: `@admin.register` and admin.site.urls as usual.
    default_site = "newsarchive.admin_site.ArchiveAdminSite"
