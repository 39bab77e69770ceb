"""Accounts and figures that disagree: side by side on /disputes/ and on the event page."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from events.models import Account, Dispute
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    SourceFactory,
)

from .conftest import pacific

pytestmark = pytest.mark.postgres

URL = reverse("disputes")


def text(response):
    """The page as a reader reads it: French typography's no-break spaces as plain ones."""
    return response.content.decode().replace("\u00a0", " ").replace("\u202f", " ")


def dispute_with_accounts(number=0, accounts=2, event=None):
    dispute = Dispute.objects.create(
        slug=f"divergence-{number}",
        question=f"Question {number} : qui a raison ?",
        kind=Dispute.Kind.ACCOUNTS,
        summary="Deux récits ne concordent pas.",
        editor_note="L’archive retient le premier.",
        position=number,
    )
    for position in range(1, accounts + 1):
        account = Account.objects.create(
            slug=f"version-{number}-{position}",
            dispute=dispute,
            position=position,
            value=f"Version {position} de la question {number}.",
            actor=PersonFactory(),
            source=SourceFactory(),
            stated_at=pacific(17, 20),
            stated_precision="evening",
        )
        account.passages.add(PassageFactory())
    if event:
        dispute.events.add(event)
    return dispute


@pytest.fixture
def brockman(db):
    greg = PersonFactory(name="Greg Brockman")
    firing = EventFactory(title="Le conseil licencie Sam Altman", occurred_at=pacific(17, 12))
    dispute = Dispute.objects.create(
        slug="comment-sam-altman-a-appris-son-licenciement",
        question="Quand et comment Sam Altman a-t-il appris son licenciement ?",
        kind=Dispute.Kind.ACCOUNTS,
        summary="Le fil et l’article ne donnent pas le même ordre.",
        editor_note="L’archive retient l’ordre du fil.",
    )
    dispute.events.add(firing)
    thread = SourceFactory(title="Fil de tweets de Greg Brockman", outlet=None, author=greg)
    first = Account.objects.create(
        slug="a-midi",
        dispute=dispute,
        position=1,
        value="À midi, avant Greg Brockman.",
        actor=greg,
        source=thread,
        stated_at=pacific(17, 20),
        stated_precision="evening",
    )
    first.passages.add(PassageFactory(number=6))
    second = Account.objects.create(
        slug="dix-minutes-apres",
        dispute=dispute,
        position=2,
        value="Dix minutes après Greg Brockman.",
        actor=greg,
    )
    second.passages.add(PassageFactory(number=10))
    return dispute, firing


def test_the_page_sets_the_accounts_side_by_side(client, brockman):
    dispute, firing = brockman
    response = client.get(URL)
    page = text(response)
    assert "<h1>Versions et chiffres qui divergent</h1>" in page
    assert (
        '<h2 id="comment-sam-altman-a-appris-son-licenciement-title" lang="fr">'
        "Quand et comment Sam Altman a-t-il appris son licenciement ?</h2>" in page
    )
    # Both versions, in order, each with who gives it, the source and when, and its passage.
    assert page.index("À midi, avant Greg Brockman.") < page.index("Dix minutes après")
    assert "<cite>Fil de tweets de Greg Brockman</cite>" in page
    assert '<time datetime="2023-11-17">vendredi 17 novembre 2023, soir</time>' in page
    title = '<cite lang="fr">Article de test</cite>'
    assert f'href="/sources/article-de-test/#p6">§ 6 de {title}</a>' in page
    assert f'href="/sources/article-de-test/#p10">§ 10 de {title}</a>' in page
    assert (
        '<strong>Note de la rédaction :</strong> <span lang="fr">L’archive retient l’ordre du fil.'
        in page
    )
    events = page.split('class="dispute__events small"')[1].split("</p>")[0]
    assert f'<a href="{firing.get_absolute_url()}">Le conseil licencie Sam Altman</a>' in events


def test_the_page_exists_in_english_and_is_in_the_navigation(client, brockman):
    page = text(client.get("/en/disputes/"))
    assert "<h1>Accounts and figures that disagree</h1>" in page
    assert "According to" in page
    home = text(client.get(reverse("home")))
    assert f'<a href="{URL}">Versions</a>' in home
    assert f'<a href="{URL}" aria-current="page">Versions</a>' in text(client.get(URL))


def test_the_event_page_shows_its_disputes(client, brockman):
    dispute, firing = brockman
    page = text(client.get(firing.get_absolute_url()))
    assert '<h2 id="disputes-title">Versions et chiffres qui divergent</h2>' in page
    assert f'<a href="{URL}#{dispute.slug}">{dispute.question}</a>' in page
    assert "À midi, avant Greg Brockman." in page and "Dix minutes après Greg Brockman." in page
    other = EventFactory(title="Sans divergence")
    assert "disputes-title" not in text(client.get(other.get_absolute_url()))


def test_the_database_refuses_a_date_without_its_precision(db):
    dispute = dispute_with_accounts(accounts=0)
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(
            slug="sans-precision", dispute=dispute, value="x", stated_at=pacific(17)
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        Account.objects.create(slug="vide", dispute=dispute, value="")


def test_the_page_query_count_is_fixed(client, db, django_assert_max_num_queries):
    event = EventFactory(actors=[OrganisationFactory()])
    for number in range(25):
        dispute_with_accounts(number, accounts=3, event=event)
    # Data and key versions, count, disputes, accounts (with actor and source), passages,
    # events.
    with django_assert_max_num_queries(8):
        response = client.get(URL)
    assert response.context["paginator"].count == 25
    assert text(response).count('class="account"') == 20 * 3
    # The event page's budget, disputes and its latest correction included.
    with django_assert_max_num_queries(10):
        response = client.get(event.get_absolute_url())
    assert text(response).count('class="account"') == 25 * 3


def test_a_page_that_does_not_exist_says_so_with_a_400(client, brockman):
    response = client.get(reverse("disputes") + "?page=99")
    assert response.status_code == 400
    page = response.content.decode()
    assert "La page « 99 » n’existe pas : la liste en compte 1." in page
    assert "Aucune divergence" not in page
