"""Fuzzing every address with Hypothesis: whatever the query string, no answer is a 5xx.

The routes are read from the URLconf and the admin site when the tests are collected, so an
address added later is fuzzed without touching this file: every public page (in French and
under /en/ when it is translated), every data export, feed and discovery file, and, logged in as
a superuser, every admin changelist and add page and the autocomplete view. Parameter names come
from the project's FilterSets and forms, from the admin's models and filters, and at random;
values are edge cases (huge numbers, impossible dates, NUL), values from the story (slugs, kinds,
ids) and arbitrary text. The Hypothesis profile sets the number of examples per route (8 in
`make test`, 4 per database in CI, 200 with HYPOTHESIS_PROFILE=deep: tests/conftest.py);
`FUZZ_EXAMPLES=N` overrides it; a failure prints its query string, and `--hypothesis-seed=N`
replays a run.
"""

import datetime
import os
import re
from dataclasses import dataclass, field
from urllib.parse import quote, urlencode

import django_filters
import pytest
from django import forms
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models, transaction
from django.urls import get_resolver, reverse
from django.urls.resolvers import LocalePrefixPattern, RoutePattern, URLResolver
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.postgres

PROJECT_APPS = {"people", "events", "newsarchive"}
EXAMPLES = (
    {"max_examples": int(os.environ["FUZZ_EXAMPLES"])} if "FUZZ_EXAMPLES" in os.environ else {}
)
TOO_BIG = "9" * 21

# Read straight from request.GET somewhere (the rest comes from FilterSets and forms).
PUBLIC_PARAMETERS = {"page", "q", "at", "cursor", "format", "next", "language"}
ADMIN_PARAMETERS = ["q", "o", "p", "e", "all", "_popup", "_to_field", "_changelist_filters"]
ADMIN_LOOKUPS = ["", "__exact", "__in", "__gte", "__lt", "__isnull", "__year", "__month"]
ADMIN_LOOKUPS += ["__day", "__id__exact", "__iexact", "__range", "__pk__in"]
EDGE_VALUES = [
    *["", " ", "0", "-1", "1", "2", "last", "all", "any", "desc", "true", "None", "null"],
    *[TOO_BIG, f"-{TOO_BIG}", "1e309", "nan", "inf", "0x10", "1,2,abc", f"1,{TOO_BIG}"],
    *["2023-11-17", "2023-11-17T12:00", "2023-11-17 12:00", "0001-01-01", "9999-12-31"],
    *["10000-01-01", "2023-02-30", "2023-13-01", "17/11/2023"],
    *["\x00", "a\x00b", "%", "%00", "é", "Sam", "sécurité", "🙂", "<script>", "'", '"', "\\"],
    *["../", "//evil.example", "a" * 300],
]
# Appended as they are, not encoded: broken percent-escapes, empty names, bare separators.
RAW_TAILS = ["", "", "", "&%ff", "&a=%", "&=%00", "&&", "&%zz=1", "&page", "&q=%C3"]


@dataclass
class Route:
    path: str  # with the URLconf's <converter:name> placeholders
    keys: list = field(default_factory=list)
    admin: bool = False
    default_args: dict = field(default_factory=dict)

    def __str__(self):
        return self.path


def subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from subclasses(sub)


def project_class(cls):
    return cls.__module__.split(".")[0] in PROJECT_APPS


def public_parameters():
    """Every parameter a public page reads: those named above, every filter of the project's
    FilterSets and every field of its forms (found once the URLconf has imported the views)."""
    names = set(PUBLIC_PARAMETERS)
    for filterset in subclasses(django_filters.FilterSet):
        if project_class(filterset):
            names.update(filterset.base_filters)
    for form in subclasses(forms.Form):
        if project_class(form):
            names.update(form.base_fields)
    return sorted(names)


