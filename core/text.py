"""Accent- and case-insensitive matching.

`fold(text)`: case-folded, accents dropped (NFKD, combining marks removed), typographic
apostrophes and dashes made plain, ligatures spelled out. So « Sécurité », « SECURITE » and
« securite » all fold to "securite", and « d’OpenAI » to "d'openai". Rows keep a folded copy
of their names and texts (core.derived), searched and indexed in the database; queries
are folded the same way here, so both sides compare in one form on every database.

`highlight(text, terms)` escapes a text and wraps the folded matches of `terms` in <mark>,
mapping positions in the folded text back to the original characters.
"""

import functools
import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.text import slugify

# Characters that read the same to a searcher but differ in the article's typography.
SPECIAL_FOLDS = {
    "\u2019": "'",  # ’ right single quotation mark, the article's apostrophe
    "\u2018": "'",  # ‘
    "\u02bc": "'",  # ʼ modifier letter apostrophe
    "\u2032": "'",  # ′ prime
    "`": "'",
    "\u2010": "-",  # ‐ hyphen
    "\u2011": "-",  # non-breaking hyphen
    "\u2013": "-",  # – en dash
    "\u2014": "-",  # — em dash
    "\u00a0": " ",  # no-break space (French typography before « : ; ? ! »)
    "\u202f": " ",  # narrow no-break space
    "\u0153": "oe",  # œ
    "\u00e6": "ae",  # æ
    "\u0111": "d",  # đ
    "\u0142": "l",  # ł
    "\u00f8": "o",  # ø
}


@functools.lru_cache(maxsize=4096)
def fold_char(char):
    folded = []
    for part in unicodedata.normalize("NFKD", char.casefold()):
        if unicodedata.combining(part):
            continue
        part = SPECIAL_FOLDS.get(part, part)
        folded.append(part)
    return "".join(folded)


def fold(text):
    """The comparable form of `text`; character by character, so positions can be mapped."""
    return "".join(fold_char(char) for char in text or "")


def name_key(text):
    """How a name, an alias or a typed name compare: « Employés d’OpenAI » ~ "employes d'openai"."""
    return " ".join(fold(text).split())


def slug_key(text):
    """The slug a typed name would have: « conseil d'administration d’OpenAI » → its slug."""
    return slugify(name_key(text).replace("'", " "))


def search_terms(query, limit=8):
    """The distinct folded words of a query, longest first (so a highlight prefers them)."""
    words = []
    for word in fold(query).split():
        word = word.strip('.,;:!?«»"()[]{}')
        if word and word not in words:
            words.append(word)
    return sorted(words[:limit], key=len, reverse=True)


# --- Highlighting ---------------------------------------------------------------------------


def _folded_with_positions(text):
    """The folded text and, for each of its characters, the index of the original one."""
    folded, origin = [], []
    for index, char in enumerate(text):
        for part in fold_char(char):
            folded.append(part)
            origin.append(index)
    return "".join(folded), origin


def match_spans(text, terms):
    """Non-overlapping (start, end) spans of `text` whose folded form is one of `terms`."""
    terms = [term for term in terms if term]
    if not text or not terms:
        return []
    folded, origin = _folded_with_positions(text)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
    spans = []
    for match in pattern.finditer(folded):
        start = origin[match.start()]
        end = origin[match.end() - 1] + 1
        if spans and start < spans[-1][1]:
            continue
        spans.append((start, end))
    return spans


def excerpt_window(text, spans, length):
    """A window of about `length` characters around the first match, cut at spaces."""
    if length is None or len(text) <= length:
        return 0, len(text)
    first = spans[0][0] if spans else 0
    start = max(0, first - length // 3)
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < first else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start else end
    return start, end


def highlight(text, terms, length=None):
    """`text` escaped, the words matching `terms` in <mark>; cut to an excerpt if `length`."""
    text = text or ""
    spans = match_spans(text, terms)
    start, end = excerpt_window(text, spans, length)
    pieces = ["… " if start else ""]
    cursor = start
    for span_start, span_end in spans:
        if span_start < start or span_end > end:
            continue
        pieces.append(escape(text[cursor:span_start]))
        pieces.append(f"<mark>{escape(text[span_start:span_end])}</mark>")
        cursor = span_end
    pieces.append(escape(text[cursor:end]))
    pieces.append(" …" if end < len(text) else "")
    return mark_safe("".join(pieces))
