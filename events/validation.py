"""Consistency checks on the story data, beyond what the database constraints enforce.

`validate_story()` loads the whole story in a fixed number of queries and returns a list of
`Problem`s, each naming the record it is about. The `check_*` functions take records (saved or
not) so each rule can be exercised on its own; they expect related data to be prefetched when
it comes from the database (see `story_records`).
"""

import itertools
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Prefetch

from core.dates import local
from events.models import (
    CLAIMS_WITH_CLAIMANT,
    Account,
    Claim,
    Dispute,
    Event,
    EventOrder,
    Participation,
    Passage,
    Quote,
    Source,
)
from people.models import Actor, Alias, Precision, Role


@dataclass(frozen=True)
class Problem:
    record: str  # e.g. "événement « le-conseil-licencie-sam-altman »"
    message: str

    def __str__(self):
        return f"{self.record} : {self.message}"


def _event(event):
    return f"événement « {event.slug} »"


def _role(role):
    return f"rôle « {role.slug} »"


def _quote(quote):
    return f"citation « {quote.slug} »"


def _source(source):
    return f"source « {source.slug} »"


def _furniture(passages):
    return sorted(p.number for p in passages if p.kind == Passage.Kind.FURNITURE)


def _citation_problems(record, passages, missing="aucun passage cité"):
    """A record must cite a passage of the story, and no page furniture."""
    if not passages:
        yield Problem(record, missing)
    if furniture := _furniture(passages):
        yield Problem(record, f"cite l'habillage de la page (passages {furniture})")


# ------------------------------------------------------------------------------------ events
def check_events(events):
    """Every event has participants and cites at least one passage, none of them furniture."""
    problems = []
    for event in events:
        if not list(event.participations.all()):
            problems.append(Problem(_event(event), "aucun participant"))
        problems += _citation_problems(_event(event), list(event.passages.all()))
    return problems


# A vague time is stored as a representative inside the period the text gives
# (fixtures/README.md): [start, end) in hours of the Pacific day; the night runs past midnight.
PERIODS = {
    Precision.MORNING: (5, 12),
    Precision.AFTERNOON: (12, 18),
    Precision.EVENING: (18, 24),
    Precision.NIGHT: (21, 24 + 6),
}


def check_representative_times(events):
    """A part-of-day time lies inside that part of the day, so that moving it to keep the
    article's order never says more than the text."""
    problems = []
    for event in events:
        period = PERIODS.get(event.precision)
        if period is None:
            continue
        moment = local(event.occurred_at)
        hour = moment.hour + moment.minute / 60
        if hour < 6 and event.precision == Precision.NIGHT:
            hour += 24
        if not period[0] <= hour < period[1]:
            problems.append(
                Problem(
                    _event(event),
                    f"l’heure enregistrée ({moment:%H:%M}) sort de la période « "
                    f"{Precision(event.precision).label} » ({period[0]} h–{period[1] % 24} h)",
                )
            )
    return problems


def check_claims(events):
    """An event resting on someone's word names someone who is the author or the outlet of
    one of its sources: « selon Bloomberg » needs a Bloomberg source."""
    problems = []
    for event in events:
        if event.claim not in CLAIMS_WITH_CLAIMANT:
            continue
        if event.claimed_by_id is None:
            problems.append(Problem(_event(event), f"statut « {event.claim} » sans « selon qui »"))
            continue
        vouching = {s.author_id for s in event.sources.all()} | {
            s.outlet_id for s in event.sources.all()
        }
        if event.claimed_by_id not in vouching:
            problems.append(
                Problem(
                    _event(event),
                    "« selon » nomme un acteur qui n’est ni l’auteur ni le média d’aucune de "
                    "ses sources",
                )
            )
    return problems


# Words by which the article signals that it does not vouch for what a passage says itself:
# the conditional, an attribution, an accusation, anonymous sources. A start, not a parser.
HEDGES = re.compile(
    r"\b(aurai(?:t|ent)|selon|à notre connaissance|accus\w*|des sources|sources anonymes"
    r"|d[’']après|affirme(?:nt)?)\b",
    re.IGNORECASE,
)


