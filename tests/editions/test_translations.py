"""Translations: what the database accepts, one query per page, how a page marks them, the
admin inline, the disputes and event accounts in English, and the shipped story's English
(nothing missing)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from editions.models import TRANSLATABLE, Translation
from editions.pages import attach
from events.models import Event
from newsarchive.models import DataVersion
from tests.editions.factories import AccountFactory, DisputeFactory, TranslationFactory
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PersonFactory,
    QuoteFactory,
    RoleFactory,
    SourceFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def refused(**fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        Translation.objects.create(**fields)


class TestTheDatabaseKeepsTranslationsWhole:
    def test_one_record_per_translation(self):
        event, actor = EventFactory(), PersonFactory()
        refused(event=event, actor=actor, field="title", text="Two at once")
        refused(field="title", text="Attached to nothing")

    def test_only_the_records_own_fields(self):
        refused(event=EventFactory(), field="description", text="Events have no description")
        refused(quote=QuoteFactory(), field="title", text="Quotes have no title")
        refused(actor=PersonFactory(), field="summary", text="Actors have no summary")
        refused(dispute=DisputeFactory(), field="value", text="A dispute’s answers are accounts")
        refused(account=AccountFactory(), field="question", text="An account asks nothing")
        refused(event=EventFactory(), field="editor_note", text="Not an event’s field")

    def test_the_new_targets_and_fields(self):
        account = AccountFactory()
        for record, field in [
            (EventFactory(), "body"),
            (EventFactory(), "claim_note"),
            (account.dispute, "question"),
            (account.dispute, "summary"),
            (account.dispute, "editor_note"),
            (account, "value"),
            (account, "editor_note"),
        ]:
            target = _target(record)
            made = Translation.objects.create(**{target: record}, field=field, text="English")
            made.full_clean()
            assert made.target == target and made.record == record
            assert Translation.objects.get_by_natural_key(*made.natural_key()) == made
        refused(account=account, field="value", text="A second English value")

    def test_one_translation_per_record_field_and_language(self):
        event = EventFactory()
        TranslationFactory(event=event, field="title")
        refused(event=event, field="title", language="en", text="A second English title")

    def test_no_empty_text_and_no_unknown_language(self):
        refused(event=EventFactory(), field="title", text="")
        refused(event=EventFactory(), field="title", language="de", text="Der Vorstand")

    def test_the_editor_is_told_which_fields_the_record_has(self):
        translation_ = Translation(event=EventFactory(), field="description", text="…")
        with pytest.raises(ValidationError) as error:
            translation_.full_clean()
        assert "field" in error.value.message_dict
        assert "titre" in error.value.message_dict["field"][0]

    def test_deleting_a_record_deletes_its_translations(self):
        event = EventFactory()
        TranslationFactory(event=event)
        event.delete()
        assert not Translation.objects.exists()

    def test_a_new_translation_moves_the_data_version(self):
        # Cached English pages must not keep showing the old text.
        before = DataVersion.objects.current()
        TranslationFactory(event=EventFactory())
        assert DataVersion.objects.current() != before


class TestOneQueryPerPage:
    def test_every_record_shown_gets_its_english_in_one_query(self, django_assert_num_queries):
        sam = PersonFactory(name="Sam Altman")
        board = OrganisationFactory(name="Conseil d’administration d’OpenAI")
        events = EventFactory.create_batch(30, actors=[sam, board])
        TranslationFactory(actor=board, field="name", text="OpenAI’s board of directors")
        for event in events:
            TranslationFactory(event=event, field="title", text=f"English {event.slug}")
        listed = list(Event.objects.for_list().filter(pk__in=[e.pk for e in events]))
        with translation.override("en"), django_assert_num_queries(1):
            attach(listed)
        assert all(event.translated_fields["title"] == f"English {event.slug}" for event in listed)
        # Reached through the prefetched participations, not read again.
        actors = {p.actor.name: p.actor for event in listed for p in event.participations.all()}
        assert actors[board.name].translated_fields == {"name": "OpenAI’s board of directors"}
        assert actors["Sam Altman"].translated_fields == {}

    def test_french_pages_read_nothing(self, django_assert_num_queries):
        events = list(Event.objects.for_list().filter(pk__in=[EventFactory().pk]))
        with translation.override("fr"), django_assert_num_queries(0):
            attach(events)


def render(source, language, **context):
    with translation.override(language):
        return Template("{% load editions %}" + source).render(Context(context))


class TestHowAPageMarksTheLanguage:
    @pytest.fixture
    def event(self):
        event = EventFactory(title="Le conseil licencie Sam Altman", summary="Vendredi à midi.")
        TranslationFactory(event=event, field="title", text="The board fires Sam Altman")
        attach_in_english = Event.objects.get(pk=event.pk)
        with translation.override("en"):
            attach(attach_in_english)
        return attach_in_english

    def test_an_english_page_shows_the_translation_marked_as_such(self, event):
        html = render('{% translated event "title" %}', "en", event=event)
        assert html == '<span class="translation" lang="en">The board fires Sam Altman</span>'

    def test_french_without_a_translation_is_marked_french(self, event):
        html = render('{% translated event "summary" %}', "en", event=event)
        assert html == '<span lang="fr">Vendredi à midi.</span>'

    def test_a_name_without_a_translation_is_a_proper_name(self):
        sam = PersonFactory(name="Sam Altman")
        assert render('{% translated sam "name" %}', "en", sam=sam) == "Sam Altman"

    def test_a_french_page_shows_the_french_as_it_is(self, event):
        assert render('{% translated event "title" %}', "fr", event=event) == (
            "Le conseil licencie Sam Altman"
        )

    def test_the_french_original_is_one_click_away(self, event):
        html = render('{% original event "title" "summary" %}', "en", event=event)
        assert '<details class="original">' in html
        assert '<p lang="fr">Le conseil licencie Sam Altman</p>' in html
        assert "Vendredi" not in html  # no translation, nothing to compare: shown as it is
        assert render('{% original event "title" %}', "fr", event=event) == ""

    def test_text_for_attributes_is_plain(self, event):
        html = render('<title>{{ event|in_language:"title" }}</title>', "en", event=event)
        assert html == "<title>The board fires Sam Altman</title>"


class TestTheAdmin:
    @pytest.fixture
    def editor(self, client):
        user = get_user_model().objects.create_superuser("editrice", "e@example.org", "pw")
        client.force_login(user)
        return client

    @pytest.mark.parametrize(
        "factory, admin_name, prefix",
        [
            (EventFactory, "events_event", "translations-"),
            (PersonFactory, "people_actor", "translations-"),
            (RoleFactory, "people_role", "translations-"),
            (QuoteFactory, "events_quote", "translations-"),
            (SourceFactory, "events_source", "translations-"),
            (DisputeFactory, "events_dispute", "translations-"),
            (AccountFactory, "events_account", "translations-"),
        ],
    )
    def test_each_records_form_has_its_translations(self, editor, factory, admin_name, prefix):
        record = factory()
        TranslationFactory(**{_target(record): record, "field": _first_field(record)})
        page = editor.get(reverse(f"admin:{admin_name}_change", args=[record.pk]))
        html = page.content.decode()
        assert page.status_code == 200
        assert f'name="{prefix}TOTAL_FORMS" value="1"' in html
        assert "English text" in html
        # Only this record's fields are offered.
        choices = re.findall(r'<option value="(\w+)"', _select(html, f"{prefix}0-field"))
        assert set(choices) <= set(TRANSLATABLE[_target(record)][1])

    def test_an_editor_adds_an_english_title_from_the_event_form(self, editor):
        from core.html_forms import form_data

        event = EventFactory()
        url = reverse("admin:events_event_change", args=[event.pk])
        data = form_data(editor.get(url).content.decode(), "event_form")
        data.update(
            {
                "translations-TOTAL_FORMS": ["1"],
                "translations-0-field": ["title"],
                "translations-0-language": ["en"],
                "translations-0-text": ["The board fires Sam Altman"],
            }
        )
        response = editor.post(url, data)
        assert response.status_code == 302, response.content.decode()[:2000]
        assert event.translations.get().text == "The board fires Sam Altman"
        page = editor.get("/en" + event.get_absolute_url())
        assert '<span class="translation" lang="en">The board fires Sam Altman</span>' in (
            page.content.decode()
        )


def _target(record):
    return next(t for t, (model, _f) in TRANSLATABLE.items() if isinstance(record, model))


def _first_field(record):
    return TRANSLATABLE[_target(record)][1][0]


def _select(html, name):
    match = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    return match.group(0) if match else ""


# Organisation names the article gives in French; proper names (« Sam Altman ») need none.
FRENCH_NAME = re.compile(r"[éèêàçù]|\b(d’|de|des|du|le|la|les)\b|’", re.I)


def test_the_shipped_story_has_english_for_every_text_a_reader_sees(story):
    english = {
        (target, getattr(row, f"{target}_id"), row.field)
        for row in Translation.objects.filter(language="en")
        for target in TRANSLATABLE
        if getattr(row, f"{target}_id")
    }
    missing = []

    def need(target, record, field):
        if getattr(record, field) and (target, record.pk, field) not in english:
            missing.append(f"{target} {record.slug}: {field}")

    # Every translatable field of every record; a name only where it is French (« Employés
    # d’OpenAI »): a proper name is the same in English.
    for target, (model, fields) in TRANSLATABLE.items():
        for record in model._default_manager.all():
            for field in fields:
                if target == "actor" and field == "name" and not FRENCH_NAME.search(record.name):
                    continue
                need(target, record, field)
    assert not missing, "No English for:\n" + "\n".join(missing)
    assert Translation.objects.count() >= 250
    # And no translation of an empty French text: English of nothing would be invented.
    invented = [
        f"{row.target} {row.record.slug}: {row.field}"
        for row in Translation.objects.all()
        if not getattr(row.record, row.field)
    ]
    assert not invented, invented


class TestDisputesAndAccountsInEnglish:
    """The disputes page and an event's page: the question, what diverges, each account and
    the editors' notes in English, marked as translations, with their French one click away;
    the French pages as they were."""

    @pytest.fixture
    def dispute(self):
        firing = EventFactory(
            title="Le conseil licencie Sam Altman",
            body="Le fil place la réunion à midi.\n\nStatut : établi.",
        )
        dispute = DisputeFactory(
            question="Quand Sam Altman a-t-il appris son licenciement ?",
            summary="Le fil et l’article ne donnent pas le même ordre.",
            editor_note="L’archive retient l’ordre du fil.",
        )
        dispute.events.add(firing)
        account = AccountFactory(
            dispute=dispute,
            value="À midi, avant Greg Brockman.",
            editor_note="Le fil de Brockman.",
        )
        english = {
            (firing, "body"): "The thread places the meeting at noon.\n\nStatus: established.",
            (dispute, "question"): "When did Sam Altman learn of his firing?",
            (dispute, "summary"): "The thread and the article do not give the same order.",
            (dispute, "editor_note"): "The archive keeps the order of the thread.",
            (account, "value"): "At noon, before Greg Brockman.",
            (account, "editor_note"): "Brockman’s thread.",
        }
        for (record, field), text in english.items():
            TranslationFactory(**{_target(record): record}, field=field, text=text)
        return dispute, firing

    def test_the_english_disputes_page_shows_english_marked_as_translation(self, client, dispute):
        page = client.get("/en/disputes/").content.decode()
        for text in [
            "When did Sam Altman learn of his firing?",
            "The thread and the article do not give the same order.",
            "At noon, before Greg Brockman.",
            "Brockman’s thread.",
            "The archive keeps the order of the thread.",
        ]:
            assert f'<span class="translation" lang="en">{text}</span>' in page, text
        assert f'<h2 id="{dispute[0].slug}-title"><span class="translation" lang="en">' in page
        # The French, one click away and marked French, in the order the page reads.
        original = page.split('<details class="original">')[1].split("</details>")[0]
        french = re.findall(r'<p lang="fr">(.*?)</p>', original)
        assert french == [
            "Quand Sam Altman a-t-il appris son licenciement ?",
            "Le fil et l’article ne donnent pas le même ordre.",
            "À midi, avant Greg Brockman.",
            "Le fil de Brockman.",
            "L’archive retient l’ordre du fil.",
        ]

    def test_the_english_event_page_shows_its_account_and_disputes_in_english(
        self, client, dispute
    ):
        _dispute, firing = dispute
        page = client.get("/en" + firing.get_absolute_url()).content.decode()
        assert (
            '<div class="translation" lang="en"><p>The thread places the meeting at noon.</p>'
            "\n\n<p>Status: established.</p></div>"
        ) in page
        assert '<p lang="fr">Le fil place la réunion à midi.<br><br>Statut : établi.</p>' in page
        assert (
            '<h3><a href="/en/disputes/#' + _dispute.slug + '"><span class="translation" '
            'lang="en">When did Sam Altman learn of his firing?</span></a></h3>'
        ) in page
        assert '<span class="translation" lang="en">At noon, before Greg Brockman.</span>' in page
        assert "Le fil place la réunion à midi.</p>" not in page.split("<details")[0]

    def test_an_untranslated_text_stays_french_marked_french(self, client):
        account = AccountFactory(value="Près de 700 : « ils sont passés à près de 700 ».")
        page = client.get("/en/disputes/").content.decode()
        assert f'<h2 id="{account.dispute.slug}-title" lang="fr">' in page
        assert '<p class="account__value" lang="fr"><span lang="fr">Près de 700' in page
        assert '<span lang="fr">Note sur cette version.</span>' in page

    def test_the_french_pages_show_the_french_as_they_did(self, client, dispute):
        _dispute, firing = dispute
        page = client.get(reverse("disputes")).content.decode()
        assert (
            f'<h2 id="{_dispute.slug}-title" lang="fr">'
            "Quand Sam Altman a-t-il appris son licenciement ?</h2>"
        ) in page
        assert '<p class="account__value" lang="fr">À midi, avant Greg Brockman.</p>' in page
        assert '<span lang="fr">L’archive retient l’ordre du fil.</span>' in page
        assert 'class="translation"' not in page and "original" not in page
        event_page = client.get(firing.get_absolute_url()).content.decode()
        assert '<div lang="fr"><p>Le fil place la réunion à midi.</p>' in event_page
        assert 'class="translation"' not in event_page and "The thread" not in event_page


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


@pytest.mark.parametrize("disputes", [1, 6])
def test_english_disputes_and_event_pages_read_every_translation_in_one_query(
    client, settings, disputes
):
    # The English page makes the French page's queries plus one: every translation on it,
    # however many disputes, accounts and notes it shows.
    settings.ARCHIVE_PAGE_CACHE = False
    event = EventFactory(body="Un récit.", actors=[OrganisationFactory()])
    TranslationFactory(event=event, field="body")
    for _ in range(disputes):
        account = AccountFactory()
        account.dispute.events.add(event)
        AccountFactory(dispute=account.dispute)
        for record, field in [(account, "value"), (account.dispute, "question")]:
            TranslationFactory(**{_target(record): record}, field=field)
    for url in (reverse("disputes"), event.get_absolute_url()):
        french, english = queries(client, url), queries(client, "/en" + url)
        assert english == french + 1, url
    assert queries(client, "/en/disputes/") == {1: 7, 6: 7}[disputes]
    # With the event's latest correction (newsarchive.Correction): one query more.
    assert queries(client, "/en" + event.get_absolute_url()) == {1: 10, 6: 10}[disputes]


def test_an_editors_note_on_a_quote_is_in_english_on_english_pages(client, story):
    note = "This is about Sam Altman’s firing."
    english = client.get("/en/quotes/", {"speaker": "emmett-shear"}).content.decode()
    assert f'<span class="translation" lang="en">{note}</span>' in english
    assert "Il s’agit du licenciement de Sam Altman." not in english
    french = client.get("/quotes/", {"speaker": "emmett-shear"}).content.decode()
    assert "Il s’agit du licenciement de Sam Altman." in french
    assert note not in french
