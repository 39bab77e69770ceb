"""Every change on the record: admin saves (corrections with their public explanation, plain
edits, reverts) on /changes/, its JSON and Atom feed, and on the corrected record's page."""

import json
import re
import xml.etree.ElementTree as ET

import pytest
import reversion
from django.urls import reverse
from reversion.models import Revision, Version

from core.html_forms import form_data
from events.models import Event
from newsarchive.models import Correction, KeyVersion
from newsarchive.story import LOAD_COMMENT
from tests.factories import EventFactory, OrganisationFactory, PersonFactory, QuoteFactory
from tests.newsarchive.editing import editor_client

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

ATOM = "{http://www.w3.org/2005/Atom}"
EXPLANATION = "Le licenciement a eu lieu à midi, pas le matin : l’article le précise au § 5."


@pytest.fixture
def loaded():
    """A small story loaded as seed_story loads it: one revision, the history's start."""
    with reversion.create_revision():
        reversion.set_comment(LOAD_COMMENT)
        sam = PersonFactory(name="Sam Altman", slug="sam-altman")
        greg = PersonFactory(name="Greg Brockman", slug="greg-brockman")
        board = OrganisationFactory(name="Conseil d’administration", slug="conseil")
        event = EventFactory(
            slug="licenciement",
            title="Le conseil licencie Sam Altman",
            kind=Event.Kind.FIRING,
            actors=[sam, board],
        )
        QuoteFactory(event=event, speaker=sam, text="J’ai adoré mon temps chez OpenAI.")
    return {"sam": sam, "greg": greg, "board": board, "event": event}


@pytest.fixture
def editor():
    return editor_client()


def change_url(record):
    name = "events_event" if isinstance(record, Event) else "people_actor"
    return reverse(f"admin:{name}_change", args=[record.pk])


def post_form(editor, url, form_id, **changes):
    data = form_data(editor.get(url).content.decode(), form_id)
    for name, value in changes.items():
        data[name] = value if isinstance(value, list) else [value]
    return editor.post(url, data)


def correct(editor, record, explanation=EXPLANATION, form_id="event_form", **changes):
    changes = {"is_correction": "on", "correction_explanation": explanation, **changes}
    response = post_form(editor, change_url(record), form_id, **changes)
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def text(response):
    return response.content.decode()


def test_the_story_load_is_not_a_change(client, loaded):
    response = client.get("/changes/")
    assert response.status_code == 200
    assert "Aucun changement" in text(response)
    assert client.get("/changes.json").json()["total"] == 0


def test_a_correction_is_published_with_its_explanation_and_before_after(client, editor, loaded):
    event = loaded["event"]
    correct(editor, event, title="Le conseil d’administration licencie Sam Altman")
    note = Correction.objects.get()
    assert note.kind == "correction" and note.event_id == event.pk
    assert note.language == "fr"

    page = text(client.get("/changes/"))
    assert EXPLANATION in page
    assert "Le conseil licencie Sam Altman" in page  # before
    assert "Le conseil d’administration licencie Sam Altman" in page  # after
    assert event.get_absolute_url() in page
    assert "par la rédaction" in page
    assert "editrice" not in page  # the editor's name is never published

    detail = text(client.get(event.get_absolute_url()))
    assert "Corrigé le" in detail and EXPLANATION in detail
    assert f"{reverse('changes')}?event={event.slug}" in detail
    assert 'lang="fr"' in detail

    record_page = client.get(f"/changes/?event={event.slug}")
    assert record_page.status_code == 200 and EXPLANATION in text(record_page)


