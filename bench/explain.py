"""The query plans of the lists that grow with a city: every one must read an index, never sort a round.

    .venv/bin/python -m bench.explain                                   # bench/data/city.sqlite
    .venv/bin/python -m bench.explain --manifest bench/data/capital-postgresql.manifest.json

It builds the statements the way the pages do (the same service functions), for the big round of the
manifest, and prints SQLite's ``EXPLAIN QUERY PLAN`` or PostgreSQL's ``EXPLAIN (ANALYZE, BUFFERS)``.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("ENGAGE_ENV", "production")
os.environ.setdefault("SECRET_KEY", "bench-explain-only")


def statements(manifest: dict) -> list[tuple[str, object]]:
    from sqlalchemy import func, select

    from engage.comments.models import Comment
    from engage.extensions import db
    from engage.feedback import services as feedback
    from engage.proposals import services as proposals
    from engage.proposals.models import Proposal
    from engage.rounds.models import Round
    from engage.surveys.models import AnswerItem

    round_ = db.session.get(Round, manifest["params"]["round_id"])
    proposal_id = manifest["params"]["proposal_id"]

    def ids(query, page: int, per_page: int = 25):
        return query.with_only_columns(Proposal.id).limit(per_page).offset((page - 1) * per_page)

    newest = proposals.proposals_query(round_, proposals.Filters())
    supported = proposals.proposals_query(round_, proposals.Filters(sort="supported"))
    searched = proposals.proposals_query(round_, proposals.Filters(q=manifest.get("extra", {}).get("search_word", "парк")))
    thread = (select(Comment.id).where(Comment.round_id == round_.id, Comment.proposal_id == proposal_id,
                                       Comment.parent_id.is_(None)).order_by(Comment.id).limit(20).offset(1980))
    return [
        ("proposals, newest, page 500", ids(newest, 500)),
        ("proposals, most supported, page 500", ids(supported, 500)),
        ("proposals, count of the list", select(func.count()).select_from(newest.with_only_columns(Proposal.id)
                                                                         .order_by(None).subquery())),
        ("proposals, full-text search, page 1", searched.with_only_columns(Proposal.id).limit(25)),
        ("report, accepted, page 100", feedback.report_list_query(round_, "accepted")
         .with_only_columns(Proposal.id).limit(25).offset(2475)),
        ("report, proposals per outcome", select(Proposal.outcome, func.count()).where(Proposal.round_id == round_.id)
         .group_by(Proposal.outcome)),
        ("proposal's thread, page 100", thread),
        ("replies of a page of comments", select(Comment.id).where(Comment.root_id.in_(list(range(1, 21))))
         .order_by(Comment.id)),
        ("round's comments for the file", select(Comment.id).where(Comment.round_id == round_.id,
                                                                   Comment.meeting_id.is_(None)).order_by(Comment.id)),
        ("survey's newest free texts", select(AnswerItem.id).where(
            AnswerItem.question_id == manifest["params"].get("question_id", 1), AnswerItem.option_id.is_(None),
            AnswerItem.text.is_not(None), AnswerItem.hidden_at.is_(None)).order_by(AnswerItem.id.desc()).limit(5)),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--manifest", default=str(ROOT / "bench" / "data" / "city-sqlite.manifest.json"))
    args = parser.parse_args()
    manifest = json.loads(Path(args.manifest).read_text())

    from engage import create_app
    from engage.config import normalise_database_url
    from engage.extensions import db

    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(manifest["database_url"]),
                      "CACHE_TYPE": "NullCache"})
    with app.app_context():
        postgresql = db.engine.dialect.name == "postgresql"
        for label, statement in statements(manifest):
            sql = str(statement.compile(db.engine, compile_kwargs={"literal_binds": True}))
            prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgresql else "EXPLAIN QUERY PLAN "
            print(f"\n## {label}\n")
            for row in db.session.execute(db.text(prefix + sql)):
                print("   ", row[-1] if not postgresql else row[0])


if __name__ == "__main__":
    main()
