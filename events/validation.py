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

from editions.models import TRANSLATABLE, Translation
from events.disputes import Account, Dispute
from events.models import (
    CLAIMS_WITH_CLAIMANT,
    Claim,
    Event,
    EventOrder,
    Part,
    Participation,
    Passage,
    Quote,
    Source,
)
from people.dates import local
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


# -------------------------------------------------------------------------------- free texts
# The claim rules hold for every free text, not only for events (issue 20). A description,
# summary, body or note must not state as fact what the archive holds only on someone's word:
# - a clock time (« 12 h 19 », « midi ») that only such events carry: events that are not
#   established, or whose only accounts in a dispute all come from one party (Brockman's
#   thread is the only word on when Altman and Brockman were told);
# - the part of the day of a reported, alleged or unconfirmed event (« la veille », « jeudi
#   soir »), said of one of the actors whose part rests on that word (Murati « informée la
#   veille »).
# Where a text says it, the same sentence says on whose word: a hedge (« selon », « aurait »,
# « accuse », « le fil »…; "according to", "allegedly", "thread"…). Words inside quotation
# marks are the sources' own and are not read for times; a sentence about the archive's stored
# times (« heure représentative ») states no fact. A start, not a parser, like HEDGES.
TEXT_HEDGES = {
    "fr": re.compile(
        r"\b(selon|d[’']après|aurai(?:t|ent)|accus\w*|affirm\w*|rapport(?:e|ent|é|ée|és|ées)"
        r"|raconte\w*|fil|obtenu\w*|dit avoir|non confirmé\w*|allégu\w*|à notre connaissance"
        r"|sources?)\b",
        re.IGNORECASE,
    ),
    "en": re.compile(
        r"\b(according to|reported(?:ly)?|reports?|alleg\w*|claims?|accus\w*|thread|obtained"
        r"|says he|unconfirmed|as far as we know|sources?)\b",
        re.IGNORECASE,
    ),
}
STORED_TIMES = {
    "fr": re.compile(r"heure (?:représentative|de référence|enregistrée)", re.IGNORECASE),
    "en": re.compile(r"(?:representative|reference) time|time recorded", re.IGNORECASE),
}
QUOTED = re.compile(r"«[^»]*»|“[^”]*”")
# A sentence ends before a capital, a quotation mark or a new line (not inside « 12:19 p.m. »).
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[«“A-ZÀ-ÖØ-Þ])|\n+")
WEEKDAYS = {
    "fr": ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"],
    "en": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
}
CLOCK_PRECISIONS = {Precision.MINUTE, Precision.HOUR}


def _clock_time(moment):
    """How the texts write a clock time, in each language: « 12 h 19 », « midi »; 12:19, noon."""
    hour, minute = moment.hour, moment.minute
    twelve = hour % 12 or 12
    if minute:
        french, english = rf"\b{hour}\s?h\s?{minute:02d}\b", rf"\b{twelve}:{minute:02d}\b"
    elif hour == 12:
        french, english = r"(?<![-\w])midi\b", r"\bnoon\b"
    else:
        french = rf"\b{hour}\s?h\b(?!\s?\d)"
        english = rf"\b{twelve}(?::00)?\s?[ap]\.m\."
    return {"fr": re.compile(french, re.IGNORECASE), "en": re.compile(english, re.IGNORECASE)}


def _part_of_day(moment, precision):
    """How the texts name an event's part of the day: « la veille », « jeudi soir »…"""
    day = {language: names[moment.weekday()] for language, names in WEEKDAYS.items()}
    french = {
        Precision.NIGHT: rf"la veille|nuit précédente|nuit du {day['fr']}",
        Precision.EVENING: rf"{day['fr']} soir|hier soir",
        Precision.MORNING: rf"{day['fr']} matin|lendemain matin",
        Precision.AFTERNOON: rf"{day['fr']} après-midi",
    }
    english = {
        Precision.NIGHT: rf"(?:night|day) before|night prior|night of {day['en']}",
        Precision.EVENING: rf"{day['en']} evening|last night",
        Precision.MORNING: rf"{day['en']} morning|morning after|next morning",
        Precision.AFTERNOON: rf"{day['en']} afternoon",
    }
    if precision not in french:
        return None
    return {
        "fr": re.compile(rf"\b(?:{french[precision]})\b", re.IGNORECASE),
        "en": re.compile(rf"\b(?:{english[precision]})\b", re.IGNORECASE),
    }