def public_routes():
    routes = []

    def walk(patterns, prefix, localised, default_args):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin":
                    continue  # fuzzed as a superuser, below
                locale = isinstance(pattern.pattern, LocalePrefixPattern)
                walk(
                    pattern.url_patterns,
                    prefix if locale else prefix + str(pattern.pattern),
                    localised or locale,
                    {**default_args, **pattern.default_kwargs},
                )
            elif isinstance(pattern.pattern, RoutePattern):
                path = prefix + str(pattern.pattern)
                arguments = {**default_args, **pattern.default_args}
                languages = ["/", "/en/"] if localised else ["/"]
                routes.extend(Route(start + path, default_args=arguments) for start in languages)
            else:
                # A regex route cannot be filled in from its text; none is public today.
                routes.append(pytest.param(None, marks=pytest.mark.skip(reason=str(pattern))))

    walk(get_resolver().url_patterns, "", False, {})
    keys = public_parameters()
    for route in routes:
        if isinstance(route, Route):
            route.keys = keys
    return routes


def admin_routes():
    routes = []
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        names = [f.name for f in opts.get_fields() if f.concrete or f.many_to_many]
        filters = [f[0] if isinstance(f, (list, tuple)) else f for f in model_admin.list_filter]
        keys = [getattr(f, "parameter_name", "") for f in filters if isinstance(f, type)]
        keys += [f"{name}{lookup}" for name in names for lookup in ["", "__exact", "__in"]]
        lookups = [f for f in filters if isinstance(f, str)]
        if model_admin.date_hierarchy:
            lookups.append(model_admin.date_hierarchy)
        keys += [f"{name}{lookup}" for name in lookups for lookup in ADMIN_LOOKUPS]
        keys += ADMIN_PARAMETERS
        for view in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}")
            routes.append(Route(url, keys=sorted(set(keys) - {""}), admin=True))
    return routes


def autocomplete_fields():
    """(app_label, model_name, field_name) of every autocomplete field, inlines included."""
    found = []
    for model, model_admin in admin.site._registry.items():
        for owner in [model_admin, *(inline(model, admin.site) for inline in model_admin.inlines)]:
            opts = owner.model._meta
            found += [(opts.app_label, opts.model_name, name) for name in owner.autocomplete_fields]
    return sorted(set(found)) or [("events", "participation", "actor")]


PUBLIC_ROUTES = public_routes()
ADMIN_ROUTES = admin_routes()


@pytest.fixture
def archive(story):
    """The story (seeded once per test process, see tests/story_database.py) and a superuser
    (no password: the tests log in with force_login); the examples only read."""
    user = get_user_model().objects.create(username="fuzz", is_staff=True, is_superuser=True)
    return {"user": user, "values": story_values(), "slugs": story_slugs()}


def project_models():
    return [m for m in apps.get_models() if m._meta.app_label in PROJECT_APPS]


def story_slugs():
    slugs = []
    for model in project_models():
        for slug_field in [
            f for f in model._meta.concrete_fields if isinstance(f, models.SlugField)
        ]:
            slugs += model._default_manager.order_by("pk").values_list(
                slug_field.attname, flat=True
            )[:2]
    return [slug for slug in slugs if slug]


def story_values():
    """Values the story really holds: ids, slugs, names, choices; filters then go deep."""
    values = set()
    for model in project_models():
        rows = list(model._default_manager.order_by("pk")[:2])
        for model_field in model._meta.concrete_fields:
            if model_field.choices:
                values.update(str(value) for value, _label in model_field.flatchoices)
            if isinstance(
                model_field, (models.SlugField, models.AutoField)
            ) or model_field.name in {
                "name",
                "day",
            }:
                values.update(str(getattr(row, model_field.attname)) for row in rows)
    values.discard("")
    values.discard("None")
    return sorted(values)


