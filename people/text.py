"""Accent- and case-insensitive matching, the same in Python, on SQLite and on PostgreSQL.

`fold(text)` is the reference: case-folded, accents dropped (NFKD, combining marks removed),
typographic apostrophes and dashes made plain, ligatures spelled out. So « Sécurité »,
« SECURITE » and « securite » all fold to "securite", and « d’OpenAI » to "d'openai".

`Fold(expression)` is the same thing in SQL, so a search filters in the database, in one
query, whatever the size of the data:

- on SQLite, `archive_fold()` is `fold` itself, registered as a deterministic function on
  every connection (nothing to install, no extension);
- on PostgreSQL, `translate()`, `replace()` and `lower()` with mapping tables generated from
  `fold` for the Latin letters the story can contain (Latin-1 and Latin Extended-A, plus
  apostrophes, dashes and combining marks). No `unaccent` extension, so no superuser is
  needed. Outside those letters PostgreSQL only lower-cases, which is what `fold` does to
  the letters of the story anyway (tests/newsarchive/test_search.py checks the tables).

`highlight(text, terms)` escapes a text and wraps the folded matches of `terms` in <mark>,
mapping positions in the folded text back to the original characters.
"""

import functools
import re
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import F, Func, TextField, Value
from django.db.models.functions import Coalesce, Concat
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


# --- SQL ------------------------------------------------------------------------------------

SQLITE_FUNCTION = "archive_fold"

# The characters PostgreSQL must map itself (its lower() only knows ASCII in the C locale).
_PG_RANGES = [(0x00A0, 0x017F), (0x1E9E, 0x1E9E)]
_PG_EXTRA = "".join(SPECIAL_FOLDS)


def _postgresql_tables():
    singles_from, singles_to, multiples = [], [], []
    chars = [chr(code) for start, end in _PG_RANGES for code in range(start, end + 1)]
    for char in chars + [c for c in _PG_EXTRA if c not in chars]:
        folded = fold_char(char)
        if folded == char:
            continue
        if len(folded) == 1:
            singles_from.append(char)
            singles_to.append(folded)
        else:
            multiples.append((char, folded))
    # translate() deletes the characters of its first table that have no partner in the
    # second: combining marks (a decomposed « é ») go at the end, unpartnered.
    deleted = [chr(code) for code in range(0x0300, 0x0370)]
    return "".join(singles_from + deleted), "".join(singles_to), multiples


PG_TRANSLATE_FROM, PG_TRANSLATE_TO, PG_REPLACEMENTS = _postgresql_tables()


def _register_sqlite_function(connection):
    connection.connection.create_function(SQLITE_FUNCTION, 1, _sqlite_fold, deterministic=True)


def _sqlite_fold(value):
    return None if value is None else fold(str(value))


def _on_connection_created(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        _register_sqlite_function(connection)


connection_created.connect(_on_connection_created, dispatch_uid="people.text.fold")


class Fold(Func):
    """SQL equivalent of `fold()`: `Fold("title")` compares with a folded query word."""

    arity = 1
    output_field = TextField()

    def as_sqlite(self, compiler, connection, **extra_context):
        # Also register here: a connection opened before this module was imported missed
        # the connection_created signal. create_function is cheap and idempotent.
        connection.ensure_connection()
        _register_sqlite_function(connection)
        return self.as_sql(compiler, connection, function=SQLITE_FUNCTION, **extra_context)

    def as_postgresql(self, compiler, connection, **extra_context):
        sql, params = compiler.compile(self.source_expressions[0])
        sql, params = f"CAST({sql} AS text)", list(params)
        for char, folded in PG_REPLACEMENTS:
            sql = f"replace({sql}, %s, %s)"
            params += [char, folded]
        sql = f"lower(translate({sql}, %s, %s))"
        params += [PG_TRANSLATE_FROM, PG_TRANSLATE_TO]
        return sql, tuple(params)

    def as_sql(self, compiler, connection, function=None, **extra_context):
        if function is None and connection.vendor not in {"sqlite", "postgresql"}:
            # Other databases: case-insensitive only, accents as the collation decides.
            function = "LOWER"
        return super().as_sql(compiler, connection, function=function, **extra_context)


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


# --- Filtering ------------------------------------------------------------------------------


def folded_document(*fields):
    """One folded text made of `fields` (relations allowed: "speaker__name"), for `contains`."""
    parts = []
    for field in fields:
        if parts:
            parts.append(Value(" "))
        parts.append(Coalesce(F(field), Value(""), output_field=TextField()))
    return Fold(Concat(*parts, output_field=TextField()) if len(parts) > 1 else parts[0])


def filter_folded(queryset, terms, *fields):
    """Rows in which every term occurs, accent- and case-insensitively, in one of `fields`.

    Terms come from `search_terms()` (already folded). `contains` escapes % and _, and both
    sides are folded, so LIKE on SQLite and on PostgreSQL behave the same.
    """
    if not terms:
        return queryset.none()
    queryset = queryset.annotate(search_document=folded_document(*fields))
    for term in terms:
        queryset = queryset.filter(search_document__contains=term)
    return queryset
