"""`events.validation`, `editions.validation` and `manage.py check_story`: each kind of
problem is found and named."""

import datetime
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from editions.validation import story_records, validate_story
from events.models import Event, Passage, Quote, RoleEvidence
from events.validation import check_aliases, check_role_dates, check_sole_positions
from people.models import Actor, Alias, Precision, Role
from tests.factories import (
    EventFactory,
    OrganisationFactory,
    PassageFactory,
    PersonFactory,
    QuoteFactory,
    RoleFactory,
)

pytestmark = pytest.mark.postgres

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def at(day, hour=12, minute=0):
    return datetime.datetime(2023, 11, day, hour, minute, tzinfo=PACIFIC)


def messages(problems):
    return [str(problem) for problem in problems]


def cited_role(**kwargs):
    """A saved role with its provenance, so that only the rule under test can complain."""
    role = RoleFactory(**kwargs)
    evidence = RoleEvidence.objects.create(role=role)
    evidence.passages.add(PassageFactory())
    return role


# ------------------------------------------------------------------ the shipped story
def test_the_shipped_story_has_no_problem(story):
    assert messages(validate_story()) == []


def test_check_story_says_the_story_is_ok(story, capsys):
    call_command("check_story")
    out = capsys.readouterr().out
    assert out.startswith(f"Story OK: {Event.objects.count()} events, ")
    assert f"{Quote.objects.count()} quotes" in out and f"{Role.objects.count()} roles" in out


def test_check_story_fails_listing_each_problem(story, capsys):
    Event.objects.get(slug="mea-culpa-d-ilya-sutskever").participations.all().delete()
    Quote.objects.filter(slug="shear-pas-assez-fou").update(text="Je suis assez fou")
    with pytest.raises(CommandError, match=r"2 problem\(s\)"):
        call_command("check_story")
    err = capsys.readouterr().err
    assert "événement « mea-culpa-d-ilya-sutskever » : aucun participant" in err
    assert "citation « shear-pas-assez-fou »" in err


def test_validation_runs_in_a_bounded_number_of_queries(story, django_assert_num_queries):
    # 17, then 19 with issue 20's free texts (the disputes' events, the translations).
    with django_assert_num_queries(19):
        validate_story()
    # More records, same number of queries: nothing is fetched once per record.
    for _ in range(5):
        event = EventFactory(actors=[PersonFactory()], passages=[PassageFactory()])
        QuoteFactory(event=event).passages.add(PassageFactory())
        cited_role()
    with django_assert_num_queries(19):
        validate_story()


# ------------------------------------------------------------------ events
def test_an_event_without_participants_is_reported(db):
    event = EventFactory(passages=[PassageFactory()])
    assert messages(validate_story()) == [f"événement « {event.slug} » : aucun participant"]


def test_an_event_without_a_passage_is_reported(db):
    event = EventFactory(actors=[PersonFactory()])
    assert messages(validate_story()) == [f"événement « {event.slug} » : aucun passage cité"]


def test_an_event_citing_page_furniture_is_reported(story):
    event = Event.objects.get(slug="altman-annonce-une-nouvelle-startup")
    event.passages.add(Passage.objects.get(number=21))  # the Humane headline link
    assert messages(validate_story()) == [
        "événement « altman-annonce-une-nouvelle-startup » : "
        "cite l'habillage de la page (passages [21])"
    ]


# ------------------------------------------------------------------ roles
def test_a_role_ending_before_it_starts_is_reported():
    role = RoleFactory.build(
        slug="a-l-envers",
        start=at(18),
        start_precision=Precision.DAY,
        end=at(17),
        end_precision=Precision.DAY,
    )
    assert messages(check_role_dates([role])) == [
        "rôle « a-l-envers » : se termine (2023-11-17T12:00:00-08:00) "
        "avant de commencer (2023-11-18T12:00:00-08:00)"
    ]


def test_a_role_ending_when_it_starts_or_later_is_fine():
    same = RoleFactory.build(
        start=at(17), start_precision=Precision.DAY, end=at(17), end_precision=Precision.DAY
    )
    open_ended = RoleFactory.build(start=at(17), start_precision=Precision.DAY)
    assert check_role_dates([same, open_ended]) == []


def test_the_database_refuses_a_role_ending_before_it_starts(db):
    # Why the date rule is also checked on records in memory: such a row cannot be stored.
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleFactory(
            start=at(18), start_precision=Precision.DAY, end=at(17), end_precision=Precision.DAY
        )


