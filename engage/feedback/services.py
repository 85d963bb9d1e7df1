"""Reasoned responses and the "How your input was used" report. Functions flush; the request commits."""
from __future__ import annotations

import math
from datetime import datetime
import statistics
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from engage.audit.services import record as audit
from engage.auth.models import User
from engage.core.signals import proposal_answered
from engage.core.summaries import summary
from engage.core.time import utcnow
from engage.extensions import db
from engage.feedback.models import ProposalResponse
from engage.proposals.outcomes import FINAL_OUTCOMES, Outcome
from engage.proposals.models import Proposal
from engage.rounds import stats as round_stats
from engage.rounds.models import Round

FINAL_VALUES = tuple(o.value for o in FINAL_OUTCOMES)
SECONDS_PER_DAY = 86400


class FeedbackError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


# --- Answering -----------------------------------------------------------------


def answer(proposal: Proposal, by: User, *, outcome: Outcome, reason: str, merged_into_id: int | None = None,
           at: datetime | None = None) -> ProposalResponse:
    """Give ``proposal`` a new answer. Earlier answers stay, as its public history.

    ``at`` records an answer given earlier (for example when importing a past round); default: now.
    """
    reason = (reason or "").strip()
    if outcome.is_final and not reason:
        raise FeedbackError(_("Explain the outcome: a written reason is required."), "reason")
    merged_into = None
    if outcome is Outcome.MERGED:
        merged_into = db.session.get(Proposal, merged_into_id) if merged_into_id else None
        if merged_into is None or merged_into.round_id != proposal.round_id:
            raise FeedbackError(_("Choose the proposal of this round it was merged into."), "merged_into")
        if merged_into.id == proposal.id:
            raise FeedbackError(_("A proposal cannot be merged into itself."), "merged_into")
    response = ProposalResponse(
        proposal_id=proposal.id, outcome=outcome.value, reason=reason,
        merged_into_id=merged_into.id if merged_into else None, author_id=by.id, created_at=at or utcnow(),
    )
    updated = proposal.outcome is not None
    db.session.add(response)
    proposal.outcome = outcome.value
    if outcome.is_final and proposal.final_answer_at is None:
        proposal.final_answer_at = response.created_at
    db.session.flush()
    refresh_answer_times(proposal.round_id)
    audit("proposal.answered", proposal, details=outcome.value, actor=by)
    proposal_answered.send(response, proposal=proposal, updated=updated)
    return response


def refresh_answer_times(round_id: int) -> None:
    """Store the median and 90th percentile of days to a final answer in the round's totals.

    Computed when an answer is given (a facilitator's action), so the report does not read every
    answered proposal of the round on each visit.
    """
    waits = [
        (answered_at - created).total_seconds() / SECONDS_PER_DAY
        for created, answered_at in db.session.execute(
            select(Proposal.created_at, Proposal.final_answer_at)
            .where(Proposal.round_id == round_id, Proposal.final_answer_at.is_not(None),
                   Proposal.outcome.in_(FINAL_VALUES))
        )
    ]
    round_stats.set_answer_times(round_id, statistics.median(waits) if waits else None, nearest_rank(waits, 90))


@summary("answer times")
def _rebuild_answer_times() -> None:
    for round_id in db.session.scalars(select(Round.id)):
        refresh_answer_times(round_id)


def history(proposal: Proposal) -> list[ProposalResponse]:
    """Every answer given, newest first; the first one is the answer in force."""
    return list(db.session.scalars(
        select(ProposalResponse).where(ProposalResponse.proposal_id == proposal.id)
        .order_by(ProposalResponse.id.desc())
    ))


def current_responses(proposals: list[Proposal]) -> dict[int, ProposalResponse]:
    """The answer in force for each of ``proposals``, in one query."""
    ids = [p.id for p in proposals]
    if not ids:
        return {}
    newest = (
        select(func.max(ProposalResponse.id)).where(ProposalResponse.proposal_id.in_(ids))
        .group_by(ProposalResponse.proposal_id)
    )
    rows = db.session.scalars(select(ProposalResponse).where(ProposalResponse.id.in_(newest)))
    return {r.proposal_id: r for r in rows}


