"""Consultation rounds: their texts in several languages, phases, topics, documents, people."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, Float, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.models import DocumentMixin, TimestampMixin
from engage.core.time import UTCDateTime, now
from engage.extensions import db
from engage.rounds.phases import PhaseType
from engage.core.cache import expires_at, invalidated_by


class Round(TimestampMixin, db.Model):
    __tablename__ = "rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    default_locale: Mapped[str] = mapped_column(String(8))
    organiser: Mapped[str] = mapped_column(String(200))
    # None: the whole city; otherwise a district code from engage.core.districts.
    district: Mapped[str | None] = mapped_column(String(40))
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    texts: Mapped[list["RoundText"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", lazy="selectin"
    )
    phases: Mapped[list["Phase"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", lazy="selectin", order_by="Phase.starts_at"
    )
    topics: Mapped[list["Topic"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="Topic.position"
    )
    documents: Mapped[list["RoundDocument"]] = relationship(
        back_populates="round", cascade="all, delete-orphan", order_by="RoundDocument.id"
    )
    # Loaded when a permission needs them (visitors' pages never do).
    facilitators: Mapped[list["RoundFacilitator"]] = relationship(back_populates="round", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Round {self.id}>"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def facilitator_ids(self) -> set[int]:
        return {f.user_id for f in self.facilitators}

    # --- texts in several languages ----------------------------------------
    def text_in(self, locale: str) -> "RoundText":
        """The text in ``locale``, else in the round's default language."""
        by_locale = {t.locale: t for t in self.texts}
        return by_locale.get(locale) or by_locale.get(self.default_locale) or self.texts[0]

    @property
    def title(self) -> str:
        from flask_babel import get_locale

        return self.text_in(str(get_locale())).title

    # --- phases ----------------------------------------------------------------
    def phase_at(self, moment: datetime) -> "Phase | None":
        for phase in self.phases:
            if phase.starts_at <= moment < phase.ends_at:
                return phase
        return None

    @property
    def current_phase(self) -> "Phase | None":
        return self.phase_at(now())

    @property
    def feedback_has_begun(self) -> bool:
        """True from the start of the feedback phase (or of any later one)."""
        moment = now()
        return any(
            p.starts_at <= moment and p.type in (PhaseType.FEEDBACK.value, PhaseType.CLOSED.value) for p in self.phases
        )

    @property
    def status(self) -> str:
        """``upcoming``, ``open`` or ``closed``, from the clock."""
        moment = now()
        if not self.phases or moment < self.phases[0].starts_at:
            return "upcoming"
        current = self.phase_at(moment)
        if current is not None and current.type == PhaseType.CLOSED.value:
            return "closed"
        if current is None and moment >= self.phases[-1].ends_at:
            return "closed"
        return "open"


class RoundText(db.Model):
    """Title, summary and description of a round in one language."""

    __tablename__ = "round_texts"
    __table_args__ = (UniqueConstraint("round_id", "locale", name="uq_round_texts_round_id_locale"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text, default="")
    # The two facilitator-written sections of the "How your input was used" report.
    what_we_heard: Mapped[str] = mapped_column(Text, default="")
    what_we_changed: Mapped[str] = mapped_column(Text, default="")

    round: Mapped[Round] = relationship(back_populates="texts")


class Phase(db.Model):
    __tablename__ = "phases"
    __table_args__ = (CheckConstraint("starts_at < ends_at", name="starts_before_it_ends"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    type: Mapped[str] = mapped_column(String(30))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ends_at: Mapped[datetime] = mapped_column(UTCDateTime())
    note: Mapped[str] = mapped_column(String(300), default="")
    # When the round's followers were told that this phase began (engage.notifications).
    announced_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    round: Mapped[Round] = relationship(back_populates="phases")

    @property
    def phase_type(self) -> PhaseType:
        return PhaseType(self.type)


class Topic(db.Model):
    __tablename__ = "topics"
    __table_args__ = (UniqueConstraint("round_id", "name", name="uq_topics_round_id_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(Integer, default=0)

    round: Mapped[Round] = relationship(back_populates="topics")


class RoundDocument(TimestampMixin, DocumentMixin, db.Model):
    """A document of the round: a link, or a file uploaded to the instance folder."""

    __tablename__ = "round_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)

    round: Mapped[Round] = relationship(back_populates="documents")


class RoundFacilitator(db.Model):
    __tablename__ = "round_facilitators"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_round_facilitators_round_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)

    round: Mapped[Round] = relationship(back_populates="facilitators")
    user: Mapped[User] = relationship()


class RoundStats(db.Model):
    """A round's totals, kept in the same transaction as the rows they count (engage.rounds.stats).

    Pages of a round with 20,000 proposals and half a million comments read one row instead of
    counting and de-duplicating everyone who took part on every request.
    """

    __tablename__ = "round_stats"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    proposals: Mapped[int] = mapped_column(Integer, default=0)
    supports: Mapped[int] = mapped_column(Integer, default=0)
    comments: Mapped[int] = mapped_column(Integer, default=0)  # not deleted
    official_comments: Mapped[int] = mapped_column(Integer, default=0)  # facilitators' replies, deleted ones too
    participants: Mapped[int] = mapped_column(Integer, default=0)
    # Days from submission to a final answer, over the proposals answered (engage.feedback).
    median_answer_days: Mapped[float | None] = mapped_column(Float)
    p90_answer_days: Mapped[float | None] = mapped_column(Float)


class RoundParticipant(db.Model):
    """How many contributions (proposals, supports, comments) a person has in a round.

    A person counts as a participant while this is above zero; the row makes the count exact
    when supports are taken back.
    """

    __tablename__ = "round_participants"

    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    contributions: Mapped[int] = mapped_column(Integer, default=0)


class RoundFollower(TimestampMixin, db.Model):
    __tablename__ = "round_followers"
    __table_args__ = (UniqueConstraint("round_id", "user_id", name="uq_round_followers_round_id_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)


@invalidated_by(Round)
def _round_tags(round_: Round):
    yield "rounds"
    yield f"round:{round_.id}"


@invalidated_by(RoundText)
@invalidated_by(Phase)
@invalidated_by(Topic)
@invalidated_by(RoundDocument)
@invalidated_by(RoundFacilitator)
def _round_part_tags(row):
    yield "rounds"
    yield f"round:{row.round_id}"


@event.listens_for(Phase, "load")
def _phase_turns(phase: Phase, context) -> None:
    expires_at(phase.starts_at, phase.ends_at)  # what a round allows changes at these moments
