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


class DocumentMixin:
    """A published document: a link, or a file uploaded to the instance folder (see engage.rounds.documents)."""

    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str | None] = mapped_column(String(500))
    # For uploads: the stored name under UPLOAD_FOLDER, the name it came with, its type and size.
    stored_name: Mapped[str | None] = mapped_column(String(80))
    filename: Mapped[str | None] = mapped_column(String(200))
    content_type: Mapped[str | None] = mapped_column(String(100))
    size: Mapped[int | None] = mapped_column(Integer)

    @property
    def is_upload(self) -> bool:
        return self.stored_name is not None


class ModeratedMixin:
    """Content that people can flag and moderators can hide (with a reason shown in its place)."""

    hidden_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    hidden_reason: Mapped[str | None] = mapped_column(String(300))
    # Distinct people who flagged it and whose flags are still open.
    flag_count: Mapped[int] = mapped_column(Integer, default=0)

    @property
    def is_hidden(self) -> bool:
        return self.hidden_at is not None
