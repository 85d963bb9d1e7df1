"""The rules and changes of action plans. Functions flush; the request (or the command) commits."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _, ngettext
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from engage.auth.models import User
from engage.core.i18n import localized
from engage.core.time import now, site_timezone, utcnow
from engage.extensions import db
from engage.plans.importer import PlanData
from engage.plans.kinds import MILESTONE_STATUSES, month_end
from engage.plans.models import ActionPlan, Commitment, Milestone, PlanRound, ProgressUpdate
from engage.core.cache import touch
from flask import abort
from engage.core.permissions import can


class PlanError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def plan_tree(with_updates: bool = False) -> list:
    """Loader options: a plan's commitments and their milestones (and the milestones' updates) in one query each."""
    milestones = selectinload(ActionPlan.commitments).selectinload(Commitment.milestones)
    return [milestones.selectinload(Milestone.updates) if with_updates else milestones]


def updates_by_milestone(plan: ActionPlan) -> dict[int, list[dict]]:
    """Every progress update of the plan as plain rows, newest first per milestone, in one query (for exports)."""
    found: dict[int, list[dict]] = {}
    rows = db.session.execute(
        select(ProgressUpdate.milestone_id, ProgressUpdate.reported_on, ProgressUpdate.text, ProgressUpdate.locale,
               ProgressUpdate.status, ProgressUpdate.evidence)
        .join(Milestone, Milestone.id == ProgressUpdate.milestone_id).join(Commitment, Commitment.id == Milestone.commitment_id)
        .where(Commitment.plan_id == plan.id).order_by(ProgressUpdate.reported_on.desc(), ProgressUpdate.id.desc()))
    for milestone_id, reported_on, text, locale, status, evidence in rows:
        found.setdefault(milestone_id, []).append({"reported_on": reported_on.isoformat(), "text": text, "locale": locale,
                                                   "status": status, "evidence": list(evidence or [])})
    return found


def get_plan(plan_id: int, *, with_updates: bool = False, tree: bool = True) -> ActionPlan | None:
    """The plan, with its commitments and milestones loaded at once (``tree``), or alone."""
    return db.session.get(ActionPlan, plan_id, options=plan_tree(with_updates) if tree else ())


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
    _audit("plan.saved", plan, details="imported", **({"actor": by} if by is not None else {}))
    if publish:
        _audit("plan.published", plan, **({"actor": by} if by is not None else {}))
    return plan


# --- Writing plans in the browser --------------------------------------------------------------


def _texts(values: dict[str, str]) -> dict[str, str]:
    """Non-empty texts by language, with line breaks as the importer writes them (browsers send CR LF)."""
    return {k: v.replace("\r\n", "\n").strip() for k, v in values.items() if v and v.strip()}


MAX_PLAN_MONTHS = 120  # OGP plans run two to four years; ten is a generous bound that keeps the timeline drawable.


def _check_months(start: date, end: date, end_field: str, message: str) -> None:
    if not (1900 < start.year < 2200 and 1900 < end.year < 2200):
        raise PlanError(_("Enter a month between 1901 and 2199."), end_field)
    if end < start:
        raise PlanError(message, end_field)


def _require_text(values: dict[str, str], locale: str, field: str, message: str) -> None:
    if not (values.get(locale) or "").strip():
        raise PlanError(message, f"{field}_{locale}")


@dataclass
class PlanDetails:
    default_locale: str
    title: dict
    jurisdiction: dict
    lead_institutions: dict
    monitoring_body: dict
    period_start: date
    period_end: date
    status: str
    adoption_reference: str = ""
    adopted_on: date | None = None
    monitoring_contact: str = ""
    round_ids: list[int] = ()


def save_plan(plan: ActionPlan | None, details: PlanDetails, *, by: User) -> ActionPlan:
    """Create a plan (a draft) or change one; milestones must stay inside the period."""
    from engage.core.urls import MAX_ID
    from engage.plans.kinds import PLAN_STATUSES
    from engage.rounds.models import Round

    _require_text(details.title, details.default_locale, "title", _("Enter the plan’s title in its default language."))
    if details.status not in PLAN_STATUSES:
        raise PlanError(_("Choose a status from the list."), "status")
    start, end = details.period_start.replace(day=1), details.period_end.replace(day=1)
    _check_months(start, end, "period_end", _("The last month cannot come before the first."))
    if _months_between(start, end) >= MAX_PLAN_MONTHS:
        raise PlanError(ngettext("A plan can run for at most %(num)d year.", "A plan can run for at most %(num)d years.",
                                 MAX_PLAN_MONTHS // 12), "period_end")
    if plan is not None:
        outside = [m for m in all_milestones(plan) if m.start_month < start or m.end_month > end]
        if outside:
            raise PlanError(_("Milestone %(number)s falls outside this period; change it first.",
                              number=outside[0].number or outside[0].id), "period_start")
    round_ids = list(dict.fromkeys(details.round_ids))
    if any(not 0 < r <= MAX_ID for r in round_ids):
        raise PlanError(_("Choose rounds from the list."), "round_ids")
    # Only public rounds: the plan's page links to them.
    known = set(db.session.scalars(select(Round.id).where(Round.id.in_(round_ids), Round.published_at.is_not(None))))
    if set(round_ids) - known:
        raise PlanError(_("Choose rounds from the list."), "round_ids")
    if plan is None:
        plan = ActionPlan(created_by_id=by.id)
        db.session.add(plan)
    plan.default_locale = details.default_locale
    plan.title, plan.jurisdiction = _texts(details.title), _texts(details.jurisdiction)
    plan.lead_institutions, plan.monitoring_body = _texts(details.lead_institutions), _texts(details.monitoring_body)
    plan.period_start, plan.period_end, plan.status = start, end, details.status
    plan.adoption_reference, plan.adopted_on = details.adoption_reference.strip(), details.adopted_on
    plan.monitoring_contact = details.monitoring_contact.strip()
    plan.rounds[:] = [link for link in plan.rounds if link.round_id in known]
    for round_id in round_ids:
        if round_id not in plan.round_ids:
            plan.rounds.append(PlanRound(round_id=round_id))
    db.session.flush()
    _audit("plan.saved", plan, actor=by)
    return plan


def _audit(action: str, plan: ActionPlan, **kwargs) -> None:
    from engage.audit.services import record

    record(action, plan, target_type="plan", label=(plan.title or {}).get(plan.default_locale, ""), **kwargs)


def publish_plan(plan: ActionPlan) -> None:
    if not plan.commitments:
        raise PlanError(_("Add at least one commitment before publishing the plan."))
    if plan.published_at is None:
        plan.published_at = utcnow()
        _audit("plan.published", plan)
    db.session.flush()


@dataclass
class CommitmentDetails:
    number: str
    title: dict
    problem: dict
    objective: dict
    expected_results: dict
    ogp_values: list[str]
    lead_institutions: str = ""
    partners: str = ""


def save_commitment(plan: ActionPlan, commitment: Commitment | None, details: CommitmentDetails) -> Commitment:
    from engage.plans.kinds import OGP_VALUES

    number = details.number.strip()
    if not number:
        raise PlanError(_("Give the commitment a number."), "number")
    if any(c.number == number and c is not commitment for c in plan.commitments):
        raise PlanError(_("Commitment %(number)s is already in this plan.", number=number), "number")
    _require_text(details.title, plan.default_locale, "title", _("Enter the commitment’s title in the plan’s default language."))
    if any(v not in OGP_VALUES for v in details.ogp_values):
        raise PlanError(_("Choose OGP values from the list."), "ogp_values")
    if commitment is None:
        commitment = Commitment(position=max((c.position for c in plan.commitments), default=-1) + 1)
        plan.commitments.append(commitment)
    commitment.number = number
    commitment.title, commitment.problem = _texts(details.title), _texts(details.problem)
    commitment.objective, commitment.expected_results = _texts(details.objective), _texts(details.expected_results)
    commitment.ogp_values = [v for v in OGP_VALUES if v in details.ogp_values]
    commitment.lead_institutions, commitment.partners = details.lead_institutions.strip(), details.partners.strip()
    db.session.flush()
    _audit("plan.saved", plan, details=f"commitment {commitment.number}")
    return commitment


def delete_commitment(commitment: Commitment) -> None:
    """Only while the plan is a draft: once public, a commitment's record stays (cancel its milestones instead)."""
    if commitment.plan.is_published:
        raise PlanError(_("A published plan keeps its commitments; cancel the milestones with a progress update instead."))
    _audit("plan.saved", commitment.plan, details=f"commitment {commitment.number} deleted")
    db.session.delete(commitment)
    db.session.flush()


