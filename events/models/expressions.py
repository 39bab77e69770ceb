"""SQL the models and their querysets share: the full-text match on each database, and
the row comparisons that page through an index (keyset pagination)."""

import re

from django.db.models import (
    BooleanField,
    Func,
)

# The full-text index over Event.search_text (created by migration 0003): an FTS5 table on
# SQLite, an expression GIN index on PostgreSQL.
SQLITE_FTS_TABLE = "events_event_fts"


class TextSearchMatch(Func):
    """PostgreSQL: a text matches a tsquery, written as the GIN index's expression so the
    planner can use the index."""

    output_field = BooleanField()

    def as_sql(self, compiler, connection, **extra_context):
        text, text_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        sql = (
            f"to_tsvector('simple'::regconfig, {text}) @@ to_tsquery('simple'::regconfig, {query})"
        )
        return sql, (*text_params, *query_params)


class Row(Func):
    """A row value, `(a, b)`, for comparisons an index on (a, b) can serve."""

    function = ""
    template = "(%(expressions)s)"


class RowLessThan(Func):
    arg_joiner = " < "
    template = "%(expressions)s"
    output_field = BooleanField()


def words(text):
    """The indexable words of a folded text: « d'openai » is "d" and "openai"."""
    return re.findall(r"[^\W_]+", text)


def word_tokens(terms):
    """The distinct words of folded search terms, in order."""
    return list(dict.fromkeys(word for term in terms for word in words(term)))
