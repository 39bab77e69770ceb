"""What every admin list does at any size: searched as the public search reads, paged without
counting twice, and its related pickers rendered from rows already loaded.

Search. `search_fields` name folded columns (stored by core.derived: `name_key`,
`search_text`), and each word of the query, folded by `core.text.search_terms`, must be found
in one of them (`__contains`, the comparison /search/ makes on the same columns): « démission »,
« DÉMISSION » and « demission » find the same rows, on SQLite as on PostgreSQL, where Django's
`icontains` folds no accents. A path across a to-many relation (an actor's aliases) is a
subquery, so no row is listed twice and the list needs no DISTINCT; it starts from the far
end (the actors whose name matches, then their participations' events: `related_rows`). An
admin may match a path its own way (`folded_lookup`): events read their full-text index.

Counts. The changelist counts the filtered rows once for its pages; the second count, of every
row, is left out (`show_full_result_count`), and so are the counts by each filter's values
(`show_facets`). A list whose search can match most of a large table (events: an actor's name)
sets `search_count_bound`: a search then reads the ids of its first matches in list order,
once, and counts and pages from them, saying « plus de 1000 » past the bound
(`SearchPaginator`). Filters on a related row choose it in an autocomplete box
(`AutocompleteFilter`), never from a link per row.

Pickers. An autocomplete widget renders the option it holds by reading it from the database,
one query per widget: an event with twenty participants made forty. `LoadedChoicesAdmin` (for
a ModelAdmin or an inline) hands the widgets the rows the form's instance already holds.
"""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import get_fields_from_path, lookup_spawns_duplicates
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.paginator import Paginator
from django.db.models import Case, Q, Value, When
from django.db.models.constants import LOOKUP_SEP
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .text import search_terms

LIST_PER_PAGE = 50


