"""What written feedback adds to other pages: the round's coverage, and a proposal's answer."""
from __future__ import annotations

from engage.core.permissions import can
from engage.core.sections import section
from engage.feedback import services
from engage.proposals.services import get_proposal


@section("round", "summary", order=20, template="feedback/_round_coverage.html")
def round_coverage(round_, *, shared):
    if not round_.feedback_has_begun:
        return {"feedback_report": None}
    return {"feedback_report": services.report(round_, shared.get("published_surveys"))}


@section("proposal", "answer", order=10, template="feedback/_proposal_answer.html")
def proposal_answer(proposal):
    responses = services.history(proposal)
    return {"responses": responses, "merge_titles": merged_titles(responses),
            "can_answer": can("feedback.answer", proposal)}


def merged_titles(responses) -> dict[int, str]:
    ids = {r.merged_into_id for r in responses if r.merged_into_id}
    return {p.id: p.title for p in (get_proposal(i) for i in ids) if p is not None and not p.is_hidden}
