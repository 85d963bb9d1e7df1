"""Comments on proposals, rounds, meetings and commitments, threaded up to three levels."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.models import ModeratedMixin, TimestampMixin
from engage.core.time import UTCDateTime
from engage.extensions import db
from engage.core.cache import invalidated_by

MAX_DEPTH = 2  # 0: a comment, 1: a reply, 2: a reply to a reply


class Comment(TimestampMixin, ModeratedMixin, db.Model):
    __tablename__ = "comments"
    __table_args__ = (
        # The two lists a thread page reads: top-level comments of a target, and the replies under them.
        Index("ix_comments_round_id_proposal_id_parent_id_id", "round_id", "proposal_id", "parent_id", "id"),
        Index("ix_comments_root_id_id", "root_id", "id"),
        # Exports of a round's comments and the API's list of a proposal's comments, in order.
        Index("ix_comments_round_id_id", "round_id", "id"),
        Index("ix_comments_proposal_id_id", "proposal_id", "id"),
        # Deleting a comment cascades to its replies: without this, every delete scans the table.
        Index("ix_comments_parent_id", "parent_id"),
    )

    FOR, AGAINST, NEUTRAL = "for", "against", "neutral"

    id: Mapped[int] = mapped_column(primary_key=True)
    # A comment belongs to a round (its phase decides whether comments are open) and,
    # on a proposal, names the proposal; comments on a meeting name the meeting.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    # Comments on a meeting name it (and its round, if it has one).
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    # Comments on an action plan's commitment name it (and no round).
    commitment_id: Mapped[int | None] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    proposal_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    root_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    depth: Mapped[int] = mapped_column(Integer, default=0)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    body: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    stance: Mapped[str | None] = mapped_column(String(10))
    # Written by a facilitator of the round: shown as the organisers' official word.
    is_official: Mapped[bool] = mapped_column(default=False)
    edited_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[User | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Comment {self.id}>"

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None


@invalidated_by(Comment)
def _comment_tags(comment: Comment):
    if comment.round_id:
        yield f"round:{comment.round_id}"
    if comment.proposal_id:
        yield f"proposal:{comment.proposal_id}"
    if comment.meeting_id:
        yield "meetings"
    if comment.commitment_id:
        yield "plans"