def fill(route, slugs, client):
    """The route's path with its placeholders filled so that it answers 200 if any story
    slug (or a section named in its arguments, as the sitemaps' are) makes it answer."""
    placeholders = re.findall(r"<(?:[^>:]+:)?([^>]+)>", route.path)
    if not placeholders:
        return route.path
    candidates = list(slugs)
    for value in route.default_args.values():
        if isinstance(value, dict):
            candidates += [str(key) for key in value]
    filled = None
    for candidate in candidates:
        path = re.sub(r"<[^>]+>", quote(candidate), route.path)
        filled = filled or path
        if client.get(path).status_code == 200:
            return path
    return filled or re.sub(r"<[^>]+>", "x", route.path)


def query_strings(keys, values):
    # Mostly names the page reads, so that values reach its code; sometimes any text.
    known = st.sampled_from(keys)
    key = st.one_of(known, known, known, st.text(max_size=12))
    value = st.one_of(
        st.sampled_from(EDGE_VALUES),
        st.sampled_from(values or EDGE_VALUES),
        st.text(max_size=40),
        st.integers(min_value=-(10**25), max_value=10**25).map(str),
        st.dates(min_value=datetime.date(1, 1, 1)).map(datetime.date.isoformat),
        st.datetimes().map(lambda moment: moment.isoformat(timespec="minutes")),
    )
    # Pairs, not a dict: a key may come back (repeated parameters).
    pairs = st.lists(st.tuples(key, value), min_size=1, max_size=6)
    return st.builds(lambda pairs, tail: urlencode(pairs) + tail, pairs, st.sampled_from(RAW_TAILS))


def assert_no_server_error(client, url):
    # A savepoint per request, so that one failing query on PostgreSQL does not poison the
    # requests that follow (the test's transaction stays usable for shrinking).
    with transaction.atomic():
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)  # a CSV fails as it streams, if it fails
    assert response.status_code < 500, f"{url} answered {response.status_code}"


FUZZ_SETTINGS = settings(
    **EXAMPLES,  # else the profile's
    deadline=None,
    database=None,  # nothing written in the tree; a failure prints its example and seed
    # The client and the module's story are only read by the examples, never changed.
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.mark.django_db
@pytest.mark.parametrize("route", PUBLIC_ROUTES, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_public_pages_never_answer_a_server_error(archive, client, route, data):
    path = fill(route, archive["slugs"], client)
    query = data.draw(query_strings(route.keys, archive["values"]), label="query string")
    assert_no_server_error(client, f"{path}?{query}")


@pytest.mark.django_db
@pytest.mark.parametrize("route", ADMIN_ROUTES, ids=str)
@FUZZ_SETTINGS
@given(data=st.data())
def test_admin_pages_never_answer_a_server_error(archive, client, route, data):
    client.force_login(archive["user"])
    query = data.draw(query_strings(route.keys, archive["values"]), label="query string")
    assert_no_server_error(client, f"{route.path}?{query}")


@pytest.mark.django_db
@FUZZ_SETTINGS
@given(data=st.data())
def test_admin_autocomplete_never_answers_a_server_error(archive, client, data):
    client.force_login(archive["user"])
    app_label, model_name, field_name = data.draw(st.sampled_from(autocomplete_fields()))
    target = urlencode({"app_label": app_label, "model_name": model_name, "field_name": field_name})
    keys = ["app_label", "model_name", "field_name", "term", "page"]
    query = data.draw(query_strings(keys, archive["values"]), label="query string")
    assert_no_server_error(client, f"{reverse('admin:autocomplete')}?{target}&{query}")


def test_every_route_is_fuzzed():
    # The enumeration itself: the addresses the archive's contract names are all there.
    paths = {str(route) for route in PUBLIC_ROUTES + ADMIN_ROUTES}
    for path in ["/", "/events/", "/events/<slug:slug>/", "/people/", "/people/<slug:slug>/"]:
        assert path in paths and f"/en{path}" in paths
    for path in ["/organisations/", "/search/", "/article/", "/admin/events/event/add/"]:
        assert path in paths
    assert "/admin/events/event/" in paths and "/admin/people/actor/" in paths
    assert not any(path.startswith("/admin/") for path in map(str, PUBLIC_ROUTES))
