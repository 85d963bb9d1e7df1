"""Make SQLite behave like PostgreSQL where Engage relies on it, and queue its writers instead of failing them.

SQLite lets one writer in at a time. Out of the box the Python driver opens a transaction as a
reader and makes it a writer at its first write, and gives up after 5 seconds of waiting: under
concurrent writes (200 people supporting one proposal at once) a request could fail with "database
is locked", and a reader that must become a writer after another has written cannot wait at all. So
every SQLite connection here:

- uses write-ahead logging (``journal_mode=WAL``): readers never wait for the writer, nor it for them;
- waits up to ``SQLITE_BUSY_TIMEOUT`` seconds (30) for the write lock instead of 5;
- starts the transactions of a POST (or other unsafe method, until it first commits) with ``BEGIN
  IMMEDIATE`` (SQLAlchemy's pysqlite recipe: the driver's own BEGIN is turned off and ours emitted):
  the write lock is taken at the start, so writing requests queue for it in turn;
- runs every other transaction (a GET, a command, a worker building a large export) as a reader that
  holds no lock nor snapshot: each read sees what is committed, as under PostgreSQL's READ COMMITTED;
  at its first write, savepoint or ``SELECT ... FOR UPDATE`` it begins for real and takes the write
  lock, waiting like any writer (``_writing``), so what it then reads and writes is current.

Should a request still find the database busy, it gets the "try again" page (engage.core.errors).
"""
from __future__ import annotations

import sqlite3

from flask import Flask, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
_settings = {"busy_timeout_ms": 30_000, "wal": True}
_COMMITTED = "engage_request_committed"


def init_app(app: Flask) -> None:
    _settings["busy_timeout_ms"] = int(float(app.config.get("SQLITE_BUSY_TIMEOUT", 30)) * 1000)
    _settings["wal"] = bool(app.config.get("SQLITE_WAL", True))


def busy_timeout_ms() -> int:
    return _settings["busy_timeout_ms"]


def _unicode_lower(value):
    return value.lower() if isinstance(value, str) else value


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record) -> None:
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Transactions are begun by _begin below, not by the driver (which also committed before DDL).
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # Enforce foreign keys (ON DELETE CASCADE / SET NULL), off by default in SQLite.
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={_settings['busy_timeout_ms']:d}")
    if _settings["wal"]:
        cursor.execute("PRAGMA journal_mode=WAL")  # kept by the file; an in-memory database stays "memory"
    cursor.close()
    # SQLite's lower() only knows ASCII; searching Ukrainian and Spanish names needs all of Unicode.
    dbapi_connection.create_function("lower", 1, _unicode_lower, deterministic=True)


_MODE = "engage_sqlite_begin"
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLAC", "SAVEPO")


@event.listens_for(Engine, "begin")
def _begin(connection) -> None:
    if connection.dialect.name != "sqlite":
        return
    if _will_write():
        connection.exec_driver_sql("BEGIN IMMEDIATE")
        connection.info[_MODE] = "writing"
    else:
        connection.info[_MODE] = "reading"  # no BEGIN yet: each read sees what is committed (_writing)


@event.listens_for(Engine, "before_cursor_execute")
def _writing(connection, cursor, statement, parameters, context, executemany) -> None:
    """The first write, savepoint or ``SELECT ... FOR UPDATE`` of a transaction begun as a reader (a GET
    that marks a notification read, a POST after its commit, a command): the write lock is taken now,
    waiting for it like any writer, and the transaction really begins.

    Until then each read ran on its own and saw what was committed, as every statement does under
    PostgreSQL's READ COMMITTED; a reader holding a snapshot could not become the writer once another
    had written since (SQLite answers "database is locked" at once, without waiting).
    """
    if connection.info.get(_MODE) != "reading" or connection.dialect.name != "sqlite":
        return
    if statement.lstrip()[:6].upper() not in _WRITES and not _locks_rows(context):
        return
    raw = connection.connection.dbapi_connection
    if raw.in_transaction and not connection.in_nested_transaction():
        raw.execute("COMMIT")
    if not raw.in_transaction:
        raw.execute("BEGIN IMMEDIATE")
    connection.info[_MODE] = "writing"


@event.listens_for(Engine, "commit")
def _committed(connection) -> None:
    if connection.dialect.name == "sqlite" and has_request_context():
        g.setdefault(_COMMITTED, True)


def _locks_rows(context) -> bool:
    """A ``SELECT ... FOR UPDATE`` (SQLite's SQL has no such clause, so the statement object tells)."""
    compiled = getattr(context, "compiled", None)
    statement = getattr(compiled, "statement", None)
    return getattr(statement, "_for_update_arg", None) is not None


def reading_from_now() -> None:
    """The rest of this request only reads (an error page): its transactions begin without the write lock."""
    if has_request_context():
        setattr(g, _COMMITTED, True)


def _will_write() -> bool:
    """Whether the transaction being begun is expected to write (see the module's notes)."""
    if not has_request_context():
        return False
    return request.method not in SAFE_METHODS and not g.get(_COMMITTED, False)


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
