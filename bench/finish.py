"""The generator's last steps: stored counters recounted from the rows, the summaries rebuilt, the database
tidied (PostgreSQL sequences and statistics, SQLite's log folded in), and what the manifest reports."""
from __future__ import annotations

from sqlalchemy import MetaData, text

from bench.gen_base import Gen
from engage.core.summaries import rebuild_all
from engage.extensions import db

# Counters the application keeps in the same transaction as the rows they count (engage.proposals,
# engage.comments, engage.moderation, engage.meetings): (table, column, the count for a row of the table).
# The generator writes them as it plans the rows; the recount rewrites only the rows that differ (a proposal
# whose comments were deleted), as rewriting every proposal touches each of its indexes.
COUNTERS = [
    ("proposals", "support_count", "SELECT count(*) FROM supports s WHERE s.proposal_id = proposals.id"),
    ("proposals", "comment_count",
     "SELECT count(*) FROM comments c WHERE c.proposal_id = proposals.id AND c.deleted_at IS NULL"),
    ("proposals", "flag_count", ("SELECT count(*) FROM flags f WHERE f.target_type = 'proposal' "
                                 "AND f.target_id = proposals.id AND f.resolved_at IS NULL")),
    ("comments", "flag_count", ("SELECT count(*) FROM flags f WHERE f.target_type = 'comment' "
                                "AND f.target_id = comments.id AND f.resolved_at IS NULL")),
    ("meetings", "seats_taken", ("SELECT count(*) FROM meeting_registrations r WHERE r.meeting_id = meetings.id "
                                 "AND r.status = 'registered'")),
]
# Flag counts are 0 unless flags name the row: only those rows are recounted (not two million comments).
FLAGGED = {("proposals", "flag_count"): "SELECT target_id FROM flags WHERE target_type = 'proposal'",
           ("comments", "flag_count"): "SELECT target_id FROM flags WHERE target_type = 'comment'"}
# The manifest's counts: key -> table.
COUNTED = {"users": "users", "rounds": "rounds", "proposals": "proposals", "supports": "supports",
           "comments": "comments", "survey_responses": "survey_responses",
           "survey_answer_items": "survey_answer_items", "meetings": "meetings", "organisations": "organisations",
           "endorsements": "endorsements", "commitments": "commitments", "milestones": "milestones"}
# URL parameters that are not ids, with a value every route using them accepts.
FIXED_PARAMS = {"action": "dismiss", "role": "moderator", "filename": "css/engage.css"}


def counters(gen: Gen) -> None:
    gen.expect(len(COUNTERS))
    for table, column, count in COUNTERS:
        where = f"{column} <> ({count})"
        if (table, column) in FLAGGED:
            where = f"id IN ({FLAGGED[table, column]}) AND {where}"
        fixed = db.session.execute(text(f"UPDATE {table} SET {column} = ({count}) WHERE {where}")).rowcount
        if gen.bar is not None:
            gen.bar.update(1)
            gen.bar.set_postfix_str(f"{table}.{column}: {fixed} rows fixed")
    # Now that comment counts are exact: a visible proposal of the big round with about ten comments.
    gen.extra["proposal_typical"] = db.session.scalar(text(
        "SELECT id FROM proposals WHERE round_id = :r AND state = 'published' AND hidden_at IS NULL "
        "ORDER BY abs(comment_count - 10), id LIMIT 1"), {"r": gen.big.id})


def summaries(gen: Gen) -> None:
    """Every stored summary recomputed from the rows (round totals, survey tallies, answer times...)."""
    def show(name: str) -> None:
        if gen.bar is not None:
            gen.bar.set_postfix_str(name)

    rebuild_all(progress=show)


def tidy() -> str:
    """Move PostgreSQL's sequences past the ids given explicitly and refresh its statistics, or fold SQLite's
    write-ahead log into the file; returns the schema's Alembic revision."""
    revision = db.session.scalar(text("SELECT version_num FROM alembic_version"))
    db.session.commit()
    if db.engine.dialect.name == "postgresql":
        meta = MetaData()
        meta.reflect(bind=db.engine)
        for table in meta.sorted_tables:
            if "id" in table.c:
                db.session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                                        f"coalesce((SELECT max(id) FROM {table.name}), 0) + 1, false)"))
        db.session.commit()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.exec_driver_sql("VACUUM ANALYZE")
    else:
        with db.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    return revision


def url_params(app, gen: Gen) -> tuple[dict, list[str]]:
    """(a value for every URL parameter of the application's routes that the data has, the others)."""
    names = sorted({name for rule in app.url_map.iter_rules() for name in rule.arguments})
    known = {**FIXED_PARAMS, **{k: v for k, v in gen.params.items() if v is not None}}
    return {name: known[name] for name in names if name in known}, [name for name in names if name not in known]


def counts() -> dict[str, int]:
    return {key: db.session.scalar(text(f"SELECT count(*) FROM {table}")) for key, table in COUNTED.items()}
