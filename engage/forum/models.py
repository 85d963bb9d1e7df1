"""The multi-stakeholder forum, its members and its decisions register."""
from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.i18n import localized
from engage.core.models import TimestampMixin
from engage.extensions import db
from engage.organisations.models import Organisation
from engage.core.cache import invalidated_by

if TYPE_CHECKING:
    from engage.meetings.models import Meeting


class Forum(TimestampMixin, db.Model):
    __tablename__ = "forums"

    id: Mapped[int] = mapped_column(primary_key=True)
    default_locale: Mapped[str] = mapped_column(String(8))
    # Facilitator-written texts, {locale: text}; mandate, terms and how to join are Markdown.
    name: Mapped[dict] = mapped_column(JSON, default=dict)
    mandate: Mapped[dict] = mapped_column(JSON, default=dict)
    terms: Mapped[dict] = mapped_column(JSON, default=dict)
    how_to_join: Mapped[dict] = mapped_column(JSON, default=dict)
    # The terms of reference as a document (the decision that set the forum up, say).
    terms_url: Mapped[str] = mapped_column(String(500), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    members: Mapped[list["ForumMember"]] = relationship(
        back_populates="forum", cascade="all, delete-orphan", order_by="ForumMember.name"
    )
    decisions: Mapped[list["ForumDecision"]] = relationship(
        back_populates="forum", cascade="all, delete-orphan",
        order_by="(ForumDecision.decided_on.desc(), ForumDecision.id.desc())",
    )

    def __repr__(self) -> str:
        return f"<Forum {self.id}>"

    def text(self, field: str, locale: str) -> str:
        return localized(getattr(self, field), locale, self.default_locale)

    @property
    def title(self) -> str:
        from flask_babel import get_locale

        return self.text("name", str(get_locale()))


class ForumMember(db.Model):
    """A seat on the forum. The person may or may not have an account; the organisation may be registered."""

    __tablename__ = "forum_members"
    __table_args__ = (
        CheckConstraint("term_end IS NULL OR term_start <= term_end", name="term_starts_before_it_ends"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    organisation_name: Mapped[str] = mapped_column(String(300), default="")
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    sector: Mapped[str] = mapped_column(String(20))
    role: Mapped[str] = mapped_column(String(20), default="member")
    term_start: Mapped[date] = mapped_column(Date)
    term_end: Mapped[date | None] = mapped_column(Date)

    forum: Mapped[Forum] = relationship(back_populates="members")
    organisation: Mapped[Organisation | None] = relationship(lazy="joined")

    def serves_on(self, day: date) -> bool:
        return self.term_start <= day and (self.term_end is None or day <= self.term_end)

    @property
    def verified_organisation(self) -> "Organisation | None":
        """The registered organisation while it is verified (its page is public only then)."""
        return self.organisation if self.organisation is not None and self.organisation.is_verified else None

    @property
    def organisation_display(self) -> str:
        # An organisation waiting for verification again shows the name it had when the seat was recorded.
        if self.verified_organisation is not None:
            return self.verified_organisation.name
        return self.organisation_name


class ForumDecision(db.Model):
    __tablename__ = "forum_decisions"
    __table_args__ = (Index("ix_forum_decisions_forum_id_decided_on", "forum_id", "decided_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forums.id", ondelete="CASCADE"))
    decided_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)

    forum: Mapped[Forum] = relationship(back_populates="decisions")
    meeting: Mapped["Meeting | None"] = relationship(lazy="joined")


@invalidated_by(Forum)
@invalidated_by(ForumMember)
@invalidated_by(ForumDecision)
def _forum_tags(row):
    yield "meetings"  # the forum's pages and its meetings change together