@dataclass(frozen=True)
class WordBound:
    """Something the archive holds only on someone's word, as the texts would write it."""

    patterns: dict  # {"fr": regex, "en": regex}
    events: tuple  # the events that carry it
    words: tuple  # on whose word, for the message: « selon Greg Brockman »…
    actors: frozenset = frozenset()  # for a part of the day: the actors it is said of


def _on_whose_word(claim, claimant):
    if claim == Claim.ALLEGED:
        return f"sur l’accusation de {claimant}"
    if claim == Claim.REPORTED:
        return f"selon {claimant}"
    return "sans confirmation"


def _word_bound(records):
    """The clock times and parts of the day the archive holds only on someone's word."""
    names = {actor.pk: actor.name for actor in records.actors}
    single_teller = {}
    for dispute in records.disputes:
        tellers = {account.actor_id for account in dispute.accounts.all()}
        if dispute.kind == Dispute.Kind.ACCOUNTS and len(tellers) == 1 and None not in tellers:
            for event in dispute.events.all():
                single_teller[event.pk] = names.get(next(iter(tellers)), "")
    clocks = defaultdict(list)  # (hour, minute) -> [(event, on whose word)], None if vouched
    bound = []
    for event in records.events:
        moment = local(event.occurred_at)
        if event.claim != Claim.ESTABLISHED:
            words = _on_whose_word(event.claim, names.get(event.claimed_by_id, ""))
        elif event.pk in single_teller:
            words = _on_whose_word(Claim.REPORTED, single_teller[event.pk])
        else:
            words = None
        if event.precision in CLOCK_PRECISIONS:
            clocks[(moment.hour, moment.minute)].append((event, words))
        if event.claim == Claim.ESTABLISHED:
            continue
        patterns = _part_of_day(moment, event.precision)
        carrying = frozenset(
            p.actor_id
            for p in event.participations.all()
            if p.part != Part.MENTIONED and p.part_claim != Claim.ESTABLISHED
        )
        if patterns and carrying:
            bound.append(WordBound(patterns, (event,), (words,), carrying))
    for _clock, carriers in sorted(clocks.items()):
        if all(words for _event, words in carriers):
            moment = local(carriers[0][0].occurred_at)
            events = tuple(event for event, _words in carriers)
            bound.append(WordBound(_clock_time(moment), events, tuple(w for _e, w in carriers)))
    return bound


@dataclass(frozen=True)
class FreeText:
    record: str  # « acteur « mira-murati », description »
    text: str
    language: str
    about: frozenset  # the actors the record describes (an actor; a role's holder)


