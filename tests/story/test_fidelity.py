"""Issue 11: how sure each fact is, the order of a day, and the accounts that disagree, as
the shipped story holds them and as a reader sees them."""

import datetime
import re
import zoneinfo

import pytest
from django.urls import reverse

from editions.validation import validate_story
from events.models import Account, Claim, Dispute, Event, EventOrder
from people.models import Role

pytestmark = pytest.mark.usefixtures("story")

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")
GUILLEMETS = re.compile(r"«\s*(.+?)\s*»")

# Every event that does not rest on the article's own word, and on whose word it rests.
CLAIMS = {
    "ilya-sutskever-contacte-sam-altman": (Claim.REPORTED, "greg-brockman"),
    "mira-murati-informee-la-veille": (Claim.ALLEGED, "greg-brockman"),
    "greg-brockman-recoit-un-sms-d-ilya": (Claim.REPORTED, "greg-brockman"),
    "equipe-de-direction-informee": (Claim.REPORTED, "greg-brockman"),
    "ilya-sutskever-ecrit-a-toute-l-entreprise": (Claim.REPORTED, "the-information"),
    "microsoft-prevenu-quelques-minutes-avant-l-annonce": (Claim.REPORTED, "bloomberg"),
    "ilya-sutskever-aurait-dit-aux-employes-qu-ils-se-sentiraient-plus-proches": (
        Claim.UNCONFIRMED,
        None,
    ),
    "brad-lightcap-ecrit-que-la-decision-a-pris-la-direction-par-surprise": (
        Claim.REPORTED,
        "axios",
    ),
    "the-information-revele-que-la-vente-d-actions-est-menacee": (
        Claim.REPORTED,
        "the-information",
    ),
    # « aurait mené cette charge » names no source; Bloomberg is cited for what follows
    # (issue 20 point 5).
    "satya-nadella-aurait-mene-la-charge": (Claim.UNCONFIRMED, None),
    "mira-murati-avait-prevu-de-reembaucher-altman-et-brockman": (Claim.REPORTED, "ashley-vance"),
}


