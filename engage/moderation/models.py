"""Flags raised by people, and the record of what moderators did about them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.time import UTCDateTime
from engage.extensions import db


class Flag(db.Model):
    """One person's report that a proposal or comment breaks the rules. Once per person and item."""

    __tablename__ = "flags"
    __table_args__ = (
        UniqueConstraint("target_type", "target_id", "user_id", name="uq_flags_target_type_target_id_user_id"),
        Index("ix_flags_open", "resolved_at", "target_type", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    target_type: Mapped[str] = mapped_column(String(20))  # "proposal" or "comment"
    target_id: Mapped[int] = mapped_column(Integer)
    # The round the item belongs to, so each round's facilitators see their own queue.
    # None for comments on a forum meeting that belongs to no round.
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    reason: Mapped[str] = mapped_column(String(20))
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    resolution: Mapped[str | None] = mapped_column(String(20))  # "hidden" or "dismissed"

    user: Mapped[User] = relationship(lazy="joined")


class ModerationAction(db.Model):
    """Who did what to which item, when and why. Never changed once written."""

    __tablename__ = "moderation_actions"
    __table_args__ = (Index("ix_moderation_actions_target", "target_type", "target_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # None when the platform acted by itself (automatic hiding after repeated flags).
    moderator_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    target_type: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int] = mapped_column(Integer)
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"), index=True)
    action: Mapped[str] = mapped_column(String(20))  # hide, restore, dismiss, auto_hide
    reason: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)

    moderator: Mapped[User | None] = relationship(lazy="joined")
