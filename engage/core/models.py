"""Mixins shared by the models of every feature."""
from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.time import UTCDateTime, utcnow


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )


class ModeratedMixin:
    """Content that people can flag and moderators can hide (with a reason shown in its place)."""

    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    # Distinct people who flagged it and whose flags are still open.
    flag_count: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
