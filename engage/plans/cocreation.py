"""The OGP co-creation report of a plan, answered from the platform's own records.

Each requirement gets a verdict — yes, partly or no — by the rule written next to it
(shown on the page), with the evidence the rule read: counts, dates and links.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from flask import url_for
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import func, select

from engage.core.time import site_timezone
from engage.extensions import db
from engage.plans.models import ActionPlan

YES, PARTLY, NO = "yes", "partly", "no"
VERDICT_LABELS = {YES: _l("Yes"), PARTLY: _l("Partly"), NO: _l("No")}


@dataclass
class Evidence:
    text: str
    url: str | None = None


@dataclass
class Requirement:
    key: str
    title: str
    rule: str
    verdict: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class CommitmentCheck:
    commitment_id: int
    number: str
    title: str
    verifiable: str
    relevant: str
    evidence: list[Evidence] = field(default_factory=list)


@dataclass
class CoCreationReport:
    requirements: list[Requirement]
    commitments: list[CommitmentCheck]


def _day(moment: datetime | None) -> str:
    return moment.astimezone(site_timezone()).date().isoformat() if moment else "—"


def _three(has_all: bool, has_some: bool) -> str:
    return YES if has_all else (PARTLY if has_some else NO)


def _rounds(plan: ActionPlan):
    return [link.round for link in plan.rounds]


def _window(rounds) -> tuple[datetime, datetime] | None:
    """The co-creation period: from the first phase of the rounds to the end of the last phase before "closed"."""
    starts, ends = [], []
    for round_ in rounds:
        phases = [p for p in round_.phases if p.type != "closed"]
        if phases:
            starts.append(phases[0].starts_at)
            ends.append(phases[-1].ends_at)
    return (min(starts), max(ends)) if starts else None


def report_of(plan: ActionPlan, day: date) -> CoCreationReport:
    """The report, computed once for everyone until any of the records it reads changes."""
    from engage.core.cache import cached_value

    rounds = [link.round_id for link in plan.rounds]
    tags = ["plans", "rounds", "meetings", "organisations", *(f"round:{r}" for r in rounds)]
    tags += [f"survey:{s}" for s in _survey_ids(rounds)]
    return cached_value(f"cocreation:{plan.id}:{day.isoformat()}:{_current_locale()}", tags, lambda: build(plan, day))


def _survey_ids(round_ids: list[int]) -> list[int]:
    from engage.surveys.models import Survey

    if not round_ids:
        return []
    return list(db.session.scalars(select(Survey.id).where(Survey.round_id.in_(round_ids))))


def build(plan: ActionPlan, day: date) -> CoCreationReport:
    from engage.endorsements.services import count_of, count_of_all
    from engage.rounds import stats as round_stats
    from engage.feedback import services as feedback
    from engage.forum import services as forums
    from engage.meetings.models import Meeting
    from engage.meetings.services import notice_days_required
    from engage.rounds.phases import PhaseType
    from engage.surveys.models import Question, Survey

    rounds = _rounds(plan)
    round_ids = [r.id for r in rounds]
    window = _window(rounds)
    all_forums = forums.all_forums()
    members = [m for f in all_forums for m in forums.current_members(f, day)]
    balance = forums.balance(members)
    requirements: list[Requirement] = []

    # 1.1 A forum exists.
    requirements.append(Requirement(
        "1.1", _("A forum exists"), _("Yes: a forum with members; partly: a forum without members; no: no forum."),
        _three(bool(all_forums) and bool(members), bool(all_forums)),
        [Evidence(_("%(name)s: %(num)d members serving", name=f.title, num=len(forums.current_members(f, day))),
                  url_for("forum.show", forum_id=f.id)) for f in all_forums]))

    # 1.2 It is multi-stakeholder.
    requirements.append(Requirement(
        "1.2", _("The forum is multi-stakeholder"),
        _("Yes: both government and non-government members; partly: members from one side only; no: no members."),
        _three(balance.is_multi_stakeholder, balance.total > 0),
        [Evidence(_("Government: %(gov)d, non-government: %(non)d", gov=balance.government, non=balance.non_government))]))

    # 1.3 The forum met civil society during co-creation.
    forum_meetings = []
    if window and all_forums:
        forum_meetings = list(db.session.scalars(select(Meeting).where(
            Meeting.forum_id.in_([f.id for f in all_forums]), Meeting.published_at.is_not(None),
            Meeting.starts_at >= window[0], Meeting.starts_at <= window[1]).order_by(Meeting.starts_at)))
        # The report is public: a published meeting of a round still in draft is not shown on it.
        from engage.meetings.permissions import is_public

        forum_meetings = [m for m in forum_meetings if is_public(m)]
    attended = [m for m in forum_meetings if m.attendance_total]
    requirements.append(Requirement(
        "1.3", _("The forum met civil society during co-creation"),
        _("Yes: a forum meeting within the co-creation rounds’ dates with attendance recorded; partly: such a meeting "
          "without attendance recorded; no: none."),
        _three(bool(attended), bool(forum_meetings)),
        [Evidence(_("%(date)s · %(title)s · %(num)s attended", date=_day(m.starts_at), title=m.title_text,
                    num=m.attendance_total if m.attendance_total is not None else "—"),
                  url_for("meetings.show", meeting_id=m.id)) for m in forum_meetings]))

    # 1.4 The plan is endorsed by non-government stakeholders.
    plan_endorsements = count_of("plan", plan.id)
    commitment_endorsements = count_of_all("commitment", [c.id for c in plan.commitments])
    requirements.append(Requirement(
        "1.4", _("The plan is endorsed by non-government stakeholders"),
        _("Yes: verified organisations endorse the plan; partly: they endorse commitments only; no: no endorsement."),
        _three(plan_endorsements > 0, commitment_endorsements > 0),
        [Evidence(_("%(num)d organisations endorse the plan; %(commitments)d endorsements of its commitments",
                    num=plan_endorsements, commitments=commitment_endorsements),
                  url_for("plans.show", plan_id=plan.id) + "#endorsements")]))

    # 2.1 A public page for the process.
    published_rounds = [r for r in rounds if r.is_published]
    requirements.append(Requirement(
        "2.1", _("A public page for the process"),
        _("Yes: the plan and every round it came from are public; partly: some of them; no: none."),
        _three(plan.is_published and rounds and len(published_rounds) == len(rounds),
               plan.is_published or bool(published_rounds)),
        [Evidence(_("Plan published %(date)s", date=_day(plan.published_at)), url_for("plans.show", plan_id=plan.id))] +
        [Evidence(_("%(round)s published %(date)s", round=r.title, date=_day(r.published_at)),
                  url_for("rounds.show", round_id=r.id)) for r in published_rounds]))

    # 2.2 Information in advance.
    required = notice_days_required()
    early_documents = 0
    for round_ in rounds:
        opened = next((p.starts_at for p in round_.phases if p.type in (PhaseType.CALL_FOR_PROPOSALS.value,
                                                                         PhaseType.DELIBERATION.value)), None)
        early_documents += sum(1 for d in round_.documents if opened is None or d.created_at <= opened)
    round_meetings = list(db.session.scalars(select(Meeting).where(
        Meeting.round_id.in_(round_ids), Meeting.published_at.is_not(None)))) if round_ids else []
    on_notice = [m for m in round_meetings if not m.short_notice]
    requirements.append(Requirement(
        "2.2", _("Information was published in advance"),
        _("Yes: documents published before participation opened and every meeting announced at least %(days)d days "
          "ahead; partly: one of the two; no: neither.", days=required),
        _three(early_documents > 0 and len(on_notice) == len(round_meetings),
               early_documents > 0 or (round_meetings and len(on_notice) == len(round_meetings))),
        [Evidence(_("%(num)d documents published before participation opened", num=early_documents)),
         Evidence(_("%(ok)d of %(all)d meetings announced with enough notice", ok=len(on_notice), all=len(round_meetings)))]))

    # 2.3 Anyone could give input and see decision documents.
    reports = [feedback.report(r) for r in rounds]
    contributions = sum(r.counts["proposals"] + r.counts["comments"] + r.counts.get("survey_answers", 0) for r in reports)
    participants = sum(r.counts["participants"] for r in reports)
    open_phase = any(p.type == PhaseType.CALL_FOR_PROPOSALS.value for r in rounds for p in r.phases)
    documents = sum(len(r.documents) for r in rounds)
    requirements.append(Requirement(
        "2.3", _("Anyone could give input and see the documents"),
        _("Yes: a public call for proposals that received contributions, and public documents; partly: one of the two; "
          "no: neither."),
        _three(open_phase and contributions > 0 and documents > 0, (open_phase and contributions > 0) or documents > 0),
        [Evidence(_("%(num)d contributions from %(people)d participants", num=contributions, people=participants)),
         Evidence(_("%(num)d public documents", num=documents))]))

    # 2.4 Written feedback on how contributions were considered.
    total = sum(r.total for r in reports)
    answered = sum(r.answered for r in reports)
    coverage = answered / total if total else None
    requirements.append(Requirement(
        "2.4", _("Written feedback on how contributions were considered"),
        _("Yes: at least %(high)d%% of proposals have a reasoned final answer; partly: at least %(low)d%%; no: less.",
          high=90, low=50),
        NO if coverage is None else _three(coverage >= 0.9, coverage >= 0.5),
        [Evidence(_("%(answered)d of %(total)d proposals answered", answered=answered, total=total),
                  url_for("feedback.report", round_id=r.id)) for r in rounds[:1]] +
        [Evidence(_("Median %(days).1f days to a final answer", days=r.median_days)) for r in reports if r.median_days is not None]))

    # 2.5 Iterative dialogue.
    held = [m for m in round_meetings if m.attendance_total]
    official = sum(round_stats.totals_of(r.id).official_comments for r in rounds)
    requirements.append(Requirement(
        "2.5", _("Iterative dialogue"),
        _("Yes: at least two meetings held and official replies to contributions; partly: one of the two; no: neither."),
        _three(len(held) >= 2 and official > 0, len(held) >= 2 or official > 0),
        [Evidence(_("%(num)d meetings held with attendance recorded", num=len(held))),
         Evidence(_("%(num)d official replies in the discussions", num=official)),
         Evidence(_("%(num)d milestones revised after the plan was published",
                    num=sum(1 for c in plan.commitments for m in c.milestones if m.revised_at is not None)))]))

    # 2.6 An inclusive and diverse forum.
    sectors = sum(1 for n in balance.by_sector.values() if n)
    demographics = db.session.scalar(select(func.count(Question.id)).join(Survey).where(
        Survey.round_id.in_(round_ids), Question.demographic.is_not(None))) if round_ids else 0
    requirements.append(Requirement(
        "2.6", _("An inclusive and diverse forum"),
        _("Yes: members from at least three sectors and survey questions about who took part; partly: one of the two; "
          "no: neither."),
        _three(sectors >= 3 and demographics > 0, sectors >= 3 or demographics > 0),
        [Evidence(_("%(num)d sectors among the forum’s members", num=sectors)),
         Evidence(_("%(num)d demographic questions in the rounds’ surveys", num=demographics))]))

    checks = []
    locale_title = lambda c: c.text("title", _current_locale())  # noqa: E731
    for c in plan.commitments:
        with_indicator = [m for m in c.milestones if m.indicator]
        checks.append(CommitmentCheck(
            c.id, c.number, locale_title(c),
            verifiable=_three(bool(c.milestones) and len(with_indicator) == len(c.milestones), bool(with_indicator)),
            relevant=YES if c.ogp_values else NO,
            evidence=[Evidence(_("%(with)d of %(all)d milestones have a completion indicator and dates",
                                 **{"with": len(with_indicator), "all": len(c.milestones)}))]))
    return CoCreationReport(requirements, checks)


def _current_locale() -> str:
    from flask_babel import get_locale

    return str(get_locale())


# --- The facilitators' texts ---------------------------------------------------------------------

NOTE_LIMIT = 5000


def notes_of(plan: ActionPlan) -> dict:
    """The facilitators' notes of the plan by key."""
    from engage.plans.models import CoCreationNote

    return {n.key: n for n in db.session.scalars(select(CoCreationNote).where(CoCreationNote.plan_id == plan.id))}


