"""The "How your input was used" report of a round as data: one row per proposal with the answer in force.

The API gives the rows a page at a time (:func:`page_rows`); the CSV and JSON files hold every row
and are built by engage.core.exports, reading the proposals of each outcome in order from the index.
"""
from __future__ import annotations

import json
from typing import IO, Iterator

from flask import url_for
from sqlalchemy import func, select

from engage.core.time import iso
from engage.auth.models import User
from engage.core import csvfile, exports
from engage.extensions import db
from engage.feedback import services
from engage.feedback.models import ProposalResponse
from engage.proposals.models import Proposal
from engage.rounds import services as rounds
from engage.rounds import stats as round_stats
from engage.rounds.models import Round

REPORT_COLUMNS = ["proposal_id", "url", "title", "outcome", "reason", "merged_into", "answered_by", "answered_at",
                  "submitted_at", "days_to_final_answer", "supports", "comments"]
BATCH = 2000


def _rows_query(round_: Round, outcome: str):
    """Proposals with ``outcome`` and their answer in force (the newest response), as plain rows, in order."""
    newest = (select(ProposalResponse.proposal_id, func.max(ProposalResponse.id).label("response_id"))
              .join(Proposal, Proposal.id == ProposalResponse.proposal_id)
              .where(Proposal.round_id == round_.id).group_by(ProposalResponse.proposal_id).subquery())
    query = (
        select(Proposal.id, Proposal.title, Proposal.hidden_at, Proposal.outcome, ProposalResponse.reason,
               ProposalResponse.merged_into_id, User.display_name, ProposalResponse.created_at, Proposal.created_at,
               Proposal.final_answer_at, Proposal.support_count, Proposal.comment_count)
        .outerjoin(newest, newest.c.proposal_id == Proposal.id)
        .outerjoin(ProposalResponse, ProposalResponse.id == newest.c.response_id)
        .outerjoin(User, User.id == ProposalResponse.author_id)
        .where(Proposal.round_id == round_.id)
    )
    query = query.where(Proposal.outcome.is_(None)) if outcome == "" else query.where(Proposal.outcome == outcome)
    return query.order_by(Proposal.id)


def _row(values, page: str) -> dict:
    (pid, title, hidden_at, outcome, reason, merged_into, answered_by, answered_at, submitted_at, final_at,
     supports, comments) = values
    days = None
    if final_at is not None and outcome in services.FINAL_VALUES:
        days = round((final_at - submitted_at).total_seconds() / services.SECONDS_PER_DAY, 2)
    return {
        "proposal_id": pid, "url": f"{page}{pid}", "title": None if hidden_at is not None else title,
        "outcome": outcome, "reason": reason, "merged_into": merged_into, "answered_by": answered_by,
        "answered_at": iso(answered_at), "submitted_at": iso(submitted_at), "days_to_final_answer": days,
        "supports": supports, "comments": comments,
    }


def _page_prefix() -> str:
    return url_for("proposals.show", proposal_id=0, _external=True)[:-1]


def every_row(round_: Round) -> Iterator[dict]:
    """Every proposal of the round, final answers first (in the report's order), each outcome by number."""
    page = _page_prefix()
    for outcome in services.REPORT_ORDER:
        for values in db.session.execute(_rows_query(round_, outcome).execution_options(yield_per=BATCH)):
            yield _row(values, page)


def page_rows(round_: Round, outcome: str, page: int, per_page: int) -> list[dict]:
    """One page of the rows of one outcome (the API)."""
    query = _rows_query(round_, outcome).limit(per_page).offset((page - 1) * per_page)
    prefix = _page_prefix()
    return [_row(values, prefix) for values in db.session.execute(query)]


def summary(round_: Round) -> dict:
    data = services.report(round_)
    return {
        "round_id": round_.id,
        "url": url_for("feedback.report", round_id=round_.id, _external=True),
        "counts": data.counts,
        "outcomes": {key or "not_answered": value for key, value in data.outcomes.items()},
        "answered": data.answered,
        "coverage": data.coverage,
        "median_days_to_final_answer": data.median_days,
        "p90_days_to_final_answer": data.p90_days,
        "surveys": [
            {"survey_id": survey.id, "title": survey.title, "respondents": count,
             "results_url": url_for("surveys.results_page", survey_id=survey.id, _external=True)}
            for survey, count in data.surveys
        ],
        "sections": {t.locale: {"what_we_heard": t.what_we_heard, "what_we_changed": t.what_we_changed}
                     for t in round_.texts},
    }


def write_csv(round_: Round, file: IO[str]) -> None:
    writer = csvfile.writer(file)
    writer.writerow(REPORT_COLUMNS)
    for row in every_row(round_):
        writer.writerow(["" if row[c] is None else row[c] for c in REPORT_COLUMNS])


def write_json(round_: Round, file: IO[str]) -> None:
    """The summary, then every row, written as they are read."""
    head = json.dumps(summary(round_), ensure_ascii=False)
    file.write(head[:-1] + ', "proposals": [')
    for n, row in enumerate(every_row(round_)):
        file.write(("," if n else "") + json.dumps(row, ensure_ascii=False))
    file.write("]}")


def published_round(round_id: int) -> Round | None:
    round_ = rounds.get_round(round_id)
    return round_ if round_ is not None and round_.is_published else None


def _tags(round_: Round) -> list[str]:
    from engage.surveys.services import surveys_of

    return ["site", "rounds", f"round:{round_.id}", *(f"survey:{s.id}" for s in surveys_of(round_, include_drafts=False))]


def _size(round_: Round) -> int:
    return round_stats.totals_of(round_.id).proposals


exports.register(exports.Export(
    name="round-report", suffix="csv", content_type="text/csv", load=published_round, tags=_tags,
    filename=lambda r: f"round-{r.id}-report.csv", size=_size, write=write_csv,
))
exports.register(exports.Export(
    name="round-report-json", suffix="json", content_type="application/json", load=published_round, tags=_tags,
    filename=lambda r: f"round-{r.id}-report.json", size=_size, write=write_json,
))
