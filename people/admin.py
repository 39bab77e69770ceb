import reversion
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_locking import LockedVersionAdmin

from .models import Actor, Alias, Role

# An actor's history holds its aliases and roles; editing one of them makes the actor's open
# forms stale, so an alias fixed in one tab is not silently undone from another.
if not reversion.is_registered(Actor):
    reversion.register(Alias, follow=["actor"])
    reversion.register(Role, follow=["person"])
    reversion.register(Actor, follow=["aliases", "roles"])


class AliasInline(admin.TabularInline):
    model = Alias
    extra = 1


class RoleInline(admin.TabularInline):
    model = Role
    fk_name = "person"
    extra = 0
    fields = [
        "slug",
        "organisation",
        "title",
        "is_sole",
        "is_interim",
        "start",
        "start_precision",
        "end",
        "end_precision",
    ]
    autocomplete_fields = ["organisation"]
    show_change_link = True


@admin.register(Actor)
class ActorAdmin(LockedVersionAdmin):
    list_display = ["name", "kind", "organisation_kind", "parent", "alias_names"]
    list_filter = ["kind", "organisation_kind"]
    search_fields = ["name", "slug", "aliases__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [AliasInline, RoleInline]
    fields = ["name", "slug", "kind", "description", ("organisation_kind", "parent")]

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description=_("alias"))
    def alias_names(self, actor):
        return ", ".join(alias.name for alias in actor.aliases.all())


@admin.register(Role)
class RoleAdmin(LockedVersionAdmin):
    list_display = ["person", "title", "organisation", "is_interim", "start", "end"]
    list_filter = ["is_interim", "is_sole", ("organisation", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["person", "organisation"]
    search_fields = ["title", "person__name", "organisation__name"]
    autocomplete_fields = ["person", "organisation"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "slug",
                    "person",
                    "organisation",
                    "title",
                    ("is_sole", "is_interim", "is_former"),
                ]
            },
        ),
        (
            _("Période"),
            {"fields": [("start", "start_precision"), ("end", "end_precision"), "note"]},
        ),
    ]