def check_hedges(events):
    """An established event cites no passage that hedges, unless its `claim_note` says why
    the hedge does not bear on this fact (« selon les normes Internet » is no attribution)."""
    problems = []
    for event in events:
        if event.claim != Claim.ESTABLISHED or event.claim_note.strip():
            continue
        hedged = sorted(
            {
                (p.number, m.group(1).lower())
                for p in event.passages.all()
                for m in HEDGES.finditer(p.text)
            }
        )
        if hedged:
            found = ", ".join(f"§ {number} « {word} »" for number, word in hedged)
            problems.append(
                Problem(
                    _event(event),
                    f"statut « établi » mais ses passages sont au conditionnel ou attribués "
                    f"({found}) : changer le statut ou justifier dans « justification du statut »",
                )
            )
    return problems


def check_event_order(orders):
    """Every « after » link agrees with the stored order (occurred_at, slug), and cites the
    passage that gives the order."""
    problems = []
    for order in orders:
        record = f"ordre « {order.event.slug} » après « {order.after.slug} »"
        later = (order.event.occurred_at, order.event.slug)
        earlier = (order.after.occurred_at, order.after.slug)
        if not earlier < later:
            problems.append(
                Problem(record, "l’ordre enregistré des deux événements contredit ce lien")
            )
        problems += _citation_problems(record, list(order.passages.all()))
    return problems


# ---------------------------------------------------------------------------------- disputes
def check_disputes(disputes):
    """A dispute sets at least two accounts side by side; each cites a story passage."""
    problems = []
    for dispute in disputes:
        accounts = list(dispute.accounts.all())
        if len(accounts) < 2:
            problems.append(
                Problem(f"divergence « {dispute.slug} »", "moins de deux versions côte à côte")
            )
        for account in accounts:
            problems += _citation_problems(
                f"version « {account.slug} »", list(account.passages.all())
            )
    return problems


# ------------------------------------------------------------------------------------- roles
def _evidence(role):
    try:
        return role.evidence
    except ObjectDoesNotExist:
        return None


def check_role_dates(roles):
    """A role never ends before it starts."""
    return [
        Problem(
            _role(role),
            f"se termine ({role.end.isoformat()}) avant de commencer ({role.start.isoformat()})",
        )
        for role in roles
        if role.start is not None and role.end is not None and role.end < role.start
    ]


def _overlap(a, b):
    """Do two tenures share a moment? Unknown start/end means open-ended; the end is excluded."""
    a_before_b_ends = a.start is None or b.end is None or a.start < b.end
    b_before_a_ends = b.start is None or a.end is None or b.start < a.end
    return a_before_b_ends and b_before_a_ends


def check_sole_positions(roles):
    """A sole position (same organisation and title) has one holder at a time."""
    positions = defaultdict(list)
    for role in roles:
        if role.is_sole:
            positions[(role.organisation_id, role.title.casefold())].append(role)
    problems = []
    for holders in positions.values():
        for a, b in itertools.combinations(sorted(holders, key=lambda r: r.slug), 2):
            if _overlap(a, b):
                problems.append(
                    Problem(
                        _role(a),
                        f"le poste unique « {a.title} » est aussi tenu au même moment par "
                        f"« {b.slug} »",
                    )
                )
    return problems


def check_role_evidence(roles):
    """Every role cites at least one passage (through its evidence), none of them furniture."""
    problems = []
    for role in roles:
        evidence = _evidence(role)
        passages = list(evidence.passages.all()) if evidence is not None else []
        problems += _citation_problems(
            _role(role), passages, "aucun passage cité (provenance manquante)"
        )
    return problems


# ------------------------------------------------------------------------------------ quotes
def check_quotes(quotes):
    """Every quote cites a passage, and its text is found, verbatim, in one of them."""
    problems = []
    for quote in quotes:
        passages = list(quote.passages.all())
        problems += _citation_problems(_quote(quote), passages)
        if passages and not any(quote.text in passage.text for passage in passages):
            numbers = sorted(p.number for p in passages)
            problems.append(
                Problem(
                    _quote(quote),
                    f"le texte ne se trouve mot pour mot dans aucun de ses passages {numbers}",
                )
            )
    return problems