def test_two_holders_of_a_sole_position_at_once_are_reported(story):
    openai = Actor.objects.get(slug="openai")
    intruder = cited_role(
        slug="greg-brockman-pdg-imaginaire",
        person=Actor.objects.get(slug="greg-brockman"),
        organisation=openai,
        title="PDG",
        is_sole=True,
        start=at(18),
        start_precision=Precision.DAY,
    )
    problems = messages(validate_story())
    # Saturday onwards overlaps Murati's interim and Shear's open-ended one, not Altman's tenure.
    assert len(problems) == 2
    assert all(intruder.slug in problem and "PDG" in problem for problem in problems)
    assert any("mira-murati-pdg-par-interim-openai" in problem for problem in problems)
    assert any("emmett-shear-pdg-par-interim-openai" in problem for problem in problems)


def test_successive_or_shared_positions_are_not_reported(db):
    company = OrganisationFactory()
    roles = [
        # Successive holders: the first one's end is the second one's start.
        RoleFactory.build(
            organisation=company, end=at(17), end_precision=Precision.HOUR, title="PDG"
        ),
        RoleFactory.build(
            organisation=company, start=at(17), start_precision=Precision.HOUR, title="PDG"
        ),
        # A position that is not sole can have several holders at once.
        RoleFactory.build(organisation=company, title="membre du conseil", is_sole=False),
        RoleFactory.build(organisation=company, title="membre du conseil", is_sole=False),
        # Another organisation's chief executive.
        RoleFactory.build(organisation=OrganisationFactory(), title="PDG"),
    ]
    assert check_sole_positions(roles) == []


def test_a_tenure_with_unknown_dates_overlaps_every_other(db):
    company = OrganisationFactory()
    known = RoleFactory.build(
        slug="connu",
        organisation=company,
        start=at(17),
        start_precision=Precision.DAY,
        end=at(19),
        end_precision=Precision.DAY,
    )
    unknown = RoleFactory.build(slug="inconnu", organisation=company)
    assert messages(check_sole_positions([known, unknown])) == [
        "rôle « connu » : le poste unique « PDG » est aussi tenu au même moment par « inconnu »"
    ]


def test_a_role_without_a_passage_is_reported(story):
    RoleEvidence.objects.get(role__slug="brad-lightcap-coo-openai").passages.clear()
    orphan = RoleFactory(slug="sans-provenance")  # no evidence at all
    assert messages(validate_story()) == [
        "rôle « brad-lightcap-coo-openai » : aucun passage cité (provenance manquante)",
        f"rôle « {orphan.slug} » : aucun passage cité (provenance manquante)",
    ]


# ------------------------------------------------------------------ quotes
def test_a_quote_not_found_verbatim_is_reported(story):
    Quote.objects.filter(slug="sources-de-bloomberg-furieuse").update(text="furieux")
    assert messages(validate_story()) == [
        "citation « sources-de-bloomberg-furieuse » : "
        "le texte ne se trouve mot pour mot dans aucun de ses passages [24]"
    ]


def test_a_quote_with_an_ordinary_space_for_a_non_breaking_one_is_reported(story):
    quote = Quote.objects.get(slug="nadella-declaration-du-17-novembre")
    assert "\u00a0;" in quote.text
    quote.text = quote.text.replace("\u00a0", " ")
    quote.save()
    assert messages(validate_story()) == [
        "citation « nadella-declaration-du-17-novembre » : "
        "le texte ne se trouve mot pour mot dans aucun de ses passages [14]"
    ]


def test_a_quote_found_only_in_a_passage_it_does_not_cite_is_reported(story):
    quote = Quote.objects.get(slug="altman-incroyablement-fier-d-eux")
    quote.passages.set([Passage.objects.get(number=37)])
    assert messages(validate_story()) == [
        "citation « altman-incroyablement-fier-d-eux » : "
        "le texte ne se trouve mot pour mot dans aucun de ses passages [37]"
    ]


def test_a_quote_without_a_passage_is_reported(story):
    Quote.objects.get(slug="shear-le-devoir-d-aider").passages.clear()
    assert messages(validate_story()) == [
        "citation « shear-le-devoir-d-aider » : aucun passage cité"
    ]


# ------------------------------------------------------------------ aliases
def test_an_alias_claimed_by_two_actors_is_reported(db):
    sam, samuel = PersonFactory(name="Sam Altman"), PersonFactory(name="Samuel Autre")
    aliases = [Alias(actor=sam, name="Sam"), Alias(actor=samuel, name="sAM")]
    problems = messages(check_aliases([sam, samuel], aliases))
    assert problems == [
        "alias « Sam » : désigne plusieurs acteurs : ['sam-altman', 'samuel-autre']",
        "alias « sAM » : désigne plusieurs acteurs : ['sam-altman', 'samuel-autre']",
    ]


