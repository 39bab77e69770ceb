"""Editors' admin pages given query strings that do not parse: dropped, redirected or refused
with a 400, never a server error, on SQLite and PostgreSQL alike."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.html_forms import form_data
from people.models import Actor
from tests.factories import EventFactory, PassageFactory, SourceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

TOO_BIG = "9" * 21  # past any 64-bit integer column


def selected(response, form_id, name):
    return form_data(response.content.decode(), form_id).get(name, [])


@pytest.mark.parametrize(
    "url_name, form_id, name, value",
    [
        ("admin:events_event_add", "event_form", "passages", "abc"),
        ("admin:events_event_add", "event_form", "sources", "abc"),
        ("admin:events_quote_add", "quote_form", "passages", "x"),
        ("admin:events_event_add", "event_form", "passages", TOO_BIG),
        ("admin:events_event_add", "event_form", "sources", f"-{TOO_BIG}"),
        ("admin:people_actor_add", "actor_form", "parent", TOO_BIG),
        ("admin:people_actor_add", "actor_form", "parent", "abc"),
        ("admin:people_role_add", "role_form", "organisation", TOO_BIG),
    ],
)
def test_an_add_page_drops_related_ids_that_do_not_parse(
    client, editor, url_name, form_id, name, value
):
    response = client.get(reverse(url_name), {name: value})

    assert response.status_code == 200
    assert f'name="{name}"' in response.content.decode()
    assert selected(response, form_id, name) == []


def test_an_add_page_keeps_the_ids_that_parse_beside_those_that_do_not(client, editor):
    passage = PassageFactory()
    source = SourceFactory()

    response = client.get(
        reverse("admin:events_event_add"),
        {"passages": f"abc,{passage.pk},{TOO_BIG}", "sources": str(source.pk), "title": "Titre"},
    )

    assert response.status_code == 200
    assert selected(response, "event_form", "passages") == [str(passage.pk)]
    assert selected(response, "event_form", "sources") == [str(source.pk)]
    assert selected(response, "event_form", "title") == ["Titre"]


@pytest.mark.parametrize("value", ["2023-11-17T12:19", "2023-11-17 12:19:00"])
def test_an_add_page_fills_a_date_and_time_from_the_query_string(client, editor, value):
    response = client.get(reverse("admin:events_event_add"), {"occurred_at": value})

    assert response.status_code == 200
    assert selected(response, "event_form", "occurred_at_0") == ["17/11/2023"]
    assert selected(response, "event_form", "occurred_at_1") == ["12:19:00"]


@pytest.mark.parametrize("value", ["x", "2023-02-30T12:00", f"{TOO_BIG}-01-01T00:00"])
def test_an_add_page_drops_a_date_and_time_that_does_not_parse(client, editor, value):
    response = client.get(reverse("admin:events_event_add"), {"occurred_at": value})

    assert response.status_code == 200
    assert selected(response, "event_form", "occurred_at_0") == [""]


@pytest.mark.parametrize(
    "params",
    [
        {"day__year": TOO_BIG},
        # The events' day drill-down (a year, a month, a day).
        {"day": TOO_BIG},
        {"day": f"2023-{TOO_BIG}"},
        {"day": "2023-13"},
        {"id__gt": "abc"},
    ],
)
def test_a_changelist_lookup_that_does_not_parse_goes_back_to_the_whole_list(
    client, editor, params
):
    EventFactory(title="Sam Altman est licencié")
    url = reverse("admin:events_event_changelist")

    response = client.get(url, params, follow=True)

    # Django's own answer to a bad lookup: the list, unfiltered, flagged `?e=1`.
    assert response.redirect_chain == [(f"{url}?e=1", 302)]
    assert response.status_code == 200
    assert "Sam Altman est licencié" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [{"kind__range": "last"}, {"kind__range": ""}, {"title__regex": "("}, {"kind__iregex": "["}],
)
def test_a_lookup_that_would_reach_the_database_as_text_is_a_bad_request(client, editor, params):
    EventFactory(title="Sam Altman est licencié")

    response = client.get(reverse("admin:events_event_changelist"), params)

    assert response.status_code == 400
    assert "Sam Altman est licencié" not in response.content.decode()


def changelists(with_date_hierarchy=False):
    return [
        pytest.param(
            reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"),
            model_admin.date_hierarchy,
            id=model._meta.label,
        )
        for model, model_admin in admin.site._registry.items()
        if model_admin.date_hierarchy or not with_date_hierarchy
    ]


@pytest.mark.parametrize("url, date_hierarchy", changelists(with_date_hierarchy=True))
def test_every_date_hierarchy_refuses_a_year_too_big_for_a_date(
    client, editor, url, date_hierarchy
):
    # Ours and those of the apps we install (auth, django-axes): the admin site mixes the
    # same query-string handling into every ModelAdmin registered on it.
    response = client.get(url, {f"{date_hierarchy}__year": TOO_BIG})

    assert response.status_code == 302
    assert response["Location"] == f"{url}?e=1"


@pytest.mark.parametrize("url, date_hierarchy", changelists())
def test_every_changelist_survives_an_id_too_big_for_the_database(
    client, editor, url, date_hierarchy
):
    response = client.get(url, {"id__in": TOO_BIG}, follow=True)

    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()


def test_an_address_lookup_that_is_no_address_is_never_a_server_error(client, editor):
    # Found by the fuzz suite on PostgreSQL, where the column is an inet: a 500 there.
    url = reverse("admin:axes_accessattempt_changelist")

    response = client.get(url, {"ip_address": " "}, follow=True)

    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()


@pytest.mark.parametrize(
    "url, params",
    [
        ("/admin/events/event/", {"kind": "\x00"}),
        ("/admin/events/event/", {"section": "\x00"}),
        ("/admin/events/event/", {"q": "Altman\x00"}),
        ("/admin/events/event/add/", {"title": "\x00"}),
        (
            "/admin/autocomplete/",
            {
                "app_label": "events",
                "model_name": "participation",
                "field_name": "actor",
                "term": "\x00",
            },
        ),
    ],
)
def test_a_nul_character_in_an_admin_query_string_is_a_bad_request(
    client, editor, django_assert_num_queries, url, params
):
    # Refused before the session is read: no query at all.
    with django_assert_num_queries(0):
        response = client.get(url, params)

    assert response.status_code == 400


def test_a_nul_character_in_a_submitted_admin_form_is_a_bad_request(client, editor):
    response = client.post(reverse("admin:people_actor_add"), {"name": "Sam\x00", "slug": "sam"})

    assert response.status_code == 400
    assert not Actor.objects.filter(slug="sam").exists()


def test_a_nul_character_in_a_cookie_is_a_bad_request_on_any_page(
    client, django_assert_num_queries
):
    # The session key is looked up in the database: PostgreSQL would fail on it.
    client.cookies["sessionid"] = "abcdefgh\x00"
    with django_assert_num_queries(0):
        assert client.get(reverse("admin:index")).status_code == 400
        assert client.get("/people/").status_code == 400


def test_public_lists_still_explain_a_nul_character_in_their_own_form(client):
    # The public pages read parameters through forms, which say what is wrong.
    response = client.get("/events/", {"q": "Altman\x00"})

    assert response.status_code == 400
    assert "Le caractère nul n’est pas autorisé." in response.text