# ----------------------------------------------------------------------------------- sources
def check_sources(sources):
    """A source cites no page furniture."""
    problems = []
    for source in sources:
        if furniture := _furniture(source.passages.all()):
            problems.append(
                Problem(_source(source), f"cite l'habillage de la page (passages {furniture})")
            )
    return problems


# ----------------------------------------------------------------------------------- aliases
def check_aliases(actors, aliases):
    """A name designates one actor: no alias is claimed by two actors (case-insensitively),
    and no alias is another actor's name or slug."""
    problems = []
    claims = defaultdict(set)
    for alias in aliases:
        claims[alias.name.casefold()].add(alias.actor_id)
    for actor in actors:
        for key in {actor.name.casefold(), actor.slug.casefold()}:
            claims[key].add(actor.pk)
    names = {actor.pk: actor.slug for actor in actors}
    for alias in sorted(aliases, key=lambda a: a.name.casefold()):
        owners = claims[alias.name.casefold()]
        if len(owners) > 1:
            others = sorted(names.get(pk, str(pk)) for pk in owners)
            problems.append(
                Problem(f"alias « {alias.name} »", f"désigne plusieurs acteurs : {others}")
            )
    # The same text claimed twice only needs saying once.
    return list(dict.fromkeys(problems))


# ------------------------------------------------------------------------------------ story
@dataclass
class StoryRecords:
    events: list
    roles: list
    quotes: list
    sources: list
    actors: list
    aliases: list
    orders: list
    disputes: list
    # Rows {"event_id"…, "field", "language", "text"}: filled by editions.validation, which
    # checks the free texts of both languages (this app knows nothing of translations).
    translations: list = ()


def story_records():
    """The whole story, with what the checks need, in a fixed number of queries."""
    passages = Passage.objects.only("pk", "number", "kind", "text", "article_id")
    return StoryRecords(
        events=list(
            Event.objects.prefetch_related(
                Prefetch(
                    "participations",
                    queryset=Participation.objects.only(
                        "pk", "event_id", "actor_id", "part", "part_claim"
                    ),
                ),
                Prefetch("passages", queryset=passages),
                Prefetch("sources", queryset=Source.objects.only("pk", "author_id", "outlet_id")),
            )
        ),
        roles=list(
            Role.objects.select_related("evidence").prefetch_related(
                Prefetch(
                    "evidence__passages",
                    queryset=passages,
                )
            )
        ),
        quotes=list(Quote.objects.prefetch_related(Prefetch("passages", queryset=passages))),
        sources=list(Source.objects.prefetch_related(Prefetch("passages", queryset=passages))),
        actors=list(Actor.objects.only("pk", "name", "slug", "description")),
        aliases=list(Alias.objects.all()),
        orders=list(
            EventOrder.objects.select_related("event", "after").prefetch_related(
                Prefetch("passages", queryset=passages)
            )
        ),
        disputes=list(
            Dispute.objects.prefetch_related(
                Prefetch("accounts", queryset=Account.objects.order_by("position")),
                Prefetch("accounts__passages", queryset=passages),
                Prefetch("events", queryset=Event.objects.only("pk", "occurred_at", "precision")),
            )
        ),
    )


def validate(records):
    return [
        *check_events(records.events),
        *check_representative_times(records.events),
        *check_claims(records.events),
        *check_hedges(records.events),
        *check_event_order(records.orders),
        *check_disputes(records.disputes),
        *check_role_dates(records.roles),
        *check_sole_positions(records.roles),
        *check_role_evidence(records.roles),
        *check_quotes(records.quotes),
        *check_sources(records.sources),
        *check_aliases(records.actors, records.aliases),
    ]


def validate_story():
    """Every problem in the stored story; an empty list means the story is consistent."""
    return validate(story_records())