def _free_texts(records):
    """Every free text of the story, French and English, but those resting on someone's word
    by construction: the texts of an event that is not established (its badge says on whose
    word), of an account someone gives, and the translations of quotes."""
    texts, attributed = [], set()

    def add(record, text, about=(), language="fr"):
        if text and text.strip():
            texts.append(FreeText(record, text, language, frozenset(about)))

    for event in records.events:
        if event.claim != Claim.ESTABLISHED:
            attributed.add(("event", event.pk))
            continue
        for field in ("title", "summary", "body", "claim_note"):
            add(f"événement « {event.slug} », {field}", getattr(event, field))
    for actor in records.actors:
        add(f"acteur « {actor.slug} », description", actor.description, {actor.pk})
    for role in records.roles:
        add(f"rôle « {role.slug} », note", role.note, {role.person_id})
    for quote in records.quotes:
        add(f"citation « {quote.slug} », editor_note", quote.editor_note)
    for source in records.sources:
        add(f"source « {source.slug} », description", source.description)
    accounts = {}
    for dispute in records.disputes:
        add(f"divergence « {dispute.slug} », summary", dispute.summary)
        add(f"divergence « {dispute.slug} », editor_note", dispute.editor_note)
        for account in dispute.accounts.all():
            accounts[account.pk] = account
            if account.actor_id is not None:
                attributed.add(("account", account.pk))
                continue
            add(f"version « {account.slug} », value", account.value)
            add(f"version « {account.slug} », editor_note", account.editor_note)
    for order in records.orders:
        add(f"ordre « {order.event.slug} » après « {order.after.slug} »", order.editor_note)
    slugs = {
        "event": {e.pk: e.slug for e in records.events},
        "actor": {a.pk: a.slug for a in records.actors},
        "role": {r.pk: r.slug for r in records.roles},
        "quote": {q.pk: q.slug for q in records.quotes},
        "source": {s.pk: s.slug for s in records.sources},
        "dispute": {d.pk: d.slug for d in records.disputes},
        "account": {pk: account.slug for pk, account in accounts.items()},
    }
    labels = {
        "event": "événement",
        "actor": "acteur",
        "role": "rôle",
        "quote": "citation",
        "source": "source",
        "dispute": "divergence",
        "account": "version",
    }
    holders = {role.pk: role.person_id for role in records.roles}
    for row in records.translations:
        target = next(name for name in TRANSLATABLE if row[f"{name}_id"] is not None)
        pk, field = row[f"{target}_id"], row["field"]
        if (target, pk) in attributed or field == "name" or (target, field) == ("quote", "text"):
            continue
        about = {pk} if target == "actor" else {holders[pk]} if target == "role" else ()
        record = f"{labels[target]} « {slugs[target].get(pk, pk)} », {field} (en)"
        add(record, row["text"], about, row["language"])
    return texts


def _actor_names(records):
    """Each actor's names as the texts write them: name, aliases, English name."""
    names = defaultdict(set)
    for actor in records.actors:
        names[actor.pk].add(actor.name)
    for alias in records.aliases:
        names[alias.actor_id].add(alias.name)
    for row in records.translations:
        if row["actor_id"] is not None and row["field"] == "name":
            names[row["actor_id"]].add(row["text"])
    return {
        pk: re.compile(
            r"(?<!\w)(?:"
            + "|".join(re.escape(n) for n in sorted(found, key=len, reverse=True))
            + r")(?!\w)",
            re.IGNORECASE,
        )
        for pk, found in names.items()
    }


def check_free_texts(records):
    """No free text states as fact, without saying on whose word, a clock time or a part of
    the day that the archive holds only on someone's word (see above)."""
    bound = _word_bound(records)
    names = _actor_names(records)
    problems = []
    for free in _free_texts(records):
        language = free.language if free.language in TEXT_HEDGES else "en"
        for sentence in SENTENCE_END.split(free.text):
            if TEXT_HEDGES[language].search(sentence) or STORED_TIMES[language].search(sentence):
                continue
            plain = QUOTED.sub("", sentence)
            for word in bound:
                found = word.patterns[language].search(plain)
                if found is None:
                    continue
                if word.actors and not (
                    free.about & word.actors
                    or any(names[pk].search(plain) for pk in word.actors if pk in names)
                ):
                    continue
                carriers = ", ".join(
                    f"« {event.slug} » {words}"
                    for event, words in zip(word.events, word.words, strict=True)
                )
                problems.append(
                    Problem(
                        free.record,
                        f"dit comme un fait « {found.group(0)} », que l’archive ne tient que sur "
                        f"la parole de quelqu’un ({carriers}) : dire dans la phrase selon qui "
                        f"(« selon … », « aurait », « accuse ») ou le retirer",
                    )
                )
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
    translations: list = ()  # rows: {"event_id"…, "field", "language", "text"}


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
        translations=list(
            Translation.objects.values(
                *(f"{name}_id" for name in TRANSLATABLE), "field", "language", "text"
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
        *check_free_texts(records),
    ]


def validate_story():
    """Every problem in the stored story; an empty list means the story is consistent."""
    return validate(story_records())
