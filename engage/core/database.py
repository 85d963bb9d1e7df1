"""Make SQLite behave like PostgreSQL where Engage relies on it."""
from __future__ import annotations

import sqlite3

from sqlalchemy import event
from sqlalchemy.engine import Engine


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    # Enforce foreign keys (ON DELETE CASCADE / SET NULL), off by default in SQLite.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
    # SQLite's lower() only knows ASCII; searching Ukrainian and Spanish names needs all of Unicode.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


def include_object(obj, name, type_, reflected, compare_to) -> bool:
    """For Alembic's autogenerate: leave alone what migrations create by hand.

    That is the proposal search index (an FTS5 table and its shadow tables on
    SQLite, an expression GIN index on PostgreSQL), which no model describes.
    """
    if type_ == "table" and name and name.startswith("proposal_search"):
        return False
    if type_ == "index" and name == "ix_proposals_search":
        return False
    return True


def contains_pattern(text: str) -> str:
    """A LIKE pattern (use with ``escape="\\"``) matching ``text`` anywhere, its % and _ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def insert_ignoring_duplicates(model):
    """``INSERT ... ON CONFLICT DO NOTHING`` in the dialect in use; add ``.returning(...)`` to learn if a row went in."""
    from engage.extensions import db

    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(model).on_conflict_do_nothing()
