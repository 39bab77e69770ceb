"""Editors in the admin: access, editing with inlines, history and revert, stale-save conflicts."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from reversion.models import Version

from core.html_forms import form_data
from events.models import Event, Participation, Quote
from tests.factories import EventFactory, PersonFactory, QuoteFactory, SourceFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def event():
    sam = PersonFactory(name="Sam Altman")
    event = EventFactory(title="Sam Altman est licencié", kind=Event.Kind.FIRING, actors=[sam])
    QuoteFactory(event=event, speaker=sam, text="La première et la dernière fois")
    return event


def change_url(event):
    return reverse("admin:events_event_change", args=[event.pk])


def edit(client, url, form_id="event_form", **changes):
    data = form_data(client.get(url).content.decode(), form_id)
    for name, value in changes.items():
        data[name] = [value]
    return client.post(url, data)


ADMIN_PAGES = [
    "admin:events_event_changelist",
    "admin:events_event_add",
    "admin:events_source_changelist",
    "admin:events_quote_changelist",
    "admin:events_passage_changelist",
    "admin:events_article_changelist",
    "admin:events_roleevidence_changelist",
    "admin:people_actor_changelist",
    "admin:people_actor_add",
    "admin:people_role_changelist",
]


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_anonymous_users_are_sent_to_the_login_page(client, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_admin_pages_render_for_staff(client, editor, event, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert b"errornote" not in response.content


def test_changelist_shows_when_title_kind_and_actors(client, editor, event):
    response = client.get(reverse("admin:events_event_changelist"))
    html = response.content.decode()
    assert "Sam Altman est licencié" in html
    assert "Sam Altman" in html and "licenciement" in html


def test_changelist_filters_by_kind_day_and_actor_and_searches_actor_names(client, editor, event):
    other = EventFactory(title="Autre chose", kind=Event.Kind.STATEMENT, actors=[PersonFactory()])
    url = reverse("admin:events_event_changelist")
    sam = event.participations.get().actor
    for query in [
        {"kind__exact": "firing"},
        {"actor": sam.pk},
        {"q": "Altman"},
        {"day": event.day.isoformat()},
    ]:
        html = client.get(url, query).content.decode()
        assert "Sam Altman est licencié" in html, query
        if "day" not in query:
            assert other.title not in html, query


def test_change_form_has_participant_and_quote_inlines_and_view_on_site(client, editor, event):
    html = client.get(change_url(event)).content.decode()
    assert 'name="participations-0-actor"' in html
    assert 'name="quotes-0-text"' in html
    content_type = ContentType.objects.get_for_model(Event)
    assert reverse("admin:view_on_site", args=[content_type.pk, event.pk]) in html


def test_an_edit_is_recorded_in_history_and_reverting_restores_it(client, editor, event):
    original_title = event.title
    response = edit(
        client, change_url(event), title="Titre modifié", **{"quotes-0-text": "Modifiée"}
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Titre modifié"
    assert Quote.objects.get(event=event).text == "Modifiée"

    versions = Version.objects.get_for_object(event)
    assert versions.count() == 1
    assert versions[0].revision.user == editor
    history = client.get(reverse("admin:events_event_history", args=[event.pk])).content.decode()
    assert "editrice" in history

    # Editing again, then reverting to the first saved version brings the title and quote back.
    edit(client, change_url(event), title="Deuxième titre", **{"quotes-0-text": "Encore"})
    first = Version.objects.get_for_object(event).last()
    revision_url = reverse("admin:events_event_revision", args=[event.pk, first.pk])
    response = edit(client, revision_url)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "Titre modifié"
    assert Quote.objects.get(event=event).text == "Modifiée"
    assert original_title != event.title


def test_a_removed_participant_comes_back_on_revert(client, editor, event):
    edit(client, change_url(event), title="Version avec Sam")
    saved = Version.objects.get_for_object(event).first()
    edit(client, change_url(event), **{"participations-0-DELETE": "on"})
    assert not Participation.objects.filter(event=event).exists()
    edit(client, reverse("admin:events_event_revision", args=[event.pk, saved.pk]))
    assert Participation.objects.filter(event=event, actor__name="Sam Altman").exists()


def test_a_stale_save_gets_a_conflict_and_can_be_reapplied(client, editor, event):
    url = change_url(event)
    first_copy = form_data(client.get(url).content.decode(), "event_form")
    second_copy = form_data(client.get(url).content.decode(), "event_form")

    first_copy["title"] = ["Titre de la première éditrice"]
    assert client.post(url, first_copy).status_code == 302

    second_copy["title"] = ["Titre du second éditeur"]
    response = client.post(url, second_copy)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Conflit" in html and "editrice" in html
    event.refresh_from_db()
    assert event.title == "Titre de la première éditrice"  # nothing overwritten

    # The form comes back with the second editor's text; submitting it again applies it.
    again = form_data(html, "event_form")
    assert again["title"] == ["Titre du second éditeur"]
    assert client.post(url, again).status_code == 302
    event.refresh_from_db()
    assert event.title == "Titre du second éditeur"
    assert Version.objects.get_for_object(event).count() == 2


def test_a_form_opened_before_a_revert_is_stale_after_it(client, editor, event):
    url = change_url(event)
    edit(client, url, title="Premier titre")
    first = Version.objects.get_for_object(event).first()
    edit(client, url, title="Deuxième titre")
    opened_before_revert = form_data(client.get(url).content.decode(), "event_form")
    revert = edit(client, reverse("admin:events_event_revision", args=[event.pk, first.pk]))
    assert revert.status_code == 302
    event.refresh_from_db()
    assert event.title == "Premier titre"

    opened_before_revert["title"] = ["Écrit sur une copie d’avant le retour en arrière"]
    response = client.post(url, opened_before_revert)
    assert response.status_code == 200 and "Conflit" in response.content.decode()
    event.refresh_from_db()
    assert event.title == "Premier titre"


def test_a_bad_admin_form_shows_errors_and_keeps_data(client, editor, event):
    response = edit(client, change_url(event), occurred_at_0="31/11/2023", title="")
    assert response.status_code == 200
    assert b"errornote" in response.content
    event.refresh_from_db()
    assert event.title == "Sam Altman est licencié"


def test_sources_and_actors_are_searchable_for_autocomplete(client, editor, event):
    SourceFactory(title="Fil de tweets de Greg Brockman")
    response = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Altman",
            "app_label": "events",
            "model_name": "participation",
            "field_name": "actor",
        },
    )
    assert response.status_code == 200
    assert "Sam Altman" in response.json()["results"][0]["text"]


@pytest.mark.parametrize("name", ["admin:events_event_changelist", "admin:people_actor_changelist"])
def test_changelists_make_a_fixed_number_of_queries(
    client, editor, name, django_assert_max_num_queries
):
    people = PersonFactory.create_batch(20)
    for index in range(60):
        EventFactory(actors=people[index % 20 : index % 20 + 3])
    with django_assert_max_num_queries(20):
        response = client.get(reverse(name))
    assert response.status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_odd_days_in_the_admin_filter_list_nothing(client, editor, event, day):
    response = client.get(reverse("admin:events_event_changelist"), {"day": day})
    assert response.status_code == 200
    assert "Sam Altman est licencié" not in response.content.decode()


@pytest.mark.parametrize("day", ["2023-02-30", "demain"])
def test_a_day_that_is_none_is_the_admins_invalid_filter(client, editor, event, day):
    url = reverse("admin:events_event_changelist")
    response = client.get(url, {"day": day})
    assert (response.status_code, response["Location"]) == (302, f"{url}?e=1")


def test_every_admin_form_refuses_a_stale_save(client, editor):
    actor = PersonFactory(name="Mira Murati")
    url = reverse("admin:people_actor_change", args=[actor.pk])
    first = form_data(client.get(url).content.decode(), "actor_form")
    second = form_data(client.get(url).content.decode(), "actor_form")
    first["description"] = ["CTO d’OpenAI."]
    assert client.post(url, first).status_code == 302
    second["description"] = ["Autre description."]
    response = client.post(url, second)
    assert response.status_code == 200 and "Conflit" in response.content.decode()
    actor.refresh_from_db()
    assert actor.description == "CTO d’OpenAI."


def test_a_quote_changed_on_its_own_page_makes_the_open_event_stale(client, editor, event):
    event_url = change_url(event)
    open_event = form_data(client.get(event_url).content.decode(), "event_form")
    quote = event.quotes.get()
    edit(
        client,
        reverse("admin:events_quote_change", args=[quote.pk]),
        form_id="quote_form",
        text="Texte corrigé sur la page de la citation",
    )
    # Saving the event page opened before would put the old quote text back: refused.
    response = client.post(event_url, open_event)
    assert response.status_code == 200 and "Conflit" in response.content.decode()
    quote.refresh_from_db()
    assert quote.text == "Texte corrigé sur la page de la citation"


def test_odd_values_in_an_add_page_query_string_are_dropped(client, editor):
    url = reverse("admin:events_event_add")
    response = client.get(url, {"occurred_at": "x", "title": "Titre proposé", "kind": "firing"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="Titre proposé"' in html


def test_an_article_of_thousands_of_passages_links_to_them_instead_of_inlining_them(client, editor):
    from events.admin import PASSAGES_INLINE_MAX
    from events.models import Article, Passage

    article = Article.objects.create(slug="long", title="Un très long article")
    Passage.objects.bulk_create(
        Passage(article=article, number=n, text=f"Paragraphe {n}.")
        for n in range(1, PASSAGES_INLINE_MAX + 2)
    )
    url = f"/admin/events/article/{article.pk}/change/"
    page = client.get(url).content.decode()
    assert f"Voir ses {PASSAGES_INLINE_MAX + 1} passages" in page
    assert f"/admin/events/passage/?article__id__exact={article.pk}" in page
    assert "Paragraphe 1." not in page  # no inline form per passage
    # The article's own fields still save, and its passages stay as they were.
    data = form_data(page, "article_form")
    data["title"] = "Un article plus court"
    assert client.post(url, data).status_code == 302
    article.refresh_from_db()
    assert article.title == "Un article plus court"
    assert article.passages.count() == PASSAGES_INLINE_MAX + 1


def test_the_day_filter_drills_down_from_years_to_months_to_days(client, editor, event):
    from django.utils.timezone import localtime

    from events import counts

    other_month = event.occurred_at.month % 12 + 1  # another month of the same year
    other = EventFactory(
        title="Un autre mois",
        # Noon in the story's time zone: the stored day is the one written here.
        occurred_at=localtime(event.occurred_at).replace(day=1, month=other_month, hour=12),
    )
    counts.rebuild()
    url = reverse("admin:events_event_changelist")
    year = str(event.day.year)
    html = client.get(url).content.decode()
    assert f'href="?day={year}"' in html
    html = client.get(url, {"day": year}).content.decode()
    assert "Sam Altman est licencié" in html and other.title in html
    month = f"{year}-{event.day.month:02d}"
    assert f'href="?day={month}"' in html and f'href="?day={year}-{other_month:02d}"' in html
    html = client.get(url, {"day": month}).content.decode()
    assert "Sam Altman est licencié" in html and other.title not in html
    assert f'href="?day={event.day.isoformat()}"' in html


def test_reverting_one_event_to_the_load_leaves_every_other_record_as_edited(client, editor):
    """The story loads as one revision of every record: going back to it for one event must
    not take the others back too (reversion reverts a whole revision)."""
    import reversion

    sam = PersonFactory(name="Sam Altman")
    with reversion.create_revision():
        first = EventFactory(title="Premier, chargé", actors=[sam])
        second = EventFactory(title="Second, chargé", actors=[sam])
        QuoteFactory(event=second, speaker=sam, text="Citation chargée")
    edit(client, change_url(first), title="Premier, corrigé")
    edit(client, change_url(second), title="Second, corrigé", **{"quotes-0-text": "Changée"})
    loaded = Version.objects.get_for_object(second).last()
    response = edit(client, reverse("admin:events_event_revision", args=[second.pk, loaded.pk]))
    assert response.status_code == 302
    second.refresh_from_db()
    first.refresh_from_db()
    assert second.title == "Second, chargé"
    assert Quote.objects.get(event=second).text == "Citation chargée"
    assert first.title == "Premier, corrigé"  # not reverted with it
    assert Participation.objects.filter(event=first, actor=sam).exists()