@dataclass
class MilestoneDetails:
    number: str
    description: dict
    indicator: dict
    responsible: str
    start_month: date
    end_month: date
    status: str = "not_started"


def save_milestone(commitment: Commitment, milestone: Milestone | None, details: MilestoneDetails) -> Milestone:
    """Add or change a step. Changing the months, description or indicator of a published plan's step is a
    revision and is recorded; the status of an existing step only changes through progress updates."""
    plan = commitment.plan
    _require_text(details.description, plan.default_locale, "description",
                  _("Describe the milestone in the plan’s default language."))
    start, end = details.start_month.replace(day=1), details.end_month.replace(day=1)
    _check_months(start, end, "end_month", _("A milestone cannot end before it starts."))
    if start < plan.period_start or end > plan.period_end:
        raise PlanError(_("The milestone must fall within the plan’s period (%(period)s).",
                          period=f"{plan.period_start:%m.%Y}-{plan.period_end:%m.%Y}"), "start_month")
    # A step added to a public plan starts "not started" (its progress comes from updates) and is a revision.
    status = "not_started" if plan.is_published else details.status
    if milestone is None and status not in MILESTONE_STATUSES:
        raise PlanError(_("Choose a status from the list."), "status")
    taken = {m.number for m in all_milestones(plan) if m is not milestone}
    number = details.number.strip() or (milestone.number if milestone is not None else _next_number(commitment, taken))
    if number in taken:
        raise PlanError(_("Milestone %(number)s is already in this plan.", number=number), "number")
    if len(number) > 20:
        raise PlanError(_("Give the milestone a number of at most 20 characters."), "number")
    description, indicator = _texts(details.description), _texts(details.indicator)
    if milestone is None:
        milestone = Milestone(position=max((m.position for m in commitment.milestones), default=-1) + 1,
                              status=status, initial_status=status, revised_at=utcnow() if plan.is_published else None)
        commitment.milestones.append(milestone)
    else:
        changed = (milestone.start_month, milestone.end_month, milestone.description, milestone.indicator) != (
            start, end, description, indicator)
        if changed and plan.is_published:
            milestone.revised_at = utcnow()
    milestone.number = number
    milestone.description, milestone.indicator = description, indicator
    milestone.responsible, milestone.start_month, milestone.end_month = details.responsible.strip(), start, end
    db.session.flush()
    _audit("plan.saved", plan, details=f"milestone {milestone.number}")
    return milestone


