"""The rules and changes of action plans. Functions flush; the request (or the command) commits."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import select

from engage.auth.models import User
from engage.core.time import now, site_timezone, utcnow
from engage.extensions import db
from engage.plans.importer import PlanData
from engage.plans.kinds import MILESTONE_STATUSES, month_end
from engage.plans.models import ActionPlan, Commitment, Milestone, PlanRound, ProgressUpdate


class PlanError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def get_plan(plan_id: int) -> ActionPlan | None:
    return db.session.get(ActionPlan, plan_id)


def today() -> date:
    return now().astimezone(site_timezone()).date()


# --- Import --------------------------------------------------------------------------------


def create_from(data: PlanData, *, by: User | None = None, round_ids: list[int] = (), publish: bool = False) -> ActionPlan:
    """Write a checked plan (see engage.plans.importer.check) with its commitments and milestones."""
    plan = ActionPlan(
        default_locale=data.default_locale, title=data.title, jurisdiction=data.jurisdiction,
        lead_institutions=data.lead_institutions, period_start=data.period_start, period_end=data.period_end,
        status=data.status, adoption_reference=data.adoption_reference, adopted_on=data.adopted_on,
        monitoring_body=data.monitoring_body, monitoring_contact=data.monitoring_contact,
        created_by_id=by.id if by else None, published_at=utcnow() if publish else None,
    )
    for position, c in enumerate(data.commitments):
        commitment = Commitment(number=c.number, position=position, title=c.title, problem=c.problem,
                                objective=c.objective, expected_results=c.expected_results, ogp_values=c.ogp_values,
                                lead_institutions=c.lead_institutions, partners=c.partners)
        for m_position, m in enumerate(c.milestones):
            commitment.milestones.append(Milestone(
                number=m.number, position=m_position, description=m.description, responsible=m.responsible,
                start_month=m.start, end_month=m.end, indicator=m.indicator, status=m.status))
        plan.commitments.append(commitment)
    for round_id in dict.fromkeys(round_ids):
        plan.rounds.append(PlanRound(round_id=round_id))
    db.session.add(plan)
    db.session.flush()
    return plan


# --- Progress ---------------------------------------------------------------------------------


def add_update(milestone: Milestone, *, by: User | None, text: str, locale: str, reported_on: date,
               status: str | None = None, evidence: list[str] = ()) -> ProgressUpdate:
    """Record progress; the latest update that names a status sets the milestone's status."""
    if status is not None and status not in MILESTONE_STATUSES:
        raise PlanError(_("Choose a status from the list."), "status")
    if not text.strip():
        raise PlanError(_("Describe the progress."), "text")
    update = ProgressUpdate(milestone_id=milestone.id, reported_on=reported_on, text=text.strip(), locale=locale,
                            status=status, evidence=list(evidence), author_id=by.id if by else None, created_at=utcnow())
    milestone.updates.append(update)
    db.session.flush()
    refresh_status(milestone)
    return update


def refresh_status(milestone: Milestone) -> None:
    """The status in force comes from the latest update (by date reported, then by entry) that sets one."""
    latest = db.session.scalar(
        select(ProgressUpdate.status).where(ProgressUpdate.milestone_id == milestone.id, ProgressUpdate.status.is_not(None))
        .order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()).limit(1)
    )
    if latest is not None:
        milestone.status = latest
    db.session.flush()


DUE_SOON = timedelta(days=30)


def is_overdue(milestone: Milestone, day: date) -> bool:
    """Its end month has passed and it is neither completed nor cancelled."""
    return milestone.status not in ("completed", "cancelled") and month_end(milestone.end_month) < day


def is_due_soon(milestone: Milestone, day: date) -> bool:
    deadline = month_end(milestone.end_month)
    return milestone.status not in ("completed", "cancelled") and day <= deadline <= day + DUE_SOON


@dataclass
class Counts:
    total: int
    completed: int
    on_schedule: int
    due_soon: int
    overdue: int
    by_status: dict[str, int]

    @property
    def completed_percent(self) -> int:
        return round(100 * self.completed / self.total) if self.total else 0


def counts(milestones: list[Milestone], day: date) -> Counts:
    """Completed; on schedule (neither completed, cancelled nor overdue); due within 30 days; overdue."""
    overdue = [m for m in milestones if is_overdue(m, day)]
    completed = [m for m in milestones if m.status == "completed"]
    on_schedule = [m for m in milestones if m.status not in ("completed", "cancelled") and not is_overdue(m, day)]
    return Counts(total=len(milestones), completed=len(completed), on_schedule=len(on_schedule),
                  due_soon=sum(1 for m in milestones if is_due_soon(m, day)), overdue=len(overdue),
                  by_status=dict(Counter(m.status for m in milestones)))


def commitment_progress(commitment: Commitment) -> int:
    """Share of its milestones completed, in percent (cancelled ones do not count either way)."""
    counted = [m for m in commitment.milestones if m.status != "cancelled"]
    return round(100 * sum(m.status == "completed" for m in counted) / len(counted)) if counted else 0


def all_milestones(plan: ActionPlan) -> list[Milestone]:
    return [m for c in plan.commitments for m in c.milestones]
