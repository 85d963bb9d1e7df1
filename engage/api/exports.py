"""The open-data CSV files of a round: every proposal, every comment (engage.core.exports builds them).

Rows are read straight from the database in batches (no ORM objects), so half a million comments
are written in seconds with flat memory. The columns are those of the API's Proposal and Comment.
"""
from __future__ import annotations

from datetime import datetime
from typing import IO

from flask import url_for
from sqlalchemy import String, select, type_coerce

from engage.core.time import iso
from engage.auth.models import User
from engage.comments.models import Comment
from engage.core import csvfile, exports
from engage.extensions import db
from engage.proposals.models import Proposal
from engage.rounds import services as rounds
from engage.rounds import stats as round_stats
from engage.rounds.models import Round, Topic

PROPOSAL_COLUMNS = ["id", "url", "title", "body", "locale", "topic", "district", "state", "hidden", "hidden_reason",
                    "author", "supports", "comments", "created_at", "withdrawn_at"]
COMMENT_COLUMNS = ["id", "url", "proposal_id", "parent_id", "depth", "body", "locale", "stance", "official",
                   "deleted", "hidden", "hidden_reason", "author", "created_at", "edited_at"]
BATCH = 2000


def raw(column):
    """The column as the driver returns it, without the ORM's conversion (see :func:`stamp`)."""
    return type_coerce(column, String)


def published_round(round_id: int) -> Round | None:
    round_ = rounds.get_round(round_id)
    return round_ if round_ is not None and round_.is_published else None


def link_prefix(endpoint: str, **args) -> str:
    """The absolute address of ``endpoint`` for id 0, without the 0: rows add their own id."""
    return url_for(endpoint, **{k: 0 for k in args}, _external=True)[:-1]


def stamp(value) -> str:
    """A timestamp read as stored (SQLite: UTC text; PostgreSQL: an aware datetime) in ISO 8601 with a Z.

    Converting half a million timestamps through the ORM's type would cost more than writing the file.
    """
    if value is None:
        return ""
    if isinstance(value, datetime):
        return iso(value) or ""
    return value.replace(" ", "T", 1) + "Z"


def rows_of(query):
    """Plain rows straight from the connection, a batch at a time (no ORM, no type conversion)."""
    return db.session.connection().execution_options(stream_results=True, yield_per=BATCH).execute(query)


def write_proposals(round_: Round, file: IO[str]) -> None:
    writer = csvfile.writer(file)
    writer.writerow(PROPOSAL_COLUMNS)
    page = link_prefix("proposals.show", proposal_id=0)
    rows = rows_of(
        select(Proposal.id, Proposal.title, Proposal.body, Proposal.locale, Topic.name, Proposal.district,
               Proposal.state, Proposal.hidden_at.is_not(None), Proposal.hidden_reason, User.display_name,
               Proposal.support_count, Proposal.comment_count, raw(Proposal.created_at), raw(Proposal.withdrawn_at))
        .outerjoin(Topic, Topic.id == Proposal.topic_id).outerjoin(User, User.id == Proposal.author_id)
        .where(Proposal.round_id == round_.id).order_by(Proposal.id)
    )
    for (pid, title, body, locale, topic, district, state, hidden, hidden_reason, author, supports, comments,
         created, withdrawn) in rows:
        hidden = bool(hidden)
        writer.writerow([pid, f"{page}{pid}", "" if hidden else title, "" if hidden else body, locale, topic or "",
                         district or "", state, hidden, (hidden_reason or "") if hidden else "",
                         "" if hidden else (author or ""), supports, comments, stamp(created), stamp(withdrawn)])


def write_comments(round_: Round, file: IO[str]) -> None:
    writer = csvfile.writer(file)
    writer.writerow(COMMENT_COLUMNS)
    on_proposal = link_prefix("proposals.show", proposal_id=0)
    on_round = url_for("rounds.show", round_id=round_.id, _external=True)
    rows = rows_of(
        select(Comment.id, Comment.proposal_id, Comment.parent_id, Comment.depth, Comment.body, Comment.locale,
               Comment.stance, Comment.is_official, Comment.deleted_at.is_not(None), Comment.hidden_at.is_not(None),
               Comment.hidden_reason, User.display_name, raw(Comment.created_at), raw(Comment.edited_at),
               Proposal.hidden_at.is_not(None))
        .outerjoin(User, User.id == Comment.author_id)
        .outerjoin(Proposal, Proposal.id == Comment.proposal_id)
        .where(Comment.round_id == round_.id, Comment.meeting_id.is_(None)).order_by(Comment.id)
    )
    for (cid, proposal_id, parent_id, depth, body, locale, stance, official, deleted, hidden, hidden_reason,
         author, created, edited, proposal_hidden) in rows:
        # Comments on a proposal hidden by moderation are hidden with it.
        hidden, deleted, official = bool(hidden) or bool(proposal_hidden), bool(deleted), bool(official)
        removed = hidden or deleted
        page = f"{on_proposal}{proposal_id}" if proposal_id else on_round
        writer.writerow([cid, f"{page}#comment-{cid}", proposal_id or "", parent_id or "", depth,
                         "" if removed else body, locale, "" if removed else (stance or ""), official, deleted, hidden,
                         (hidden_reason or "") if hidden else "", "" if removed else (author or ""),
                         stamp(created), stamp(edited)])


def _round_tags(round_: Round) -> list[str]:
    return ["site", "rounds", f"round:{round_.id}"]


PROPOSALS = exports.register(exports.Export(
    name="round-proposals", suffix="csv", content_type="text/csv", load=published_round,
    tags=_round_tags, filename=lambda r: f"round-{r.id}-proposals.csv",
    size=lambda r: round_stats.totals_of(r.id).proposals, write=write_proposals,
))
COMMENTS = exports.register(exports.Export(
    name="round-comments", suffix="csv", content_type="text/csv", load=published_round,
    tags=_round_tags, filename=lambda r: f"round-{r.id}-comments.csv",
    size=lambda r: round_stats.totals_of(r.id).comments, write=write_comments,
))
