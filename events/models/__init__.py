"""What happened: source documents and their passages, the sources they cite, events, who
took part, quotes, the order the article gives, what backs a role, kept facet counts, and the
accounts that disagree.

`events` builds on `people`. Facts kept in `people` that need something from here (a role's
citing passages, the events that began and ended it) are declared here, in `RoleEvidence`,
so `people` never points up.

A package by topic; every model is re-exported here, so `from events.models import Event`
works and Django registers them all with the app. The modules stand in layers: choices,
expressions and provenance at the bottom, then events, then what hangs on an event
(participations, quotes, order, roles, disputes); facets stand alone. A queryset that reads a
model of a higher layer (a passage's events) reaches it through the relation
(`core.models.related`), never by importing up.
"""

from .choices import CLAIMS_WITH_CLAIMANT, Claim, EventKind, Part, Section
from .disputes import Account, Dispute
from .events import Event
from .expressions import SQLITE_FTS_TABLE, Row, RowLessThan, TextSearchMatch, word_tokens, words
from .facets import FacetCount
from .order import EventOrder
from .participations import Participation
from .provenance import Article, Passage, Source
from .quotes import Quote
from .roles import RoleEvidence

__all__ = [
    "CLAIMS_WITH_CLAIMANT",
    "SQLITE_FTS_TABLE",
    "Account",
    "Article",
    "Claim",
    "Dispute",
    "Event",
    "EventKind",
    "EventOrder",
    "FacetCount",
    "Part",
    "Participation",
    "Passage",
    "Quote",
    "RoleEvidence",
    "Row",
    "RowLessThan",
    "Section",
    "Source",
    "TextSearchMatch",
    "word_tokens",
    "words",
]
