"""The events list's filters: actor, day, kind, claim, source document, words, order.

Rule for bad input (tested): any malformed or unknown value makes the form invalid; the page
answers 400 with the error shown beside the field, and no list until it is corrected.
"""

import datetime

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.text import name_key, search_terms, slug_key
from people.models import Actor

from .models import Article, Claim, Event, EventKind

MAX_ACTORS = 10
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


def resolve_actors(values):
    """Map each text to the actors it names (see `Actor.objects.matching`), in one query.

    Returns (actors in the order asked, texts that matched nobody).
    """
    fields = ("pk", "slug", "name", "kind", "event_count")
    rows = Actor.objects.matching(*values).values(*fields, "aliases__name")
    actors, keys = {}, {}
    for row in rows:
        actors.setdefault(row["pk"], Actor(**{name: row[name] for name in fields}))
        names = keys.setdefault(row["pk"], {row["slug"], name_key(row["name"])})
        if row["aliases__name"]:
            names.add(name_key(row["aliases__name"]))
    found, unknown = {}, []
    for value in values:
        wanted = {name_key(value), slug_key(value)}
        matches = [actor for pk, actor in actors.items() if keys[pk] & wanted]
        if not matches:
            unknown.append(value)
        for actor in matches:
            found.setdefault(actor.pk, actor)
    return list(found.values()), unknown


class ActorsInput(forms.TextInput):
    """Reads every `actor=` of the query string (the parameter repeats)."""

    def value_from_datadict(self, data, files, name):
        getter = getattr(data, "getlist", None)
        values = getter(name) if getter else [data.get(name)]
        return [value.strip() for value in values if value and value.strip()]


class ActorsField(forms.Field):
    widget = ActorsInput

    def to_python(self, value):
        return list(value or [])

    def validate(self, value):
        super().validate(value)
        if len(value) > MAX_ACTORS:
            raise forms.ValidationError(
                _("Pas plus de %(max)d acteurs à la fois."),
                code="too_many",
                params={"max": MAX_ACTORS},
            )
        if any(len(text) > 200 or "\x00" in text for text in value):
            raise forms.ValidationError(_("Nom d’acteur invalide."), code="invalid")

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return []
        actors, unknown = resolve_actors(value)
        if unknown:
            names = ", ".join(f"« {text} »" for text in unknown)
            raise forms.ValidationError(
                ngettext(
                    "Aucun acteur ne correspond à %(names)s : choisissez un nom de la liste.",
                    "Aucun acteur ne correspond à %(names)s : choisissez des noms de la liste.",
                    len(unknown),
                )
                % {"names": names},
                code="unknown_actor",
            )
        return actors


class DayInput(forms.DateInput):
    """A day typed as AAAA-MM-JJ that never echoes a malformed value. A text box rather than
    the browser's date picker, which follows the browser's locale (mm/dd/yyyy) whatever the
    page's language; the story's days are offered as links above the list."""

    input_type = "text"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attrs.update(inputmode="numeric", autocomplete="off", maxlength="10")

    def format_value(self, value):
        if isinstance(value, str):
            try:
                datetime.date.fromisoformat(value)
            except ValueError:
                return None
        return super().format_value(value)