def test_the_json_and_the_atom_feed_carry_the_change(client, editor, loaded):
    event = loaded["event"]
    correct(editor, event, summary="Un résumé corrigé.")
    data = client.get("/changes.json").json()
    assert data["total"] == 1 and data["next"] is None
    change = data["changes"][0]
    assert change["kind"] == "correction"
    assert change["editor"] == "la rédaction"
    assert change["explanation"] == EXPLANATION
    assert change["explanation_language"] == "fr"
    assert change["record"]["kind"] == "event"
    assert change["record"]["url"].endswith(event.get_absolute_url())
    fields = {item["field"]: item for item in change["fields"]}
    assert fields["summary"]["before"] == ["Ce qui s’est passé."]
    assert fields["summary"]["after"] == ["Un résumé corrigé."]
    assert "editrice" not in json.dumps(data)

    feed = client.get("/feeds/changes.atom")
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(feed.content)
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == 1
    entry = entries[0]
    assert event.title in entry.find(f"{ATOM}title").text
    assert EXPLANATION in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "la rédaction"
    assert entry.find(f"{ATOM}id").text.startswith("http://testserver/changes/#change-")
    assert entry.find(f"{ATOM}link").get("href").endswith(event.get_absolute_url())
    assert b"editrice" not in feed.content


def test_participants_and_quotes_show_what_was_added_and_removed(client, editor, loaded):
    event = loaded["event"]
    url = change_url(event)
    data = form_data(editor.get(url).content.decode(), "event_form")
    # Greg replaces the board; the quote's words are fixed.
    board = next(name for name, value in data.items() if value == [str(loaded["board"].pk)])
    data[board] = [str(loaded["greg"].pk)]
    data["quotes-0-text"] = ["J’ai adoré mon temps chez OpenAI !"]
    data["is_correction"] = ["on"]
    data["correction_explanation"] = [EXPLANATION]
    response = editor.post(url, data)
    assert response.status_code == 302, text(response)[:3000]
    change = client.get("/changes.json").json()["changes"][0]
    fields = {item["field"]: item for item in change["fields"]}
    assert fields["actors"]["before"] == ["Conseil d’administration (participe)"]
    assert fields["actors"]["after"] == ["Greg Brockman (participe)"]
    assert fields["quotes"]["before"] == ["J’ai adoré mon temps chez OpenAI."]
    assert fields["quotes"]["after"] == ["J’ai adoré mon temps chez OpenAI !"]


def test_a_correction_without_explanation_is_refused_and_nothing_is_saved(editor, loaded):
    event = loaded["event"]
    revisions = Revision.objects.count()
    response = post_form(
        editor, change_url(event), "event_form", title="Autre titre", is_correction="on"
    )
    assert response.status_code == 200
    assert "demande une explication" in text(response)
    event.refresh_from_db()
    assert event.title == "Le conseil licencie Sam Altman"
    assert Revision.objects.count() == revisions
    assert not Correction.objects.exists()


def test_a_plain_edit_is_listed_without_explanation_and_leaves_the_page_unmarked(
    client, editor, loaded
):
    event = loaded["event"]
    response = post_form(editor, change_url(event), "event_form", title="Titre retouché")
    assert response.status_code == 302
    assert not Correction.objects.exists()
    page = text(client.get("/changes/"))
    assert "modification" in page and "Titre retouché" in page
    assert "Corrigé le" not in text(client.get(event.get_absolute_url()))


def test_a_revert_appears_on_the_changes(client, editor, loaded):
    event = loaded["event"]
    post_form(editor, change_url(event), "event_form", title="Un titre erroné")
    first = Version.objects.get_for_object(event).last()  # the load
    url = reverse("admin:events_event_revision", args=[event.pk, first.pk])
    response = post_form(editor, url, "event_form")
    assert response.status_code == 302, text(response)[:3000]
    event.refresh_from_db()
    assert event.title == "Le conseil licencie Sam Altman"
    data = client.get("/changes.json").json()
    assert data["total"] == 2
    latest = data["changes"][0]
    assert latest["kind"] == "revert"
    titles = {item["field"]: item for item in latest["fields"]}["title"]
    assert titles == {
        "field": "title",
        "label": "titre",
        "before": ["Un titre erroné"],
        "after": ["Le conseil licencie Sam Altman"],
    }
    assert "retour à une version antérieure" in text(client.get("/changes/"))


def test_an_actor_correction_shows_on_the_actor_page(client, editor, loaded):
    sam = loaded["sam"]
    correct(editor, sam, form_id="actor_form", description="PDG d’OpenAI jusqu’au 17 novembre.")
    page = text(client.get(sam.get_absolute_url()))
    assert "Corrigé le" in page and EXPLANATION in page
    assert f"?actor={sam.slug}" in page
    changes = text(client.get(f"/changes/?actor={sam.slug}"))
    assert "PDG d’OpenAI jusqu’au 17 novembre." in changes
    assert sam.get_absolute_url() in changes


