"""HTTP caching of public pages: validators, 304s, the response cache, never a stale page."""

import gzip

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from reversion.models import Version

from events.models import Event
from newsarchive.http.versioning import is_data
from newsarchive.models import DataVersion
from tests.factories import EventFactory, PersonFactory
from tests.newsarchive.editing import admin_edit, editor_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

PUBLIC = ["/", "/events/", "/events/?actor=sam-altman", "/search/?q=licencie", "/people/"]


@pytest.fixture
def sam():
    return PersonFactory(name="Sam Altman")


@pytest.fixture
def event(sam):
    return EventFactory(title="Sam Altman est licencié", kind=Event.Kind.FIRING, actors=[sam])


@pytest.fixture
def editor():
    """A second client, logged in to the admin: the readers stay anonymous."""
    return editor_client()


def reader_sees(client, url, text):
    response = client.get(url)
    assert response.status_code == 200
    return text in response.content.decode()


@pytest.mark.parametrize("url", [*PUBLIC, "/en/events/", "/en/people/sam-altman/"])
def test_public_pages_carry_validators_and_set_no_cookie(client, event, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response.cookies == {}
    assert "Cookie" not in response.get("Vary", "")
    assert "Accept-Language" not in response.get("Vary", "")
    assert response["ETag"].startswith('W/"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["Cache-Control"] == "public, max-age=60"


def test_a_current_validator_gets_a_304_without_rendering(client, event, django_assert_num_queries):
    etag = client.get("/events/")["ETag"]
    with django_assert_num_queries(1):  # the data version, nothing else
        response = client.get("/events/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == etag
    last_modified = client.get("/events/")["Last-Modified"]
    assert client.get("/events/", HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304


def test_a_second_reading_comes_from_the_cache(client, event, django_assert_num_queries):
    first = client.get("/events/?kind=firing&actor=sam-altman")
    # The same filters in another order are the same page, from the cache.
    with django_assert_num_queries(1):
        again = client.get("/events/?actor=sam-altman&kind=firing")
    assert again.status_code == 200
    assert again.content == first.content
    assert "Sam Altman est licencié" in again.content.decode()


def test_the_cache_can_be_turned_off(client, event, settings):
    settings.ARCHIVE_PAGE_CACHE = False
    client.get("/events/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/events/")
    assert response.status_code == 200
    assert len(queries) > 1  # rendered again
    assert "ETag" in response  # validators stay on


def test_html_is_compressed_for_clients_that_accept_it(client, event):
    plain = client.get("/events/")
    packed = client.get("/events/", HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 2
    # Served again from the cache, still compressed, still the same page.
    again = client.get("/events/", HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(again.content) == plain.content


def test_an_editors_save_is_seen_on_the_very_next_request(client, editor, event):
    page = event.get_absolute_url()
    for url in [page, "/events/", "/", "/en/events/"]:
        assert reader_sees(client, url, "Sam Altman est licencié")
    old_etag = client.get(page)["ETag"]
    admin_edit(editor, reverse("admin:events_event_change", args=[event.pk]), title="Titre corrigé")
    for url in [page, "/events/", "/", "/en/events/"]:
        assert reader_sees(client, url, "Titre corrigé"), url
        assert not reader_sees(client, url, "Sam Altman est licencié"), url
    assert client.get(page, HTTP_IF_NONE_MATCH=old_etag).status_code == 200


def test_a_revert_is_seen_on_the_very_next_request(client, editor, event):
    change = reverse("admin:events_event_change", args=[event.pk])
    admin_edit(editor, change, title="Première version")
    first = Version.objects.get_for_object(event).first()
    admin_edit(editor, change, title="Seconde version")
    assert reader_sees(client, "/events/", "Seconde version")
    admin_edit(editor, reverse("admin:events_event_revision", args=[event.pk, first.pk]))
    assert reader_sees(client, "/events/", "Première version")
    assert not reader_sees(client, "/events/", "Seconde version")


def test_a_delete_and_a_recover_are_seen_on_the_very_next_request(client, editor, event):
    page = event.get_absolute_url()
    change = reverse("admin:events_event_change", args=[event.pk])
    admin_edit(editor, change, title="Avant suppression")  # a version to recover
    assert client.get(page).status_code == 200
    assert reader_sees(client, "/events/", "Avant suppression")
    delete = reverse("admin:events_event_delete", args=[event.pk])
    assert editor.post(delete, {"post": "yes"}).status_code == 302
    assert client.get(page).status_code == 404
    assert not reader_sees(client, "/events/", "Avant suppression")
    deleted = Version.objects.get_deleted(Event).first()
    recover = reverse("admin:events_event_recover", args=[deleted.pk])
    admin_edit(editor, recover)
    assert client.get(page).status_code == 200
    assert reader_sees(client, "/events/", "Avant suppression")


def test_actor_facets_follow_an_edit(client, editor, event, sam):
    # The kind facet's links (kept counts) change with the edit, cached page or not.
    assert reader_sees(client, "/events/?actor=sam-altman", "?actor=sam-altman&amp;kind=firing")
    admin_edit(
        editor,
        reverse("admin:events_event_change", args=[event.pk]),
        kind=Event.Kind.RESIGNATION,
    )
    page = client.get("/events/?actor=sam-altman").content.decode()
    assert "?actor=sam-altman&amp;kind=resignation" in page
    assert "?actor=sam-altman&amp;kind=firing" not in page


def test_editors_get_fresh_uncached_pages(editor, event):
    editor.get("/events/")
    response = editor.get("/events/")
    assert "public" not in response.get("Cache-Control", "")
    assert "ETag" not in response


def test_an_unknown_host_is_refused_even_for_a_cached_page(client, event):
    client.get("/events/")
    assert client.get("/events/", HTTP_HOST="evil.example").status_code == 400


def test_only_successful_reads_are_cached(client, event):
    assert client.get("/events/?day=2023-02-30").status_code == 400
    response = client.get("/events/?day=2023-02-30")
    assert response.status_code == 400
    assert "public" not in response.get("Cache-Control", "")
    assert client.post("/events/").status_code in (403, 405)


def test_every_kind_of_write_moves_the_data_version(event, sam):
    def version():
        return DataVersion.objects.current()[0]

    start = version()
    event.title = "Autre titre"
    event.save()
    assert version() > start
    start = version()
    Event.objects.filter(pk=event.pk).update(title="Encore un autre")
    assert version() > start
    start = version()
    event.delete()
    assert version() > start


DATA_MODELS = [
    model
    for app in ("people", "events", "editions")
    for model in apps.get_app_config(app).get_models()
    if is_data(model)
]


@pytest.mark.parametrize("model", DATA_MODELS, ids=lambda model: model._meta.label)
def test_a_bulk_update_of_any_data_model_moves_the_data_version(story, model):
    # `update()` sends no per-row signal: every data model's queryset announces it, or an
    # admin action or a script's bulk update would leave every cached page looking current.
    row = model.objects.order_by("pk").first()
    assert row is not None, f"the story holds no {model._meta.label}"
    start = DataVersion.objects.current()[0]
    key = model._meta.pk.attname
    assert model.objects.filter(pk=row.pk).update(**{key: F(key)}) == 1
    assert DataVersion.objects.current()[0] > start


def test_loading_the_story_and_generating_an_archive_move_the_version(db):
    start = DataVersion.objects.current()[0]
    call_command("seed_story", verbosity=0)
    assert DataVersion.objects.current()[0] > start


def test_generating_an_archive_moves_the_version(db):
    start = DataVersion.objects.current()[0]
    call_command("generate_archive", events=20, actors=5, seed=3, verbosity=0)
    assert DataVersion.objects.current()[0] > start


def test_a_page_that_is_not_there_never_answers_304(client, event):
    etag = client.get("/events/")["ETag"]
    # Another page's validator does not match this page, and a 404 carries none.
    response = client.get("/events/nothing-here/", HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 404
    assert "ETag" not in response
    assert client.get("/events/?kind=firing", HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_the_data_version_reads_as_an_aware_time(db):
    DataVersion.objects.bump()
    number, changed_at = DataVersion.objects.current()
    row = DataVersion.objects.get(pk=1)
    assert (number, changed_at) == (row.number, row.changed_at)
    assert changed_at.tzinfo is not None
