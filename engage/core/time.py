"""Time helpers: the database holds UTC; people see the site's time zone."""
from __future__ import annotations

from functools import lru_cache

from datetime import datetime, timezone

from flask_babel import format_datetime as babel_format_datetime
from sqlalchemy import DateTime
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """The current time in UTC: the site's clock, which tests may move with :func:`travel_to`."""
    return _travelled_to if _travelled_to is not None else datetime.now(timezone.utc)


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
    """Format a UTC timestamp in the site's time zone and the reader's locale.

    A thread of 150 comments formats 300 timestamps; Babel takes a fraction of a millisecond for
    each, so results are remembered (the same moment, format, language and zone give the same text).
    """
    if value is None:
        return ""
    from flask_babel import get_locale, get_timezone

    return _formatted(value, fmt, str(get_locale()), str(get_timezone()))


@lru_cache(maxsize=20000)
def _formatted(value: datetime, fmt: str, locale: str, zone: str) -> str:
    return babel_format_datetime(value, fmt)


# Every rule that depends on the time (which phase is in force, edit windows) and every
# timestamp read the same clock. Tests move it with :func:`travel_to`; nothing else should.
_travelled_to: datetime | None = None

now = utcnow


def travel_to(moment: datetime | None) -> None:
    """Make :func:`now` return ``moment`` (``None`` goes back to the real clock)."""
    global _travelled_to
    if moment is not None and moment.tzinfo is None:
        raise ValueError("naive datetime given")
    _travelled_to = moment


def site_timezone():
    from flask import current_app
    from zoneinfo import ZoneInfo

    return ZoneInfo(current_app.config["TIMEZONE"])


def to_utc(local: datetime) -> datetime:
    """A naive date-time typed in a form, read in the site's time zone, as UTC."""
    if local.tzinfo is None:
        local = local.replace(tzinfo=site_timezone())
    return local.astimezone(timezone.utc)


def to_local(value: datetime) -> datetime:
    """A UTC timestamp as a naive date-time in the site's time zone, for a form field."""
    return value.astimezone(site_timezone()).replace(tzinfo=None)


def iso(value: datetime | None) -> str | None:
    """ISO 8601 in UTC with a Z (as the API and the open data write times), or None."""
    if value is None:
        return None
    return value.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