def note_keys(plan: ActionPlan) -> list[str]:
    keys = ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    for c in plan.commitments:
        keys += [f"c{c.id}.change", f"c{c.id}.recommend"]
    return keys


def save_notes(plan: ActionPlan, values: dict[str, tuple[str, str]], by) -> dict[str, str]:
    """Save ``{key: (explanation, references)}``; returns ``{field name: error}`` and saves nothing if any."""
    from engage.plans.models import CoCreationNote

    errors = {}
    allowed = set(note_keys(plan))
    for key, (explanation, references) in values.items():
        if key not in allowed:
            continue
        for name, text in (("explanation", explanation), ("references", references)):
            if len(text) > NOTE_LIMIT:
                errors[f"{name}-{key}"] = _("Write at most %(num)d characters.", num=NOTE_LIMIT)
    if errors:
        return errors
    existing = notes_of(plan)
    for key, (explanation, references) in values.items():
        if key not in allowed:
            continue
        note = existing.get(key)
        if note is None:
            if not (explanation.strip() or references.strip()):
                continue
            note = CoCreationNote(plan_id=plan.id, key=key)
            db.session.add(note)
        note.explanation, note.references = explanation.strip(), references.strip()
        note.updated_by_id = by.id if by else None
    db.session.flush()
    return {}
