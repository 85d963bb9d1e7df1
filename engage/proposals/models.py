"""Proposals residents bring to a round, and the supports they gather."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.models import ModeratedMixin, TimestampMixin
from engage.core.time import UTCDateTime
from engage.extensions import db
from engage.rounds.models import Round, Topic
from engage.core.cache import invalidated_by


class Proposal(TimestampMixin, ModeratedMixin, db.Model):
    __tablename__ = "proposals"
    __table_args__ = (
        # One index per order a round's list offers, so a page reads 25 entries instead of sorting the round;
        # and the report's list by outcome.
        Index("ix_proposals_round_newest", "round_id", "created_at", "id"),
        Index("ix_proposals_round_supported", "round_id", "support_count", "id"),
        Index("ix_proposals_round_commented", "round_id", "comment_count", "id"),
        Index("ix_proposals_round_outcome", "round_id", "outcome", "id"),
    )

    PUBLISHED = "published"
    WITHDRAWN = "withdrawn"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(150))
    body: Mapped[str] = mapped_column(Text)
    # The language the author wrote in (residents write in their own language).
    locale: Mapped[str] = mapped_column(String(8))
    topic_id: Mapped[int | None] = mapped_column(ForeignKey("topics.id", ondelete="SET NULL"), index=True)
    district: Mapped[str | None] = mapped_column(String(40))
    state: Mapped[str] = mapped_column(String(20), default=PUBLISHED, index=True)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Kept in the same transaction as the rows they count, so they are always exact.
    support_count: Mapped[int] = mapped_column(Integer, default=0)
    comment_count: Mapped[int] = mapped_column(Integer, default=0)
    # The answer in force (engage.feedback): copied here so lists filter and count by it.
    outcome: Mapped[str | None] = mapped_column(String(30), index=True)
    # When the proposal first got a final answer (anything but "under evaluation").
    final_answer_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship()
    author: Mapped[User | None] = relationship(lazy="joined")
    topic: Mapped[Topic | None] = relationship(lazy="joined")

    def __repr__(self) -> str:
        return f"<Proposal {self.id}>"

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.WITHDRAWN

    @property
    def is_removed(self) -> bool:
        """Withdrawn with its text removed, when its author deleted their account and contributions; it keeps
        its place (supports, comments, answer) and is shown with a placeholder."""
        return self.is_withdrawn and not self.title


class Support(db.Model):
    __tablename__ = "supports"
    __table_args__ = (UniqueConstraint("proposal_id", "user_id", name="uq_supports_proposal_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


@invalidated_by(Proposal)
def _proposal_tags(proposal: Proposal):
    yield f"round:{proposal.round_id}"
    yield f"proposal:{proposal.id}"