def _next_number(commitment: Commitment, taken: set[str]) -> str:
    """The commitment's number and the first free step number after its steps: 4.1, 4.2, …"""
    n = len(commitment.milestones) + 1
    while f"{commitment.number}.{n}" in taken:
        n += 1
    return f"{commitment.number}.{n}"


def delete_milestone(milestone: Milestone) -> None:
    if milestone.commitment.plan.is_published:
        raise PlanError(_("A published plan keeps its milestones; cancel this one with a progress update instead."))
    _audit("plan.saved", milestone.commitment.plan, details=f"milestone {milestone.number} deleted")
    db.session.delete(milestone)
    db.session.flush()


def add_partner(commitment: Commitment, organisation) -> None:
    """A verified organisation among the commitment's partners."""
    from engage.core.database import insert_ignoring_duplicates
    from engage.plans.models import CommitmentPartner

    if organisation is None or not organisation.is_verified:
        raise PlanError(_("Choose a verified organisation from the list."), "organisation_id")
    db.session.execute(insert_ignoring_duplicates(CommitmentPartner).values(
        commitment_id=commitment.id, organisation_id=organisation.id))
    touch("plans")


def remove_partner(commitment: Commitment, organisation_id: int) -> None:
    from sqlalchemy import delete

    from engage.plans.models import CommitmentPartner

    db.session.execute(delete(CommitmentPartner).where(CommitmentPartner.commitment_id == commitment.id,
                                                       CommitmentPartner.organisation_id == organisation_id))
    touch("plans")


def partners_of(commitment: Commitment) -> list:
    """Verified partner organisations (an organisation back in verification is not shown)."""
    return partners_by_commitment([commitment.id]).get(commitment.id, [])


