"""What each passage of a draft names, for the review: the known actors (by name or alias) and
the dates and times (events.importing.moments).

Actors are recognised with the keys `Actor.objects.matching` compares, so a passage names an
actor exactly when searching its words would find them: the name's or alias's `name_key`
(case, accents and apostrophes folded, as search folds them) or the slug's. Every run of up
to as many words as the longest name is tried, the longest first, without overlaps;
« d’OpenAI » is tried as « OpenAI » too, and "Altman's" as "Altman".
"""

import re
from dataclasses import dataclass, field

from core.text import name_key, slug_key
from people.models import Actor, Alias

from .moments import Moment, find_moments

WORD = re.compile(r"\S+")
LEADING = re.compile(r"^[\W_]+")
TRAILING = re.compile(r"[\W_]+$")
# French elisions before a name (« d’OpenAI », « l’entreprise »), and the English possessive.
ELISION = re.compile(r"^(?:[dlcjmnst]|qu|jusqu|lorsqu|puisqu)['’]", re.IGNORECASE)
POSSESSIVE = re.compile(r"['’]s$", re.IGNORECASE)


@dataclass
class Named:
    actor: Actor
    words: list[str] = field(default_factory=list)  # as written in the passage


@dataclass
class Mentions:
    actors: list[Named]
    moments: list[Moment]


class ActorKeys:
    """The comparable keys of every actor's name, aliases and slug, read once per review."""

    def __init__(self):
        self.by_key = {}
        for pk, key, slug in Actor.objects.values_list("pk", "name_key", "slug").iterator():
            self.by_key.setdefault(key, pk)
            self.by_key.setdefault(slug, pk)
        for pk, key in Alias.objects.values_list("actor_id", "name_key").iterator():
            self.by_key.setdefault(key, pk)
        self.longest = max((len(key.split()) for key in self.by_key), default=0)

    def find(self, words):
        found = self.by_key.get(name_key(words))
        if found is None and "-" in words:  # a slug written out (« sam-altman »)
            found = self.by_key.get(slug_key(words))
        return found


def variants(first, last, words):
    """The readings of the words `first..last` (originals): edges stripped of punctuation,
    the first without its elision, the last without a possessive."""
    starts = [LEADING.sub("", words[first])]
    if ELISION.match(starts[0]):
        starts.append(ELISION.sub("", starts[0], count=1))
    if first == last:
        ends = []
        for start in starts:
            end = TRAILING.sub("", start)
            ends += [end, POSSESSIVE.sub("", end)] if POSSESSIVE.search(end) else [end]
        return [end for end in ends if end]
    end = TRAILING.sub("", words[last])
    ends = [end, POSSESSIVE.sub("", end)] if POSSESSIVE.search(end) else [end]
    middle = words[first + 1 : last]
    return [" ".join([start, *middle, end]) for start in starts for end in ends if start and end]


def named_in(text, keys):
    """(actor pk, words as written) for each name in `text`, longest first, no overlaps."""
    words = [match.group(0) for match in WORD.finditer(text)]
    found, index = [], 0
    while index < len(words):
        for size in range(min(keys.longest, len(words) - index), 0, -1):
            hit = next(
                (
                    (pk, reading)
                    for reading in variants(index, index + size - 1, words)
                    if (pk := keys.find(reading))
                ),
                None,
            )
            if hit:
                found.append(hit)
                index += size
                break
        else:
            index += 1
    return found


def mentions(texts):
    """A `Mentions` for each text, in order; 3 queries whatever the number of texts."""
    keys = ActorKeys()
    named = [named_in(text, keys) for text in texts]
    pks = {pk for hits in named for pk, _words in hits}
    actors = Actor.objects.in_bulk(pks)
    result = []
    for text, hits in zip(texts, named, strict=True):
        by_actor = {}
        for pk, words in hits:
            entry = by_actor.setdefault(pk, Named(actors[pk]))
            if words not in entry.words:
                entry.words.append(words)
        result.append(Mentions(list(by_actor.values()), find_moments(text)))
    return result
