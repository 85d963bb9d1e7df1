"""Action plans, their commitments and milestones, progress updates, and published progress reports.

Facilitator-written texts are ``{locale: text}`` dictionaries read with ``text()``,
falling back to the plan's default language.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.i18n import localized
from engage.core.models import TimestampMixin
from engage.core.time import UTCDateTime, utcnow
from engage.extensions import db
from engage.core.cache import expires_at, invalidated_by

if TYPE_CHECKING:
    from engage.rounds.models import Round


class _Texts:
    """``text(field, locale)`` for models whose texts are ``{locale: text}``; the plan's language is the default
    (each model says where that is with ``_default_locale()``)."""

    def text(self, field: str, locale: str) -> str:
        return localized(getattr(self, field), locale, self._default_locale())


class ActionPlan(_Texts, TimestampMixin, db.Model):
    __tablename__ = "action_plans"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    default_locale: Mapped[str] = mapped_column(String(8))
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    jurisdiction: Mapped[dict] = mapped_column(JSON, default=dict)
    lead_institutions: Mapped[dict] = mapped_column(JSON, default=dict)
    # First day of the first and of the last month of the plan.
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="drafting")
    adoption_reference: Mapped[str] = mapped_column(String(300), default="")
    adopted_on: Mapped[date | None] = mapped_column(Date)
    monitoring_body: Mapped[dict] = mapped_column(JSON, default=dict)
    monitoring_contact: Mapped[str] = mapped_column(String(1000), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    commitments: Mapped[list["Commitment"]] = relationship(
        back_populates="plan", cascade="all, delete-orphan", order_by="Commitment.position"
    )
    rounds: Mapped[list["PlanRound"]] = relationship(cascade="all, delete-orphan")

    def _default_locale(self) -> str:
        return self.default_locale

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def round_ids(self) -> list[int]:
        return [r.round_id for r in self.rounds]


class PlanRound(db.Model):
    """A co-creation round the plan came from."""

    __tablename__ = "action_plan_rounds"

    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("rounds.id", ondelete="CASCADE"), primary_key=True, index=True)

    round: Mapped["Round"] = relationship(lazy="joined")


class Commitment(_Texts, db.Model):
    __tablename__ = "commitments"
    __table_args__ = (UniqueConstraint("plan_id", "number", name="uq_commitments_plan_id_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20))
    position: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[dict] = mapped_column(JSON, default=dict)
    problem: Mapped[dict] = mapped_column(JSON, default=dict)
    objective: Mapped[dict] = mapped_column(JSON, default=dict)
    expected_results: Mapped[dict] = mapped_column(JSON, default=dict)
    # Codes from engage.plans.kinds.OGP_VALUES.
    ogp_values: Mapped[list] = mapped_column(JSON, default=list)
    lead_institutions: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")

    plan: Mapped[ActionPlan] = relationship(back_populates="commitments")
    milestones: Mapped[list["Milestone"]] = relationship(
        back_populates="commitment", cascade="all, delete-orphan", order_by="Milestone.position"
    )

    def _default_locale(self) -> str:
        return self.plan.default_locale


class CommitmentProposal(db.Model):
    """Traceability: a resident's proposal that a commitment answers."""

    __tablename__ = "commitment_proposals"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True)
    proposal_id: Mapped[int] = mapped_column(ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True, index=True)


class CommitmentPartner(db.Model):
    """A registered organisation among a commitment's partners (besides the free-text partners)."""

    __tablename__ = "commitment_partners"

    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True,
                                                 index=True)


class Milestone(_Texts, db.Model):
    """A step of a commitment, due within a period of months."""

    __tablename__ = "milestones"
    __table_args__ = (CheckConstraint("start_month <= end_month", name="months_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(ForeignKey("commitments.id", ondelete="CASCADE"), index=True)
    number: Mapped[str] = mapped_column(String(20), default="")
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[dict] = mapped_column(JSON, default=dict)
    responsible: Mapped[str] = mapped_column(Text, default="")
    start_month: Mapped[date] = mapped_column(Date)
    end_month: Mapped[date] = mapped_column(Date)
    indicator: Mapped[dict] = mapped_column(JSON, default=dict)
    # The status in force: the latest update's, else the status it was created with (initial_status).
    status: Mapped[str] = mapped_column(String(20), default="not_started")
    initial_status: Mapped[str] = mapped_column(String(20), default="not_started")
    # When its months, description or indicator were last changed after the plan was published.
    revised_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    commitment: Mapped[Commitment] = relationship(back_populates="milestones")
    updates: Mapped[list["ProgressUpdate"]] = relationship(
        back_populates="milestone", cascade="all, delete-orphan",
        order_by="(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc())",
    )

    def _default_locale(self) -> str:
        return self.commitment.plan.default_locale

    def is_overdue_on(self, day: date) -> bool:
        """Its end month has passed and it is neither completed nor cancelled."""
        from engage.plans.kinds import month_end

        return self.status not in ("completed", "cancelled") and month_end(self.end_month) < day


class ProgressUpdate(db.Model):
    __tablename__ = "milestone_updates"
    __table_args__ = (Index("ix_milestone_updates_milestone_id_reported_on", "milestone_id", "reported_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestones.id", ondelete="CASCADE"))
    reported_on: Mapped[date] = mapped_column(Date)
    text: Mapped[str] = mapped_column(Text)
    locale: Mapped[str] = mapped_column(String(8))
    # The status this update sets, if it changes it.
    status: Mapped[str | None] = mapped_column(String(20))
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    milestone: Mapped[Milestone] = relationship(back_populates="updates")
    author: Mapped[User | None] = relationship(lazy="joined")


class ProgressReport(db.Model):
    """A published report for a period: a frozen snapshot of every milestone and the updates in the period."""

    __tablename__ = "progress_reports"
    __table_args__ = (CheckConstraint("period_start <= period_end", name="period_in_order"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    narrative: Mapped[dict] = mapped_column(JSON, default=dict)
    # Written once at publication: commitments, milestones with their status then, the period's updates, counts.
    snapshot: Mapped[dict] = mapped_column(JSON, default=dict)
    published_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    plan: Mapped[ActionPlan] = relationship()


class CoCreationNote(db.Model):
    """A facilitator's text on the co-creation report: the explanation and references of a requirement
    (key "1.1" ... "2.6"), or, for a commitment, the kind of change ("c<id>.change") or the recommended
    changes ("c<id>.recommend")."""

    __tablename__ = "cocreation_notes"
    __table_args__ = (UniqueConstraint("plan_id", "key", name="uq_cocreation_notes_plan_id_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(40))
    explanation: Mapped[str] = mapped_column(Text, default="")
    references: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


@invalidated_by(ActionPlan)
@invalidated_by(PlanRound)
@invalidated_by(Commitment)
@invalidated_by(CommitmentPartner)
@invalidated_by(Milestone)
@invalidated_by(ProgressUpdate)
@invalidated_by(ProgressReport)
@invalidated_by(CoCreationNote)
def _plan_tags(row):
    yield "plans"


@invalidated_by(CommitmentProposal)
def _traceability_tags(link: CommitmentProposal):
    yield "plans"
    yield f"proposal:{link.proposal_id}"


@event.listens_for(ActionPlan, "load")
def _plan_turns(plan: ActionPlan, context) -> None:
    # Which milestones are overdue or due soon changes with the day.
    from datetime import datetime, time, timedelta

    from engage.core.time import now, site_timezone

    tomorrow = now().astimezone(site_timezone()).date() + timedelta(days=1)
    expires_at(datetime.combine(tomorrow, time(), tzinfo=site_timezone()))