def test_the_english_page_keeps_the_explanation_in_its_language(client, editor, loaded):
    event = loaded["event"]
    correct(editor, event, title="Le conseil d’administration licencie Sam Altman")
    response = client.get("/en/changes/")
    assert response.status_code == 200
    page = text(response)
    assert "Changes" in page and "by the newsroom" in page
    assert EXPLANATION in page and '<span lang="fr">' in page  # marked in its language
    detail = text(client.get("/en" + event.get_absolute_url()))
    assert "Corrected on" in detail and EXPLANATION in detail


@pytest.mark.parametrize(
    "query",
    ["?page=abc", "?page=999", "?page=0", "?event=nobody", "?actor=nobody", "?page=1%00"],
)
def test_bad_query_strings_are_explained_not_errors(client, loaded, query):
    response = client.get("/changes/" + query)
    assert response.status_code == 400
    assert "notice--error" in text(response)
    data = client.get("/changes.json" + query)
    assert data.status_code == 400 and "errors" in data.json()


def test_pages_are_bounded_and_numbered(client, loaded):
    event = loaded["event"]
    for number in range(45):
        with reversion.create_revision():
            event.title = f"Titre {number}"
            event.save()
    first = client.get("/changes/")
    assert text(first).count('class="change"') == 20
    assert "Titre 44" in text(first) and "Titre 0<" not in text(first)
    last = client.get("/changes/?page=3")
    assert last.status_code == 200 and text(last).count('class="change"') == 5
    data = client.get("/changes.json?page=2").json()
    assert data["total"] == 45 and data["count"] == 20 and data["next"].endswith("page=3")


def test_the_query_count_is_fixed(client, loaded, django_assert_num_queries, settings):
    settings.ARCHIVE_PAGE_CACHE = False
    event = loaded["event"]
    for number in range(3):
        with reversion.create_revision():
            event.title = f"Titre {number}"
            event.save()
    with django_assert_num_queries(QUERIES_CHANGES):
        assert client.get("/changes/").status_code == 200
    for number in range(30):
        with reversion.create_revision():
            event.title = f"Titre {number}"
            event.save()
            reversion.add_meta(Correction, explanation="Pourquoi.", event=event)
    with django_assert_num_queries(QUERIES_CHANGES):
        assert client.get("/changes/").status_code == 200
    with django_assert_num_queries(QUERIES_CHANGES):
        assert client.get("/en/changes/?page=2").status_code == 200


# The key versions; the count, the revisions with their notes, the versions
# they hold, the previous versions, the actors and events named.
QUERIES_CHANGES = 7


def test_a_correction_reaches_the_cached_pages_on_the_next_request(client, editor, loaded):
    event = loaded["event"]
    pages = ["/changes/", event.get_absolute_url(), "/changes.json", "/feeds/changes.atom"]
    for url in pages:
        client.get(url)
        assert client.get(url)["X-Cache"] == "hit", url
    correct(editor, event)
    for url in pages:
        response = client.get(url)
        assert response.get("X-Cache") != "hit", url
        assert EXPLANATION in text(response), url
    keys = client.get("/changes/")["xkey"].split()
    assert "t:reversion_revision" in keys and "t:newsarchive_correction" in keys


def test_documented_fields_are_all_present(client, editor, loaded):
    from pathlib import Path

    from django.conf import settings

    from tests.newsarchive.test_data_exports import resolve

    correct(editor, loaded["event"], title="Un titre corrigé")
    doc = (Path(settings.BASE_DIR) / "docs" / "data.md").read_text()
    section = doc.split("## `/changes.json`")[1]
    fields = re.findall(r"^\| `([^`]+)` \|", section, flags=re.M)
    data = client.get("/changes.json").json()
    assert len(fields) > 15
    for path in fields:
        assert resolve(data, path), path


def test_the_admin_form_offers_the_correction_on_change_forms_only(editor, loaded):
    page = text(editor.get(change_url(loaded["event"])))
    assert 'name="is_correction"' in page and 'name="correction_explanation"' in page
    assert 'name="is_correction"' in text(editor.get(change_url(loaded["sam"])))
    assert 'name="is_correction"' not in text(editor.get(reverse("admin:events_event_add")))