def awaiting_answer():
    """The condition for proposals without a final answer."""
    return or_(Proposal.outcome.is_(None), Proposal.outcome == Outcome.UNDER_EVALUATION.value)


def queue_query(round_: Round, topic_id: int | None = None):
    query = select(Proposal).where(Proposal.round_id == round_.id, awaiting_answer())
    if topic_id:
        query = query.where(Proposal.topic_id == topic_id)
    return query.order_by(Proposal.created_at, Proposal.id)


def outcome_counts(round_: Round) -> dict[str, int]:
    """Proposals per outcome; the key ``""`` counts those never answered."""
    counts = {"": 0, **{o.value: 0 for o in Outcome}}
    for outcome, count in db.session.execute(
        select(Proposal.outcome, func.count()).where(Proposal.round_id == round_.id).group_by(Proposal.outcome)
    ):
        counts[outcome or ""] = count
    return counts


def unanswered_count(round_: Round) -> int:
    return db.session.scalar(
        select(func.count()).select_from(Proposal).where(Proposal.round_id == round_.id, awaiting_answer())
    ) or 0


# --- The report ------------------------------------------------------------------


def nearest_rank(values: list[float], percent: float) -> float | None:
    """The nearest-rank percentile: the smallest value with at least ``percent`` % of values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(percent / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class Report:
    counts: dict[str, int]
    outcomes: dict[str, int]
    answered: int
    total: int
    coverage: float | None  # share of proposals with a final answer, None when there are none
    median_days: float | None
    p90_days: float | None
    surveys: list[tuple] = field(default_factory=list)  # (published survey, people who answered it)


# The order of the report's lists: final answers first, then under evaluation, then not answered ("").
REPORT_ORDER = [o.value for o in FINAL_OUTCOMES] + [Outcome.UNDER_EVALUATION.value, ""]


def report(round_: Round, published_surveys: list | None = None) -> Report:
    """The figures of "How your input was used": stored totals and one GROUP BY over an index.

    ``published_surveys``: the round's published surveys, when the caller has them already.
    """
    from engage.proposals.services import round_counts

    from engage.surveys import services as surveys

    counts = round_counts(round_)
    published = surveys.surveys_of(round_, include_drafts=False) if published_surveys is None else published_surveys
    respondents = {s.id: s.respondent_count or 0 for s in published}  # kept on each survey with its tallies
    counts["survey_answers"] = sum(respondents.values())
    outcomes = outcome_counts(round_)
    total = counts["proposals"]
    answered = sum(outcomes[o] for o in FINAL_VALUES)
    totals = round_stats.totals_of(round_.id)
    return Report(
        counts=counts, outcomes=outcomes, answered=answered, total=total,
        coverage=(answered / total) if total else None,
        median_days=totals.median_answer_days, p90_days=totals.p90_answer_days,
        surveys=[(s, respondents[s.id]) for s in published],
    )


def report_list_query(round_: Round, outcome: str):
    """The round's proposals with ``outcome`` (``""``: not answered), in order, for one page of the report."""
    query = select(Proposal).where(Proposal.round_id == round_.id)
    query = query.where(Proposal.outcome.is_(None)) if outcome == "" else query.where(Proposal.outcome == outcome)
    return query.order_by(Proposal.id)


def first_listed_outcome(outcomes: dict[str, int]) -> str:
    """The outcome the report's list opens on: the first, in report order, that has proposals."""
    return next((key for key in REPORT_ORDER if outcomes.get(key)), REPORT_ORDER[0])


def set_report_sections(round_: Round, sections: dict[str, tuple[str, str]]) -> None:
    """``sections``: locale → (what we heard, what we changed), for the languages the round is written in."""
    for text in round_.texts:
        heard, changed = sections.get(text.locale, ("", ""))
        text.what_we_heard, text.what_we_changed = heard.strip(), changed.strip()
    db.session.flush()