def text(response):
    """The page as a reader reads it: French typography's no-break spaces as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


def local(moment):
    return moment.astimezone(PACIFIC)


# ------------------------------------------------------------------ claims
def test_each_event_rests_on_the_word_the_article_gives():
    held = {
        event.slug: (event.claim, event.claimed_by and event.claimed_by.slug)
        for event in Event.objects.select_related("claimed_by")
    }
    attributed = {slug: claim for slug, claim in held.items() if claim[0] != Claim.ESTABLISHED}
    assert attributed == CLAIMS
    # Every judgement about a claim is explained beside it.
    for slug in CLAIMS:
        assert "Statut : " in Event.objects.get(slug=slug).body or slug.startswith(
            ("microsoft-prevenu", "satya-nadella-aurait", "ilya-sutskever-aurait")
        ), slug


def test_second_hand_words_in_the_article_are_never_established():
    # « selon », « aurait », « affirme », « a accusé »: the passages an established event
    # cites alone never carry them for what the event states.
    for slug in [
        "satya-nadella-aurait-mene-la-charge",
        "ilya-sutskever-ecrit-a-toute-l-entreprise",
    ]:
        event = Event.objects.get(slug=slug)
        text = " ".join(p.text for p in event.passages.all())
        assert re.search(r"aurait|selon|Selon|affirment", text), slug
        assert event.claim != Claim.ESTABLISHED


def test_the_list_filters_on_claims_with_the_stories_counts(client):
    response = client.get(reverse("events:event_list"), {"claim": "reported"})
    assert response.context["paginator"].count == 8
    assert "selon Bloomberg" in text(response) and "selon Axios" in text(response)
    facets = {row["claim"]: row["count"] for row in response.context["facets"]["claim"]}
    assert facets == {"reported": 8}
    bare = client.get(reverse("events:event_list"))
    facets = {row["claim"]: row["count"] for row in bare.context["facets"]["claim"]}
    # Issue 11 point 5 added two established events and one reported (Murati's plan); issue
    # 20 point 5 made Nadella's charge unconfirmed.
    assert facets == {"established": 21, "reported": 8, "alleged": 1, "unconfirmed": 2}


def test_brockmans_accusation_reads_as_one_on_its_page(client):
    event = Event.objects.get(slug="mira-murati-informee-la-veille")
    page = text(client.get(event.get_absolute_url()))
    assert "accusation de Greg Brockman</span></h1>" in page
    assert "Qui savait avant l’annonce ?" in page


# ------------------------------------------------------------------ the order of a day
def day_titles(client, day):
    response = client.get(reverse("events:event_list"), {"day": day})
    return [event.slug for event in response.context["object_list"]]


def test_every_after_link_holds_and_cites_its_passage():
    orders = EventOrder.objects.select_related("event", "after")
    # Eleven from the first pass; two for issue 11 point 5 (Murati’s plan before Shear, the
    # deadline after the letter); one for issue 20 point 3 (Murati’s appointment after
    # Brockman’s removal).
    assert orders.count() == 14
    for order in orders:
        assert (order.after.occurred_at, order.after.slug) < (
            order.event.occurred_at,
            order.event.slug,
        ), order
        assert order.passages.exists() and order.editor_note
    assert validate_story() == []


def test_friday_reads_in_the_articles_order(client):
    slugs = day_titles(client, "2023-11-17")
    before = [
        ("greg-brockman-recoit-un-sms-d-ilya", "greg-brockman-retire-du-conseil-d-administration"),
        ("microsoft-prevenu-quelques-minutes-avant-l-annonce", "openai-publie-un-article-de-blog"),
        ("openai-publie-un-article-de-blog", "ilya-sutskever-ecrit-a-toute-l-entreprise"),
        ("ilya-sutskever-ecrit-a-toute-l-entreprise", "reunion-generale-avec-le-personnel"),
        ("reunion-generale-avec-le-personnel", "satya-nadella-publie-une-declaration"),
        ("brockman-annonce-sa-demission", "jakub-pachocki-et-aleksander-madry-demissionnent"),
    ]
    for earlier, later in before:
        assert slugs.index(earlier) < slugs.index(later), (earlier, later)
    # Nadella's statement used to sort at noon, before the announcement it reacts to.
    assert slugs.index("satya-nadella-publie-une-declaration") > slugs.index(
        "openai-publie-un-article-de-blog"
    )


def test_monday_puts_the_hire_before_the_letter_that_mentions_it(client):
    slugs = day_titles(client, "2023-11-20")
    assert slugs[0] == "microsoft-embauche-sam-altman-et-greg-brockman"
    assert slugs.index("lettre-ouverte-des-employes-d-openai") < slugs.index(
        "sam-altman-salue-l-equipe-de-direction"
    )


def test_a_moved_representative_time_is_never_shown(client):
    nadella = Event.objects.get(slug="satya-nadella-publie-une-declaration")
    page = text(client.get(nadella.get_absolute_url()))
    assert '<time datetime="2023-11-17">vendredi 17 novembre 2023</time>' in page
    assert "16 h" not in page.split("<main")[1].split("D’après les sources")[0]
    hire = Event.objects.get(slug="microsoft-embauche-sam-altman-et-greg-brockman")
    page = text(client.get(hire.get_absolute_url()))
    assert '<time datetime="2023-11-20">lundi 20 novembre 2023</time>' in page


def test_check_story_catches_an_order_the_times_contradict():
    Event.objects.filter(slug="satya-nadella-publie-une-declaration").update(
        occurred_at=datetime.datetime(2023, 11, 17, 12, tzinfo=PACIFIC)
    )
    problems = [str(problem) for problem in validate_story()]
    assert problems == [
        "ordre « satya-nadella-publie-une-declaration » après "
        "« reunion-generale-avec-le-personnel » : l’ordre enregistré des deux événements "
        "contredit ce lien"
    ]


def test_brockman_learns_of_his_demotion_around_12_23_not_at_that_minute(client):
    event = Event.objects.get(slug="greg-brockman-retire-du-conseil-d-administration")
    page = text(client.get(event.get_absolute_url()))
    assert "vendredi 17 novembre 2023, vers 12 h</time>" in page
    assert "12 h 23" not in page.split("<h1")[1].split("</header>")[0]


# ------------------------------------------------------------------ roles
def test_who_works_for_microsoft_on_monday_morning():
    monday = datetime.datetime(2023, 11, 20, 9, tzinfo=PACIFIC)
    hired = Role.objects.held_at(monday).filter(organisation__slug="microsoft")
    assert sorted(hired.values_list("person__slug", flat=True)) == [
        "greg-brockman",
        "sam-altman",
        "satya-nadella",
    ]
    sunday = datetime.datetime(2023, 11, 19, 20, tzinfo=PACIFIC)
    assert not Role.objects.held_at(sunday).filter(slug="sam-altman-embauche-microsoft").exists()


def test_the_leadership_team_altman_names():
    members = Role.objects.filter(organisation__slug="equipe-de-direction-d-openai")
    assert sorted(members.values_list("person__slug", flat=True)) == [
        "brad-lightcap",
        "jason",
        "mira-murati",
    ]
    assert all(role.start is None and role.end is None for role in members)


# ------------------------------------------------------------------ accounts and figures
def test_every_quoted_fragment_of_an_account_is_verbatim_in_its_passages():
    accounts = Account.objects.prefetch_related("passages")
    assert accounts.count() == 19
    for account in accounts:
        texts = [passage.text for passage in account.passages.all()]
        for fragment in GUILLEMETS.findall(account.value):
            assert any(fragment in text for text in texts), (account.slug, fragment)


def test_the_quoted_words_of_the_new_events_are_verbatim():
    for slug in [
        "microsoft-prevenu-quelques-minutes-avant-l-annonce",
        "ilya-sutskever-aurait-dit-aux-employes-qu-ils-se-sentiraient-plus-proches",
    ]:
        event = Event.objects.get(slug=slug)
        texts = [passage.text for passage in event.passages.all()]
        for fragment in GUILLEMETS.findall(event.summary):
            assert any(fragment in text for text in texts), (slug, fragment)


def test_the_disputes_page_sets_brockmans_two_orders_side_by_side(client):
    page = text(client.get(reverse("disputes")))
    for dispute in Dispute.objects.all():
        assert dispute.question in page
    first = page.index("Vendredi à midi, dans un Google Meet")
    second = page.index("Brockman est d’abord informé qu’il sera rétrogradé")
    assert first < second
    assert "L’archive retient l’ordre du fil" in page
    english = text(client.get("/en" + reverse("disputes")))
    assert "Accounts and figures that disagree" in english


def test_figures_keep_both_numbers_with_their_dates():
    figures = Dispute.objects.get(slug="nombre-de-signataires-de-la-lettre-ouverte")
    values = [account.value for account in figures.accounts.order_by("position")]
    assert values[0].startswith("Plus de 500") and values[1].startswith("Près de 700")
    first = figures.accounts.get(slug="plus-de-500-signataires")
    assert (local(first.stated_at).hour, first.stated_precision) == (9, "morning")
    assert figures.accounts.get(slug="pres-de-700-signataires").stated_at is None
