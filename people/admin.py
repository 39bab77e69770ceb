import reversion
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_lists import AutocompleteFilter, LoadedChoicesAdmin
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


class RoleInline(LoadedChoicesAdmin, admin.TabularInline):
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

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()


@admin.register(Actor)
class ActorAdmin(LockedVersionAdmin):
    list_display = ["name", "kind", "organisation_kind", "parent", "alias_names"]
    list_filter = ["kind", "organisation_kind"]
    # Folded (core.admin_lists): the name, the slug, the aliases.
    search_fields = ["name_key", "slug", "aliases__name_key"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
    inlines = [AliasInline, RoleInline]
    fields = ["name", "slug", "kind", "description", ("organisation_kind", "parent")]

    def get_queryset(self, request):
        return super().get_queryset(request).for_list()

    @admin.display(description=_("alias"))
    def alias_names(self, actor):
        return ", ".join(alias.name for alias in actor.aliases.all())


class OrganisationListFilter(AutocompleteFilter):
    """Roles in an organisation, chosen by name in an autocomplete box."""

    title = _("organisation")
    parameter_name = "organisation"
    field = Role._meta.get_field("organisation")

    def queryset(self, request, queryset):
        return queryset.filter(organisation=self.value()) if self.value() else queryset


@admin.register(Role)
class RoleAdmin(LockedVersionAdmin):
    list_display = ["person", "title", "organisation", "is_interim", "start", "end"]
    list_filter = ["is_interim", "is_sole", OrganisationListFilter]
    list_select_related = ["person", "organisation"]
    search_fields = ["search_text", "person__name_key", "organisation__name_key"]
    autocomplete_fields = ["person", "organisation"]

    @property
    def media(self):
        field = OrganisationListFilter.field
        return super().media + OrganisationListFilter.media(field, self.admin_site)

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
