"""Mixins shared by the models of every feature."""
from datetime import datetime

from sqlalchemy.orm import Mapped, mapped_column

from engage.core.time import UTCDateTime, utcnow


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime(), default=utcnow, onupdate=utcnow, nullable=False
    )
