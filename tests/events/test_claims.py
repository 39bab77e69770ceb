"""Claims: how sure an event is and on whose word, as a reader sees it on every page."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from events import counts
from events.models import Claim, Event, FacetCount
from tests.factories import EventFactory, OrganisationFactory, PersonFactory

from .conftest import pacific
from .test_event_list import listed

pytestmark = pytest.mark.postgres

URL = reverse("events:event_list")


def text(response):
    """The page as a reader reads it: French typography's no-break spaces as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture
def claims(db):
    greg = PersonFactory(name="Greg Brockman")
    bloomberg = OrganisationFactory(name="Bloomberg", organisation_kind="media")
    sam = PersonFactory(name="Sam Altman")
    return {
        "fired": EventFactory(
            title="Le conseil licencie Sam Altman", occurred_at=pacific(17, 12), actors=[sam]
        ),
        "notice": EventFactory(
            title="Microsoft prévenu quelques minutes avant",
            occurred_at=pacific(17, 13),
            claim=Claim.REPORTED,
            claimed_by=bloomberg,
            actors=[sam],
        ),
        "eve": EventFactory(
            title="Mira Murati informée la veille",
            occurred_at=pacific(16, 23),
            precision="night",
            claim=Claim.ALLEGED,
            claimed_by=greg,
            actors=[greg],
        ),
        "remark": EventFactory(
            title="Sutskever aurait parlé de se sentir plus proches",
            occurred_at=pacific(17, 15),
            precision="afternoon",
            claim=Claim.UNCONFIRMED,
            actors=[sam, greg],
        ),
    }


# ------------------------------------------------------------------ the database
@pytest.mark.parametrize(
    "claim, with_claimant",
    [
        (Claim.REPORTED, False),
        (Claim.ALLEGED, False),
        (Claim.ESTABLISHED, True),
        (Claim.UNCONFIRMED, True),
        ("rumeur", False),
    ],
)
def test_the_database_refuses_a_claim_without_its_claimant_or_with_one_too_many(
    db, claim, with_claimant
):
    claimant = PersonFactory() if with_claimant else None
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(claim=claim, claimed_by=claimant)


def test_an_existing_event_is_established_by_default(db):
    assert EventFactory().claim == Claim.ESTABLISHED


# ------------------------------------------------------------------ badges by the titles
def test_the_list_shows_a_badge_by_each_title_that_rests_on_someones_word(client, claims):
    page = text(client.get(URL))
    assert (
        '<span class="badge badge--claim badge--reported" lang="fr" title="rapporté">'
        "selon Bloomberg</span>" in page
    )
    assert "accusation de Greg Brockman</span>" in page
    assert ">non confirmé</span>" in page
    # The established event has no badge: its title stands alone.
    assert '">Le conseil licencie Sam Altman</a></h4>' in page
    assert page.count("badge--claim") == 3


def test_the_event_page_says_the_status_and_links_the_claimant(client, claims):
    page = text(client.get(claims["notice"].get_absolute_url()))
    assert "selon Bloomberg</span></h1>" in page
    assert "Statut : rapporté</a>" in page
    assert "L’article le tient de cette source et ne l’établit pas lui-même." in page
    bloomberg = claims["notice"].claimed_by
    assert f'<a href="{bloomberg.get_absolute_url()}">Bloomberg</a>' in page
    # Its neighbours carry their own badges: the next one is the unconfirmed remark.
    assert "plus proches" in page and "non confirmé</span> <span" in page
    established = text(client.get(claims["fired"].get_absolute_url()))
    assert "Statut :" not in established


def test_the_badge_reads_in_english_under_en(client, claims):
    page = text(client.get("/en" + claims["eve"].get_absolute_url()))
    assert '<span class="badge badge--claim badge--alleged" lang="en"' in page
    assert "allegation by Greg Brockman</span>" in page
    assert "according to Bloomberg" in text(client.get("/en/events/"))


def test_badges_on_the_home_page_search_and_actor_page(client, claims):
    assert "selon Bloomberg" in text(client.get(reverse("home")))
    assert "selon Bloomberg" in text(client.get(reverse("search"), {"q": "prévenu"}))
    sam = claims["notice"].participations.get().actor
    assert "selon Bloomberg" in text(client.get(sam.get_absolute_url()))


# ------------------------------------------------------------------ the claim filter
def test_the_claim_filter_lists_those_events_with_a_chip_and_a_title(client, claims):
    response = client.get(URL, {"claim": "reported"})
    assert listed(response) == ["Microsoft prévenu quelques minutes avant"]
    page = text(response)
    assert "statut : rapporté" in page
    assert "<title>Événements · rapporté" in page


