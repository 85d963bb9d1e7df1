"""Time helpers: the database holds UTC; people see the site's time zone."""
from __future__ import annotations

from datetime import datetime, timezone

from flask_babel import format_datetime as babel_format_datetime
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


class UTCDateTime(TypeDecorator):
    """A timestamp stored in UTC and always returned time-zone aware.

    SQLite has no time zone type and hands back naive values; this makes both
    backends behave the same.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; use engage.core.time.utcnow()")
        return value.astimezone(timezone.utc)

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc)


def format_datetime(value: datetime | None, fmt: str = "medium") -> str:
    """Format a UTC timestamp in the site's time zone and the reader's locale."""
    if value is None:
        return ""
    return babel_format_datetime(value, fmt)