def test_the_database_refuses_an_alias_claimed_twice(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        Alias.objects.create(actor=Actor.objects.get(slug="greg-brockman"), name="SAM")


def test_an_alias_that_is_another_actors_name_is_reported(story):
    Alias.objects.create(actor=Actor.objects.get(slug="greg-brockman"), name="mira murati")
    assert messages(validate_story()) == [
        "alias « mira murati » : désigne plusieurs acteurs : ['greg-brockman', 'mira-murati']"
    ]


def test_story_records_hold_the_whole_story(story):
    records = story_records()
    assert len(records.events) == Event.objects.count()
    assert len(records.roles) == Role.objects.count()
    assert len(records.quotes) == Quote.objects.count()
    assert len(records.aliases) == Alias.objects.count()


# ------------------------------------------------------------------ claims, order, disputes
def test_a_part_of_day_time_outside_its_period_is_reported(db):
    from events.validation import check_representative_times

    morning_at_three = EventFactory(slug="matin", occurred_at=at(18, 15), precision="morning")
    late_night = EventFactory(slug="nuit", occurred_at=at(17, 1), precision="night")
    evening = EventFactory(slug="soir", occurred_at=at(17, 21), precision="evening")
    assert messages(check_representative_times([morning_at_three, late_night, evening])) == [
        "événement « matin » : l’heure enregistrée (15:00) sort de la période « matin » (5 h–12 h)"
    ]


def test_a_claimant_who_is_not_behind_any_source_is_reported(db):
    from events.validation import check_claims
    from tests.factories import SourceFactory

    bloomberg = OrganisationFactory(name="Bloomberg", organisation_kind="media")
    axios = OrganisationFactory(name="Axios", organisation_kind="media")
    vouched = EventFactory(slug="selon-bloomberg", claim="reported", claimed_by=bloomberg)
    vouched.sources.add(SourceFactory(outlet=bloomberg))
    unvouched = EventFactory(slug="selon-axios", claim="reported", claimed_by=axios)
    unvouched.sources.add(SourceFactory(outlet=bloomberg))
    assert messages(check_claims([vouched, unvouched])) == [
        "événement « selon-axios » : « selon » nomme un acteur qui n’est ni l’auteur ni le "
        "média d’aucune de ses sources"
    ]


def test_an_order_link_without_a_passage_is_reported(db):
    from events.models import EventOrder
    from events.validation import check_event_order

    first = EventFactory(slug="premier", occurred_at=at(17, 12))
    second = EventFactory(slug="second", occurred_at=at(17, 13))
    order = EventOrder.objects.create(event=second, after=first)
    assert messages(check_event_order([order])) == [
        "ordre « second » après « premier » : aucun passage cité"
    ]
    backwards = EventOrder.objects.create(event=first, after=second)
    backwards.passages.add(PassageFactory())
    assert "contredit ce lien" in messages(check_event_order([backwards]))[0]


def test_the_database_refuses_an_event_after_itself(db):
    from events.models import EventOrder

    event = EventFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventOrder.objects.create(event=event, after=event)


def test_a_dispute_with_a_single_account_is_reported(db):
    from events.models import Account, Dispute
    from events.validation import check_disputes

    dispute = Dispute.objects.create(slug="seule", question="?", kind="accounts", summary="…")
    Account.objects.create(slug="unique", dispute=dispute, value="Une seule version.")
    assert messages(check_disputes([dispute])) == [
        "divergence « seule » : moins de deux versions côte à côte",
        "version « unique » : aucun passage cité",
    ]


# ------------------------------------------------------------------ free texts (issue 20)
def word_bound(record, found, carriers):
    return (
        f"{record} : dit comme un fait « {found} », que l’archive ne tient que sur la parole de "
        f"quelqu’un ({carriers}) : dire dans la phrase selon qui (« selon … », « aurait », "
        "« accuse ») ou le retirer"
    )


FIRING = "« le-conseil-licencie-sam-altman » selon Greg Brockman"


def test_a_clock_time_only_one_partys_word_gives_is_reported_unless_hedged(story):
    # The firing is established, but its hour comes from Brockman's thread alone: both
    # accounts of « Quand et comment Sam Altman a-t-il appris son licenciement ? » are his.
    altman = Actor.objects.get(slug="sam-altman")
    altman.description = "Licencié le vendredi 17 novembre 2023 à midi, en visioconférence."
    altman.save()
    assert messages(validate_story()) == [
        word_bound("acteur « sam-altman », description", "midi", FIRING)
    ]
    altman.description = "Licencié le vendredi 17 novembre 2023 (à midi, selon son fil)."
    altman.save()
    assert messages(validate_story()) == []


def test_a_clock_time_stops_being_word_bound_when_another_party_gives_an_account(story):
    from events.models import Account

    Actor.objects.filter(slug="sam-altman").update(description="Licencié vendredi à midi.")
    assert len(validate_story()) == 1
    Account.objects.create(
        slug="une-autre-version",
        dispute_id=Account.objects.get(
            slug="altman-informe-a-midi-selon-le-fil-de-brockman"
        ).dispute_id,
        position=3,
        value="Une autre partie le raconte.",
        actor=Actor.objects.get(slug="conseil-d-administration-d-openai"),
    ).passages.add(Passage.objects.get(number=10))
    assert messages(validate_story()) == []


def test_the_time_of_a_reported_event_is_reported_in_any_free_text(story):
    note = Role.objects.get(slug="greg-brockman-president-openai")
    note.note = "Il reçoit un SMS à 12h19 ; il démissionne le soir."
    note.save()
    assert messages(validate_story()) == [
        word_bound(
            "rôle « greg-brockman-president-openai », note",
            "12h19",
            "« greg-brockman-recoit-un-sms-d-ilya » selon Greg Brockman",
        )
    ]


def test_the_english_is_held_to_the_same_rule(story):
    from editions.models import Translation

    english = Translation.objects.get(actor__slug="sam-altman", field="description")
    english.text = "Fired on Friday, November 17, 2023 at noon, by video call."
    english.save()
    assert messages(validate_story()) == [
        word_bound("acteur « sam-altman », description (en)", "noon", FIRING)
    ]
    english.text = "Fired on Friday (at noon, according to Greg Brockman’s thread)."
    english.save()
    assert messages(validate_story()) == []


def test_the_part_of_day_of_an_alleged_event_said_of_its_actor_is_reported(story):
    murati = Actor.objects.get(slug="mira-murati")
    murati.description = "CTO d’OpenAI, informée la veille du licenciement de Sam Altman."
    murati.save()
    assert messages(validate_story()) == [
        word_bound(
            "acteur « mira-murati », description",
            "la veille",
            "« mira-murati-informee-la-veille » sur l’accusation de Greg Brockman",
        )
    ]
    murati.description = "CTO d’OpenAI, informée la veille, accuse Greg Brockman."
    murati.save()
    assert messages(validate_story()) == []
    # Said of someone whose part does not rest on that word, the same words are no claim.
    Actor.objects.filter(slug="sam-altman").update(
        description="Son avis de licenciement est publié la veille du samedi."
    )
    assert messages(validate_story()) == []


def test_the_part_of_day_of_a_reported_event_named_in_another_record(story):
    board = Actor.objects.get(slug="conseil-d-administration-d-openai")
    board.description = "Ilya Sutskever, l’un de ses membres, contacte Sam Altman jeudi soir."
    board.save()
    assert messages(validate_story()) == [
        word_bound(
            "acteur « conseil-d-administration-d-openai », description",
            "jeudi soir",
            "« ilya-sutskever-contacte-sam-altman » selon Greg Brockman",
        )
    ]


def test_quoted_words_stored_times_and_the_events_own_texts_are_not_claims(story):
    from events.models import EventOrder

    # « À 12h19 » quotes the thread; a representative time is the archive's own storage; a
    # reported event's own summary is under its badge (« selon Greg Brockman »).
    order = EventOrder.objects.get(event__slug="greg-brockman-retire-du-conseil-d-administration")
    assert "« À 12h19 »" in order.editor_note.replace("\u00a0", " ")
    sms = Event.objects.get(slug="greg-brockman-recoit-un-sms-d-ilya")
    assert sms.summary.startswith("À 12 h 19")
    Actor.objects.filter(slug="sam-altman").update(
        description="Son heure représentative est midi, vendredi."
    )
    assert messages(validate_story()) == []


# ------------------------------------------------------------------ several sources
def test_the_checks_read_the_passages_of_every_source(story):
    from tests.factories import ArticleFactory

    second = ArticleFactory(slug="suite", title="La suite de l’histoire")
    plain = PassageFactory(article=second, number=1, text="Sam Altman revient le 22 novembre.")
    hedged = PassageFactory(article=second, number=2, text="Il aurait posé ses conditions.")
    sam = Actor.objects.get(slug="sam-altman")
    event = EventFactory(slug="retour", actors=[sam], passages=[plain], occurred_at=at(22))
    quote = QuoteFactory(event=event, speaker=sam, text="revient le 22 novembre")
    quote.passages.set([plain])
    assert messages(validate_story()) == []
    # A hedge in the second source counts as one in the first does.
    event.passages.add(hedged)
    assert messages(validate_story()) == [
        "événement « retour » : statut « établi » mais ses passages sont au conditionnel ou "
        "attribués (§ 2 « aurait ») : changer le statut ou justifier dans « justification du "
        "statut »"
    ]
