"""Reasoned responses to proposals. Every version is kept; the newest is the answer in force."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.time import UTCDateTime
from engage.extensions import db
from engage.core.cache import invalidated_by


class ProposalResponse(db.Model):
    __tablename__ = "proposal_responses"
    __table_args__ = (Index("ix_proposal_responses_proposal_id_id", "proposal_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"))
    outcome: Mapped[str] = mapped_column(String(30))
    reason: Mapped[str] = mapped_column(Text, default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("proposals.id", ondelete="SET NULL"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    author: Mapped[User | None] = relationship(lazy="joined")


@invalidated_by(ProposalResponse)
def _response_tags(response: ProposalResponse):
    # The proposal's outcome changes in the same flush, which names its round.
    yield f"proposal:{response.proposal_id}"
