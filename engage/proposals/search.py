"""Full-text search over proposal titles and bodies, behind one function.

SQLite uses an FTS5 index (``proposal_search``, kept up to date by triggers);
PostgreSQL uses ``to_tsvector('simple', ...)`` with a GIN index. Both are
created by the migrations. Neither stems words, so Ukrainian, English and
Spanish behave alike: every word of the query must appear, as a whole word or
the beginning of one (``консультац`` finds ``консультації``).
"""
from __future__ import annotations

import re

from sqlalchemy import ColumnElement, bindparam, text

from engage.extensions import db

WORD = re.compile(r"\w+", re.UNICODE)
MAX_TERMS = 12

# The exact expression of the GIN index in the migration, so PostgreSQL uses the index.
PG_DOCUMENT = "to_tsvector('simple'::regconfig, proposals.title || ' ' || proposals.body)"


def terms(query: str) -> list[str]:
    """The words of a query, lower-cased, without operators or punctuation."""
    return [w.casefold() for w in WORD.findall(query or "")][:MAX_TERMS]


def matches(query: str) -> ColumnElement[bool] | None:
    """A WHERE condition selecting the proposals that match ``query`` (None: no words in it)."""
    words = terms(query)
    if not words:
        return None
    if db.engine.dialect.name == "postgresql":
        tsquery = " & ".join(f"{word}:*" for word in words)
        return text(f"{PG_DOCUMENT} @@ to_tsquery('simple'::regconfig, :tsquery)").bindparams(
            bindparam("tsquery", tsquery)
        )
    fts_query = " ".join('"' + word.replace('"', "") + '"*' for word in words)
    return text("proposals.id IN (SELECT rowid FROM proposal_search WHERE proposal_search MATCH :fts)").bindparams(
        bindparam("fts", fts_query)
    )