class LoadedChoicesForm(forms.ModelForm):
    """A form whose autocomplete widgets read the rows its instance already holds: joined
    (`select_related`) foreign keys and prefetched many-to-many fields."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = self.instance
        for name, field in self.fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, LoadedChoicesMixin):
                continue
            model_field = instance._meta.get_field(name)
            if model_field.many_to_many:
                rows = getattr(instance, "_prefetched_objects_cache", {}).get(name)
                if instance.pk is None:
                    rows = []
            elif model_field.is_cached(instance):
                rows = [model_field.get_cached_value(instance)]
            else:
                rows = None
            if rows is not None:
                widget.loaded = {str(row.pk): row for row in rows if row is not None}


class LoadedChoicesAdmin:
    """For a ModelAdmin or an inline: its autocomplete widgets know the rows its form's
    instance holds (an inline's `get_queryset` joins and prefetches them)."""

    form = LoadedChoicesForm

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = LoadedAutocompleteSelectMultiple(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class FoldedSearchAdmin(LoadedChoicesAdmin):
    show_full_result_count = False
    # A count beside every filter's every value is a scan per value: not offered.
    show_facets = admin.ShowFacets.NEVER
    list_per_page = LIST_PER_PAGE
    list_max_show_all = LIST_PER_PAGE * 4
    # For a list whose search may match tens of thousands of rows: None counts them all, a
    # number counts up to it (SearchPaginator) and reads the list in its order until then.
    search_count_bound = None

    def get_search_results(self, request, queryset, search_term):
        condition = Q()
        for term in search_terms(search_term):
            matches = Q()
            for path in self.get_search_fields(request):
                matches |= self.folded_lookup(path, term)
            condition &= matches
        if not condition:
            return queryset, False
        if self.search_count_bound:
            # One condition the database cannot read an index by (a CASE), so it walks the
            # list's ordering index and stops at the bound: SQLite would otherwise gather every
            # match of the first word through its index and sort them all for one page.
            return queryset.filter(
                Case(When(condition, then=Value(True)), default=Value(False))
            ), False
        return queryset.filter(condition), False

    def folded_lookup(self, path, term):
        """The rows whose folded column `path` holds `term`."""
        condition = Q(**{f"{path}__contains": term})
        if lookup_spawns_duplicates(self.opts, path):
            return related_rows(self.model, path, "contains", term)
        return condition

    def get_paginator(self, request, queryset, per_page, orphans=0, allow_empty_first_page=True):
        # The changelist's search box, or an autocomplete box searching this model.
        searched = request.GET.get(SEARCH_VAR) or request.GET.get("term") or ""
        if self.search_count_bound and search_terms(searched):
            rows = self.get_queryset(request)
            if self.list_select_related:
                rows = rows.select_related(
                    *(() if self.list_select_related is True else self.list_select_related)
                )
            return SearchPaginator(
                queryset,
                per_page,
                orphans,
                allow_empty_first_page,
                rows=rows,
                # Past "show all" and one page: the changelist would then list the whole search.
                bound=max(self.search_count_bound, self.list_max_show_all + 1, per_page + 1),
            )
        return super().get_paginator(request, queryset, per_page, orphans, allow_empty_first_page)


def related_rows(model, path, lookup, value):
    """The rows of `model` whose related rows along `path` match `lookup` (`contains`) with
    `value`, as subqueries from the far end: each reads its own table through the relation's
    index, and none joins back to `model` (events → participations → actors was a join over
    every event and its participants). A many-to-many step keeps a subquery over `model`."""
    *relations, column = path.split(LOOKUP_SEP)
    fields = get_fields_from_path(model, LOOKUP_SEP.join(relations))
    if any(field.many_to_many for field in fields):
        matching = model._base_manager.filter(**{f"{path}__{lookup}": value})
        return Q(pk__in=matching.values("pk"))
    rows = fields[-1].related_model._base_manager.filter(**{f"{column}__{lookup}": value})
    for field in reversed(fields):
        if field.concrete:  # this step's foreign key: the rows' ids among its values
            step = Q(**{f"{field.name}__in": rows})
        else:  # a foreign key to this step's model: the ids the rows point to
            key = field.field
            step = Q(**{f"{key.target_field.attname}__in": rows.values(key.attname)})
        rows = field.model._base_manager.filter(step)
    return step


class SearchPaginator(Paginator):
    """Pages a search by reading, once, the ids of its first `bound` + 1 rows in list order
    (the search's one query over the matches): they are the count, up to the bound (past it,
    `bounded`: the list says « plus de … » and offers the pages the bound holds), and each
    page's rows are then read from `rows` (the list's queryset without the search) by id.
    Django's paginator counted every match, then searched again for the page."""

    def __init__(
        self, object_list, per_page, orphans=0, allow_empty_first_page=True, *, rows, bound
    ):
        super().__init__(object_list, per_page, orphans, allow_empty_first_page)
        self.rows = rows
        self.bound = bound

    @cached_property
    def ids(self):
        matches = self.object_list.prefetch_related(None).values_list("pk", flat=True)
        return list(matches[: self.bound + 1])

    @cached_property
    def count(self):
        return min(len(self.ids), self.bound)

    @property
    def bounded(self):
        return len(self.ids) > self.bound

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        ids = self.ids[bottom:top]
        rows = self.rows.filter(pk__in=ids)
        if ids:  # in the list's order, as read
            rows = rows.order_by(Case(*(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids))))
        return self._get_page(rows, number, self)


class LoadedChoicesMixin:
    """Renders its chosen options from `loaded` ({pk: row}) when it holds them all."""

    loaded = None

    def optgroups(self, name, value, attr=None):
        chosen = {str(v) for v in value if str(v) not in self.choices.field.empty_values}
        loaded = self.loaded or {}
        if not chosen <= loaded.keys():
            return super().optgroups(name, value, attr)
        options = []
        if not self.is_required and not self.allow_multiple_selected:
            options.append(self.create_option(name, "", "", False, 0))
        for key in sorted(chosen, key=lambda key: str(loaded[key])):
            label = self.choices.field.label_from_instance(loaded[key])
            options.append(self.create_option(name, key, label, chosen, len(options)))
        return [(None, options, 0)]


class LoadedAutocompleteSelect(LoadedChoicesMixin, AutocompleteSelect):
    pass


class LoadedAutocompleteSelectMultiple(LoadedChoicesMixin, AutocompleteSelectMultiple):
    pass


class AutocompleteFilter(admin.SimpleListFilter):
    """A list filter on one related row, chosen in Django's autocomplete box (the admin's own
    search of that model, page by page): the sidebar holds one box and the chosen row, never
    a link per row. `field` is the foreign key whose autocomplete it borrows (its model's admin
    must have `search_fields`); `queryset` filters by the chosen row's id."""

    template = "core/admin/autocomplete_filter.html"
    field = None  # e.g. Participation._meta.get_field("actor"), set by a subclass

    chosen = None

    def lookups(self, request, model_admin):
        # Only the chosen row (read once, here): the "selected" line, never a list of rows.
        self.model_admin = model_admin
        if self.value():
            related = self.field.remote_field.model._default_manager
            self.chosen = related.filter(pk=self.value()).first()
        return [(str(self.chosen.pk), str(self.chosen))] if self.chosen else []

    def has_output(self):
        return True

    def value(self):
        value = super().value()
        return value if value and value.isdigit() and len(value) < 19 else None

    def widget(self):
        related = self.field.remote_field.model
        widget = LoadedAutocompleteSelect(
            self.field,
            self.model_admin.admin_site,
            attrs={
                "data-width": "100%",
                "data-placeholder": _("Choisir…"),
                "data-filter-parameter": self.parameter_name,
                "class": "autocomplete-filter",
            },
        )
        choice = forms.ModelChoiceField(
            related._default_manager.all(), widget=widget, required=False
        )
        choice.widget.loaded = {str(self.chosen.pk): self.chosen} if self.chosen else {}
        return choice.widget.render(f"filter-{self.parameter_name}", self.value())

    @classmethod
    def media(cls, field, admin_site):
        return AutocompleteSelect(field, admin_site).media + forms.Media(
            # After jquery.init.js, which names django.jQuery: the media merge keeps this order.
            js=["admin/js/jquery.init.js", "core/admin_autocomplete_filter.js"]
        )
