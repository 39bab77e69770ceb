"""The claim rules applied to every free text of the story, French and English: the checks
of `events.validation` on the records, plus these on the words around them. They live here,
in the app that holds both languages, so `events` never imports up; `manage.py check_story`
runs them all.
"""

import re
from collections import defaultdict
from dataclasses import dataclass

from core.dates import local
from events import validation as records_validation
from events.models import Claim, Dispute, Part
from events.validation import Problem
from people.models import Precision

from .models import TRANSLATABLE, Translation

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


def story_records():
    """The whole story with its translations, in a fixed number of queries."""
    records = records_validation.story_records()
    records.translations = list(
        Translation.objects.values(
            *(f"{name}_id" for name in TRANSLATABLE), "field", "language", "text"
        )
    )
    return records


def validate(records):
    return [*records_validation.validate(records), *check_free_texts(records)]


def validate_story():
    """Every problem in the stored story and its words; an empty list means it is consistent."""
    return validate(story_records())
