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