def test_a_recovered_event_appears_as_recovered(client, editor, loaded):
    event = loaded["event"]
    post_form(editor, change_url(event), "event_form", title="Avant la suppression")
    version = Version.objects.get_for_object(event).first()
    event.delete()
    url = reverse("admin:events_event_recover", args=[version.pk])
    response = post_form(editor, url, "event_form")
    assert response.status_code == 302, text(response)[:3000]
    change = client.get("/changes.json").json()["changes"][0]
    assert change["kind"] == "recovery"
    assert change["record"]["url"].endswith(event.get_absolute_url())


def test_revisions_and_corrections_move_their_keys(loaded):
    event = loaded["event"]
    before = dict(KeyVersion.objects.values_list("key", "number"))
    with reversion.create_revision():
        event.save()
    after = dict(KeyVersion.objects.values_list("key", "number"))
    assert after["t:reversion_revision"] > before.get("t:reversion_revision", 0)
    revision = Revision.objects.latest("pk")
    Correction.objects.create(revision=revision, explanation="Pourquoi.", event=event)
    moved = dict(KeyVersion.objects.values_list("key", "number"))
    assert moved["t:newsarchive_correction"] > after.get("t:newsarchive_correction", 0)
    assert moved[f"e{event.pk}"] > after[f"e{event.pk}"]


def test_a_page_of_the_biggest_changes_stays_under_100_kb(client, loaded, settings):
    settings.ARCHIVE_PAGE_CACHE = False
    event = loaded["event"]
    people = [PersonFactory(name=f"{'Quelqu’un de très connu ' * 7}{n}") for n in range(16)]
    quotes = [QuoteFactory(event=event, text="Mot " * 500) for _n in range(8)]
    with reversion.create_revision():
        reversion.set_comment(LOAD_COMMENT)
        event.save()
    for number in range(21):
        with reversion.create_revision():
            event.title = f"{number} " + "Titre très long " * 18
            event.summary = "Résumé " * 300 + f"{number} " + "suite " * 300
            event.save()
            event.participations.all().delete()
            for actor in people[number % 2 :: 2]:
                event.participations.create(actor=actor, part="participant")
            for quote in quotes:
                quote.text = f"{number} " + "Parole " * 400
                quote.save()
    response = client.get("/changes/")
    assert response.status_code == 200
    page = text(response)
    assert page.count('class="change"') == 20
    assert "… et 3 de plus" in page  # participants and quotes cut
    assert len(response.content) < 100_000, len(response.content)  # as every page (test_scale)


def test_every_page_links_the_changes_in_its_language(client, loaded):
    assert '<a href="/changes/">Corrections et changements</a>' in text(client.get("/"))
    english = text(client.get("/en/events/"))
    assert '<a href="/en/changes/">Corrections and changes</a>' in english


def test_english_pages_advertise_the_english_feed_of_changes(client, editor, loaded):
    event = loaded["event"]
    correct(editor, event, summary="Un résumé corrigé.")
    english = text(client.get("/en/changes/"))
    assert 'href="/en/feeds/changes.atom"' in english
    assert 'href="/feeds/changes.atom"' not in english
    assert 'href="/feeds/changes.atom"' in text(client.get("/changes/"))
    feed = client.get("/en/feeds/changes.atom")
    assert feed.status_code == 200
    root = ET.fromstring(feed.content)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert root.find(f"{ATOM}title").text == "OpenAI crisis, November 16–20, 2023: the changes"
    entry = root.find(f"{ATOM}entry")
    assert entry.find(f"{ATOM}title").text.startswith("Correction")
    # The explanation stays in the language it was written in.
    assert EXPLANATION in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}link").get("href").endswith("/en" + event.get_absolute_url())
    # The French feed is as it was.
    french = ET.fromstring(client.get("/feeds/changes.atom").content)
    assert french.get("{http://www.w3.org/XML/1998/namespace}lang") == "fr"
    assert client.get("/en/feeds/changes.atom?event=inconnu").status_code == 400