class PlainSelect(forms.Select):
    """A <select> written in Python: Django's template per <option> makes a dozen-option
    select one of the slowest parts of the events page."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = {**self.build_attrs(self.attrs, attrs), "name": name}
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in chosen else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(attrs), options)


class SourceField(forms.SlugField):
    """A source document named by its slug (as in its address, /sources/<slug>/)."""

    widget = forms.HiddenInput
    default_error_messages = {
        "invalid": _("Identifiant de source invalide."),
        "unknown": _(
            "Aucune source ne porte l’identifiant « %(slug)s » : choisissez-en une dans la "
            "liste des sources."
        ),
    }

    def clean(self, value):
        slug = super().clean(value)
        if not slug:
            return None
        article = Article.objects.only("pk", "slug", "title", "language").filter(slug=slug).first()
        if article is None:
            raise forms.ValidationError(
                self.error_messages["unknown"], code="unknown", params={"slug": slug}
            )
        return article


class SourceFilter(django_filters.Filter):
    field_class = SourceField


class ActorsFilter(django_filters.Filter):
    field_class = ActorsField


class EventFilterForm(forms.Form):
    # A parameter given twice where one is expected is an error, not a silent pick.
    single_valued = ("day", "kind", "claim", "source", "q", "match", "sort", "more")
    defaults = {"match": "any", "sort": "asc"}

    def __init__(self, data=None, *args, **kwargs):
        if data is not None:
            # Show the default choices as chosen; the query string stays short without them.
            data = data.copy()
            for name, value in self.defaults.items():
                if not data.get(name):
                    data[name] = value
        super().__init__(data, *args, **kwargs)
        for name, field in self.fields.items():
            if field.help_text:
                field.widget.attrs["aria-describedby"] = f"{name}-help"

    def clean_day(self):
        # Keep the day well inside what datetimes can hold: the next day must exist.
        day = self.cleaned_data.get("day")
        if day and not (FIRST_DAY <= day <= LAST_DAY):
            raise forms.ValidationError(
                _("Choisissez un jour entre %(first)s et %(last)s."),
                code="out_of_range",
                params={"first": FIRST_DAY.year, "last": LAST_DAY.year},
            )
        return day

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["aria-invalid"] = "true"
                described = widget.attrs.get("aria-describedby", "")
                widget.attrs["aria-describedby"] = f"{described} {name}-errors".strip()

    def clean(self):
        cleaned = super().clean()
        getter = getattr(self.data, "getlist", None)
        for name in self.single_valued:
            if getter and len(getter(name)) > 1:
                self.add_error(name, _("Une seule valeur à la fois pour ce filtre."))
        return cleaned


class EventFilterSet(django_filters.FilterSet):
    actor = ActorsFilter(
        method="filter_actors",
        label=_("Acteur"),
        help_text=_("Nom, surnom ou identifiant : « Sutskever », « Ilya », « ilya-sutskever »."),
    )
    match = django_filters.ChoiceFilter(
        choices=[("any", _("l’un d’eux au moins")), ("all", _("tous ensemble"))],
        method="filter_nothing",  # read by filter_actors
        label=_("Avec plusieurs acteurs"),
        empty_label=None,
        widget=forms.RadioSelect,
    )
    day = django_filters.DateFilter(
        method="filter_day",
        label=_("Jour"),
        input_formats=["%Y-%m-%d"],
        widget=DayInput(format="%Y-%m-%d"),
        help_text=_("Jour à San Francisco (heure du Pacifique), sous la forme AAAA-MM-JJ."),
    )
    kind = django_filters.ChoiceFilter(
        field_name="kind",
        lookup_expr="exact",
        choices=EventKind.choices,
        label=_("Type"),
        empty_label=_("Tous les types"),
        widget=PlainSelect,
    )
    claim = django_filters.ChoiceFilter(
        field_name="claim",
        lookup_expr="exact",
        choices=Claim.choices,
        label=_("Statut"),
        empty_label=_("Tous les statuts"),
        widget=PlainSelect,
        help_text=_("Établi, rapporté par une source, allégué par une partie, ou non confirmé."),
    )
    source = SourceFilter(
        method="filter_source",
        label=_("Source"),
        max_length=200,
        help_text=_("Les événements tirés d’un document source."),
    )
    q = django_filters.CharFilter(
        method="filter_words",
        label=_("Mots"),
        max_length=MAX_QUERY_LENGTH,
        help_text=_("Dans le titre, le résumé ou le récit ; accents et majuscules indifférents."),
    )
    sort = django_filters.ChoiceFilter(
        choices=[("asc", _("plus anciens d’abord")), ("desc", _("plus récents d’abord"))],
        method="filter_sort",
        label=_("Ordre"),
        empty_label=None,
        widget=PlainSelect,
    )

    # Not a filter: which facet shows more values (a bounded number still).
    more = django_filters.ChoiceFilter(
        choices=[("day", _("jour")), ("actor", _("acteur"))],
        method="filter_nothing",
        label=_("Plus de valeurs par facette"),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Event
        fields = []
        form = EventFilterForm

    def filter_nothing(self, queryset, name, value):
        return queryset

    def filter_actors(self, queryset, name, actors):
        match_all = self.form.cleaned_data.get("match") == "all"
        return queryset.involving(actors, match_all=match_all)

    def filter_day(self, queryset, name, day):
        return queryset.on_day(day)

    def filter_source(self, queryset, name, article):
        return queryset.citing(article)

    def filter_words(self, queryset, name, text):
        terms = search_terms(text, limit=MAX_WORDS)
        if not terms:
            return queryset
        return queryset.matching_words(terms)

    def filter_sort(self, queryset, name, value):
        if value == "desc":
            return queryset.order_by("-occurred_at", "-slug")
        return queryset.order_by("occurred_at", "slug")

    @property
    def active_actors(self):
        return (self.form.cleaned_data.get("actor") or []) if self.is_valid() else []

    @property
    def active_source(self):
        return self.form.cleaned_data.get("source") if self.is_valid() else None

    @property
    def active_day(self):
        day = self.form.cleaned_data.get("day") if self.is_valid() else None
        return day if isinstance(day, datetime.date) else None