def partners_by_commitment(commitment_ids: list[int]) -> dict[int, list]:
    """``{commitment id: [verified partner organisations]}`` in one query."""
    from engage.organisations.models import Organisation
    from engage.plans.models import CommitmentPartner

    found: dict[int, list] = {}
    if commitment_ids:
        for commitment_id, organisation in db.session.execute(
                select(CommitmentPartner.commitment_id, Organisation)
                .join(Organisation, CommitmentPartner.organisation_id == Organisation.id)
                .where(CommitmentPartner.commitment_id.in_(commitment_ids), Organisation.status == Organisation.VERIFIED)
                .order_by(Organisation.name_uk)):
            found.setdefault(commitment_id, []).append(organisation)
    return found


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
    description: str  # in the reader's language


@dataclass
class Timeline:
    months: list[date]
    rows: list[TimelineRow]
    today_x: float | None


def _months_between(start: date, end: date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def timeline(plan: ActionPlan, day: date, locale: str) -> Timeline:
    """Every milestone as a bar over the plan's months, and where today falls (None outside the plan)."""
    span = _months_between(plan.period_start, plan.period_end) + 1
    months = [date(plan.period_start.year + (plan.period_start.month - 1 + k) // 12, (plan.period_start.month - 1 + k) % 12 + 1, 1)
              for k in range(span)]
    rows = []
    for milestone in all_milestones(plan):
        first = max(0, _months_between(plan.period_start, milestone.start_month))
        length = max(1, _months_between(milestone.start_month, milestone.end_month) + 1)
        rows.append(TimelineRow(milestone, round(100 * first / span, 3), round(100 * min(length, span - first) / span, 3),
                                is_overdue(milestone, day), localized(milestone.description, locale, plan.default_locale)))
    today_x = None
    if plan.period_start <= day <= month_end(plan.period_end):
        elapsed = _months_between(plan.period_start, day) + (day.day - 1) / month_end(day).day
        today_x = round(100 * elapsed / span, 3)
    return Timeline(months, rows, today_x)


def visible_plans(user) -> list[ActionPlan]:
    from engage.plans.permissions import manages_plans

    query = select(ActionPlan).options(*plan_tree()).order_by(ActionPlan.period_start.desc(), ActionPlan.id.desc())
    if not manages_plans(user):
        query = query.where(ActionPlan.published_at.is_not(None))
    return list(db.session.scalars(query))


def linked_proposals(commitment: Commitment) -> list:
    from engage.plans.models import CommitmentProposal
    from engage.proposals.models import Proposal

    from engage.rounds.models import Round

    # Only proposals of published rounds: a round taken back to draft does not show its proposals here.
    return list(db.session.scalars(
        select(Proposal).join(CommitmentProposal, CommitmentProposal.proposal_id == Proposal.id)
        .join(Round, Round.id == Proposal.round_id)
        .where(CommitmentProposal.commitment_id == commitment.id, Round.published_at.is_not(None))
        .order_by(Proposal.id)))


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
    touch("plans", f"proposal:{proposal.id}")


def unlink_proposal(commitment: Commitment, proposal_id: int) -> None:
    from sqlalchemy import delete

    from engage.plans.models import CommitmentProposal

    db.session.execute(delete(CommitmentProposal).where(CommitmentProposal.commitment_id == commitment.id,
                                                        CommitmentProposal.proposal_id == proposal_id))
    touch("plans", f"proposal:{proposal_id}")


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
    _audit("plan.report_published", plan, details=report.title, **({"actor": by} if by is not None else {}))
    return report


def reports_of(plan: ActionPlan) -> list:
    from engage.plans.models import ProgressReport

    return list(db.session.scalars(select(ProgressReport).where(ProgressReport.plan_id == plan.id)
                                   .order_by(ProgressReport.period_end.desc(), ProgressReport.id.desc())))


# --- Loading for a page ------------------------------------------------------------------


def load_commitment(commitment_id: int) -> Commitment:
    commitment = db.session.get(Commitment, commitment_id,
                                options=[selectinload(Commitment.milestones).selectinload(Milestone.updates)])
    if commitment is None or not can("plans.view", commitment.plan):
        abort(404)
    return commitment
