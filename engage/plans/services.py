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
                start_month=m.start, end_month=m.end, indicator=m.indicator, status=m.status, initial_status=m.status))
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
    return milestone.is_overdue_on(day)


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


# --- The plan's timeline -------------------------------------------------------------------------


@dataclass
class TimelineRow:
    milestone: Milestone
    x: float  # percent of the plan's span
    width: float
    overdue: bool


@dataclass
class Timeline:
    months: list[date]
    rows: list[TimelineRow]
    today_x: float | None


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def timeline(plan: ActionPlan, day: date) -> Timeline:
    """Every milestone as a bar over the plan's months, and where today falls (None outside the plan)."""
    span = _months_between(plan.period_start, plan.period_end) + 1
    months = [date(plan.period_start.year + (plan.period_start.month - 1 + k) // 12, (plan.period_start.month - 1 + k) % 12 + 1, 1)
              for k in range(span)]
    rows = []
    for milestone in all_milestones(plan):
        first = max(0, _months_between(plan.period_start, milestone.start_month))
        length = max(1, _months_between(milestone.start_month, milestone.end_month) + 1)
        rows.append(TimelineRow(milestone, round(100 * first / span, 3), round(100 * min(length, span - first) / span, 3),
                                is_overdue(milestone, day)))
    today_x = None
    if plan.period_start <= day <= month_end(plan.period_end):
        elapsed = _months_between(plan.period_start, day) + (day.day - 1) / month_end(day).day
        today_x = round(100 * elapsed / span, 3)
    return Timeline(months, rows, today_x)


def visible_plans(user) -> list[ActionPlan]:
    from engage.plans.permissions import manages_plans

    query = select(ActionPlan).order_by(ActionPlan.period_start.desc(), ActionPlan.id.desc())
    if not manages_plans(user):
        query = query.where(ActionPlan.published_at.is_not(None))
    return list(db.session.scalars(query))


def linked_proposals(commitment: Commitment) -> list:
    from engage.plans.models import CommitmentProposal
    from engage.proposals.models import Proposal

    return list(db.session.scalars(
        select(Proposal).join(CommitmentProposal, CommitmentProposal.proposal_id == Proposal.id)
        .where(CommitmentProposal.commitment_id == commitment.id).order_by(Proposal.id)))


def commitments_of_proposal(proposal) -> list[Commitment]:
    from engage.plans.models import CommitmentProposal

    return list(db.session.scalars(
        select(Commitment).join(CommitmentProposal, CommitmentProposal.commitment_id == Commitment.id)
        .join(ActionPlan).where(CommitmentProposal.proposal_id == proposal.id, ActionPlan.published_at.is_not(None))
        .order_by(Commitment.id)))


def commitments_for_round(round_id: int) -> list[Commitment]:
    """Commitments of the plans that came from this round (what an accepted proposal can become)."""
    return list(db.session.scalars(
        select(Commitment).join(ActionPlan).join(PlanRound, PlanRound.plan_id == ActionPlan.id)
        .where(PlanRound.round_id == round_id).order_by(ActionPlan.id, Commitment.position)))


def link_proposal(commitment: Commitment, proposal) -> None:
    """Traceability: the proposal must come from one of the plan's rounds."""
    from engage.core.database import insert_ignoring_duplicates
    from engage.plans.models import CommitmentProposal

    if proposal.round_id not in commitment.plan.round_ids:
        raise PlanError(_("Choose a proposal from the rounds this plan came from."), "proposal_id")
    db.session.execute(insert_ignoring_duplicates(CommitmentProposal).values(
        commitment_id=commitment.id, proposal_id=proposal.id))


def unlink_proposal(commitment: Commitment, proposal_id: int) -> None:
    from sqlalchemy import delete

    from engage.plans.models import CommitmentProposal

    db.session.execute(delete(CommitmentProposal).where(CommitmentProposal.commitment_id == commitment.id,
                                                        CommitmentProposal.proposal_id == proposal_id))


# --- Periodic progress reports -------------------------------------------------------------------


def status_on(milestone: Milestone, day: date) -> str:
    """The milestone's status as at ``day``: the latest update reported by then that set one."""
    for update in milestone.updates:  # newest first
        if update.status is not None and update.reported_on <= day:
            return update.status
    return milestone.initial_status


def snapshot(plan: ActionPlan, period_start: date, period_end: date) -> dict:
    """Every milestone's status at the end of the period and the updates reported within it, frozen as data."""
    from engage.core.i18n import LANGUAGE_NAMES

    commitments, all_rows, updates = [], [], []
    for commitment in plan.commitments:
        rows = []
        for m in commitment.milestones:
            status = status_on(m, period_end)
            overdue = status not in ("completed", "cancelled") and month_end(m.end_month) < period_end
            rows.append({"id": m.id, "number": m.number, "description": m.description, "responsible": m.responsible,
                         "period": f"{m.start_month:%m.%Y}-{m.end_month:%m.%Y}", "status": status, "overdue": overdue})
            for u in sorted(m.updates, key=lambda u: (u.reported_on, u.id)):
                if period_start <= u.reported_on <= period_end:
                    updates.append({"milestone": m.number, "reported_on": u.reported_on.isoformat(), "text": u.text,
                                    "locale": u.locale, "status": u.status, "evidence": list(u.evidence or [])})
        counted = [r for r in rows if r["status"] != "cancelled"]
        commitments.append({"id": commitment.id, "number": commitment.number, "title": commitment.title,
                            "progress": round(100 * sum(r["status"] == "completed" for r in counted) / len(counted)) if counted else 0,
                            "milestones": rows})
        all_rows.extend(rows)
    return {
        "locales": list(LANGUAGE_NAMES),
        "as_of": period_end.isoformat(),
        "counts": {"total": len(all_rows), "completed": sum(r["status"] == "completed" for r in all_rows),
                   "overdue": sum(r["overdue"] for r in all_rows),
                   "by_status": dict(Counter(r["status"] for r in all_rows))},
        "commitments": commitments,
        "updates": updates,
    }


def publish_report(plan: ActionPlan, *, title: str, period_start: date, period_end: date, narrative: dict,
                   by: User | None):
    from engage.plans.models import ProgressReport

    if period_end < period_start:
        raise PlanError(_("The period cannot end before it starts."), "period_end")
    if not title.strip():
        raise PlanError(_("Give the report a title."), "title")
    report = ProgressReport(plan_id=plan.id, title=title.strip(), period_start=period_start, period_end=period_end,
                            narrative={k: v.strip() for k, v in narrative.items() if v and v.strip()},
                            snapshot=snapshot(plan, period_start, period_end), published_at=utcnow(),
                            author_id=by.id if by else None)
    db.session.add(report)
    db.session.flush()
    return report


def reports_of(plan: ActionPlan) -> list:
    from engage.plans.models import ProgressReport

    return list(db.session.scalars(select(ProgressReport).where(ProgressReport.plan_id == plan.id)
                                   .order_by(ProgressReport.period_end.desc(), ProgressReport.id.desc())))
