"""Meetings, their documents, and the people registered for them."""
from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.i18n import localized
from engage.core.models import DocumentMixin, TimestampMixin
from engage.core.time import UTCDateTime, now, utcnow
from engage.extensions import db
from engage.rounds.models import Round
from engage.core.cache import expires_at, invalidated_by

if TYPE_CHECKING:
    from engage.forum.models import Forum


def _new_uid() -> str:
    return uuid.uuid4().hex


class Meeting(TimestampMixin, db.Model):
    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("starts_at < ends_at", name="starts_before_it_ends"),
        CheckConstraint("round_id IS NOT NULL OR forum_id IS NOT NULL", name="belongs_to_round_or_forum"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        Index("ix_meetings_published_at_starts_at", "published_at", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The calendar UID: stays the same through every change, so calendars update the event.
    uid: Mapped[str] = mapped_column(String(64), unique=True, default=_new_uid)
    # Raised on every change after publication (the iCalendar SEQUENCE).
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    kind: Mapped[str] = mapped_column(String(20))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    forum_id: Mapped[int | None] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    default_locale: Mapped[str] = mapped_column(String(8))
    # Facilitator-written texts, {locale: text}; agenda and minutes are Markdown.
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    agenda: Mapped[dict] = mapped_column(JSON, default=dict)
    minutes: Mapped[dict] = mapped_column(JSON, default=dict)
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    venue_name: Mapped[str] = mapped_column(String(200), default="")
    venue_address: Mapped[str] = mapped_column(String(300), default="")
    accessibility: Mapped[str] = mapped_column(String(500), default="")
    online_url: Mapped[str] = mapped_column(String(500), default="")
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_required: Mapped[bool] = mapped_column(Boolean, default=False)
    # Registered seats, changed only by conditional UPDATEs so two people never take the last one.
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the agenda became public: the notice the meeting gave is measured from here.
    agenda_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    short_notice: Mapped[bool] = mapped_column(Boolean, default=False)
    minutes_published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    attendance_total: Mapped[int | None] = mapped_column(Integer)
    # {sector code: number}, optional.
    attendance_by_sector: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    round: Mapped[Round | None] = relationship()
    forum: Mapped["Forum | None"] = relationship()
    documents: Mapped[list["MeetingDocument"]] = relationship(
        back_populates="meeting", cascade="all, delete-orphan", order_by="MeetingDocument.id"
    )

    def __repr__(self) -> str:
        return f"<Meeting {self.id}>"

    def text(self, field: str, locale: str) -> str:
        return localized(getattr(self, field), locale, self.default_locale)

    @property
    def title_text(self) -> str:
        from flask_babel import get_locale

        return self.text("title", str(get_locale()))

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_past(self) -> bool:
        return self.ends_at <= now()

    @property
    def has_started(self) -> bool:
        return self.starts_at <= now()

    @property
    def notice_days(self) -> int | None:
        """Whole days between the agenda's publication and the start."""
        if self.agenda_published_at is None:
            return None
        return max(0, (self.starts_at - self.agenda_published_at).days)

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(0, self.capacity - self.seats_taken)

    @property
    def has_minutes(self) -> bool:
        return self.minutes_published_at is not None


class MeetingDocument(DocumentMixin, db.Model):
    """A document of a meeting (agenda material, minutes, presentation): a link or an uploaded file."""

    __tablename__ = "meeting_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    meeting: Mapped[Meeting] = relationship(back_populates="documents")


class Registration(db.Model):
    """A person's place at a meeting: registered, on the waitlist, or cancelled (the row is reused)."""

    __tablename__ = "meeting_registrations"
    __table_args__ = (
        UniqueConstraint("meeting_id", "user_id", name="uq_meeting_registrations_meeting_user"),
        Index("ix_meeting_registrations_meeting_status_queued", "meeting_id", "status", "queued_at"),
    )

    REGISTERED, WAITLISTED, CANCELLED = "registered", "waitlisted", "cancelled"

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(20))
    # The waitlist's order: when the person last asked for a place.
    queued_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    user: Mapped[User] = relationship(lazy="joined")


@invalidated_by(Meeting)
def _meeting_tags(meeting: Meeting):
    yield "meetings"
    if meeting.round_id:
        yield f"round:{meeting.round_id}"


@invalidated_by(MeetingDocument)
@invalidated_by(Registration)
def _meeting_part_tags(row):
    yield "meetings"


@event.listens_for(Meeting, "load")
def _meeting_turns(meeting: Meeting, context) -> None:
    expires_at(meeting.starts_at, meeting.ends_at)  # upcoming, under way, past
