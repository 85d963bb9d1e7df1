"""Secondary indexes of the big tables, deferred while the generator loads them.

Building an index once over a loaded table is much faster than updating it row by row. Right after the
migrations, the plain indexes of :data:`TABLES` are read from the database's own catalogue (their exact
definitions) and dropped; :func:`restore` creates them again, identical, before anything reads through
them. Primary keys, unique constraints and foreign keys stay in force throughout.
"""
from __future__ import annotations

from sqlalchemy import bindparam, text

from bench.gen_base import Gen
from engage.extensions import db

TABLES = ("users", "proposals", "supports", "comments", "survey_responses", "survey_answer_items")

# Indexes that no constraint owns (PostgreSQL), or that were created by CREATE INDEX (SQLite).
POSTGRES = text("""
    SELECT i.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid
    JOIN pg_namespace n ON n.oid = t.relnamespace
    WHERE n.nspname = current_schema() AND t.relname IN :tables
      AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)
    ORDER BY i.relname""").bindparams(bindparam("tables", expanding=True))
SQLITE = text("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN :tables "
              "ORDER BY name").bindparams(bindparam("tables", expanding=True))


def defer() -> list[tuple[str, str]]:
    """Drop the deferred indexes; returns their (name, definition) for :func:`restore`."""
    catalogue = POSTGRES if db.engine.dialect.name == "postgresql" else SQLITE
    found = [tuple(row) for row in db.session.execute(catalogue, {"tables": list(TABLES)})]
    for name, _definition in found:
        db.session.execute(text(f'DROP INDEX "{name}"'))
    db.session.commit()
    return found


def restore(gen: Gen) -> None:
    gen.expect(len(gen.deferred_indexes))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("SET maintenance_work_mem = '512MB'"))
    for name, definition in gen.deferred_indexes:
        if gen.bar is not None:
            gen.bar.set_postfix_str(name)
        db.session.execute(text(definition))
        if gen.bar is not None:
            gen.bar.update(1)