def test_the_claim_facet_counts_and_toggles(client, claims):
    response = client.get(URL)
    rows = {row["claim"]: row for row in response.context["facets"]["claim"]}
    assert {claim: row["count"] for claim, row in rows.items()} == {
        "established": 1,
        "reported": 1,
        "alleged": 1,
        "unconfirmed": 1,
    }
    assert rows["alleged"]["href"] == "?claim=alleged"
    assert 'id="facet-claim">Par statut</h3>' in text(response)
    response = client.get(URL, {"claim": "alleged"})
    active = [row for row in response.context["facets"]["claim"] if row["active"]]
    assert [row["href"] for row in active] == ["?"]  # clicking it again removes the filter


def test_one_actor_and_a_claim_read_the_actors_rows(client, claims):
    greg = claims["eve"].claimed_by
    response = client.get(URL, {"actor": greg.slug, "claim": "unconfirmed"})
    assert listed(response) == ["Sutskever aurait parlé de se sentir plus proches"]
    counts_ = {row["claim"]: row["count"] for row in response.context["facets"]["claim"]}
    assert counts_ == {"unconfirmed": 1}
    response = client.get(URL, {"actor": greg.slug})
    counts_ = {row["claim"]: row["count"] for row in response.context["facets"]["claim"]}
    assert counts_ == {"alleged": 1, "unconfirmed": 1}


def test_claim_with_words_or_a_kind_counts_over_the_filtered_events(client, claims):
    response = client.get(URL, {"claim": "reported", "q": "microsoft"})
    assert listed(response) == ["Microsoft prévenu quelques minutes avant"]
    response = client.get(URL, {"claim": "established", "kind": "statement"})
    assert listed(response) == ["Le conseil licencie Sam Altman"]


@pytest.mark.parametrize("query", ["claim=rumeur", "claim=reported&claim=alleged"])
def test_a_bad_claim_is_a_form_error_not_a_500(client, claims, query):
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 400
    assert 'href="#id_claim">Statut</a>' in text(response)


# ------------------------------------------------------------------ kept counts
def cells(actor=None):
    return dict(FacetCount.objects.filter(actor=actor, facet="claim").values_list("value", "count"))


def test_kept_claim_counts_follow_a_change_and_equal_a_rebuild(claims):
    greg = claims["eve"].claimed_by
    assert cells() == {"established": 1, "reported": 1, "alleged": 1, "unconfirmed": 1}
    event = Event.objects.get(pk=claims["remark"].pk)
    event.claim, event.claimed_by = Claim.ALLEGED, greg
    event.save()
    assert cells() == {"established": 1, "reported": 1, "alleged": 2}
    assert cells(greg) == {"alleged": 2}
    assert set(event.participations.values_list("claim", flat=True)) == {"alleged"}
    rows = ("actor", "facet", "value", "other", "count")
    before = sorted(FacetCount.objects.values_list(*rows), key=str)
    counts.rebuild()
    after = sorted(FacetCount.objects.values_list(*rows), key=str)
    assert before == after
    event.delete()
    assert cells() == {"established": 1, "reported": 1, "alleged": 1}


# ------------------------------------------------------------------ bounded
def test_claim_pages_stay_within_the_query_budget(
    client, large_story, django_assert_max_num_queries
):
    actors, events = large_story
    reporter = OrganisationFactory(organisation_kind="media")
    for event in events[::3]:
        event.claim, event.claimed_by = Claim.REPORTED, reporter
        event.save()
    for query in [
        "claim=reported",
        f"claim=reported&actor={actors[0].slug}",
        f"claim=established&actor={actors[0].slug}&actor={actors[1].slug}",
        "claim=reported&sort=desc&page=3",
    ]:
        with django_assert_max_num_queries(11):  # data version (page cache), source facet
            response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, query
        assert "badge--claim" in text(response) or "claim=established" in query


# ------------------------------------------------------------------ the admin
@pytest.fixture
def editor(client, db):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser("editrice", "e@example.org", "pw-for-tests")
    client.force_login(user)
    return user


def test_an_editor_sets_a_claim_and_readers_see_the_badge(client, claims, editor):
    from core.html_forms import form_data

    event = claims["fired"]
    url = reverse("admin:events_event_change", args=[event.pk])
    data = form_data(client.get(url).content.decode(), "event_form")
    bloomberg = claims["notice"].claimed_by
    data["claim"] = ["reported"]
    data["claimed_by"] = [""]
    response = client.post(url, data)
    assert response.status_code == 200  # refused: « selon qui ? » is required
    assert Event.objects.get(pk=event.pk).claim == Claim.ESTABLISHED
    data = form_data(response.content.decode(), "event_form")
    data["claim"], data["claimed_by"] = ["reported"], [str(bloomberg.pk)]
    assert client.post(url, data).status_code == 302
    client.logout()
    assert "selon Bloomberg</span></h1>" in text(client.get(event.get_absolute_url()))


@pytest.mark.parametrize(
    "name",
    ["admin:events_dispute_changelist", "admin:events_dispute_add", "admin:events_eventorder_add"],
)
def test_the_admin_edits_disputes_and_order_links(client, editor, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
