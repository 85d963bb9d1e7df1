"""What comments add to the pages of rounds and proposals: their discussion."""
from __future__ import annotations

from engage.comments import services
from engage.core.permissions import can
from engage.core.sections import section
from engage.rounds.phases import Action
from engage.rounds.services import phase_refusal


@section("round", "discussion", order=10, template="comments/_round_discussion.html")
def round_discussion(round_):
    return {"thread": services.thread(round_), "can_comment": can("comments.create", round_),
            "comment_refusal": phase_refusal(round_, Action.COMMENT)}


@section("proposal", "discussion", order=10, template="comments/_proposal_discussion.html")
def proposal_discussion(proposal):
    round_ = proposal.round
    return {
        "thread": None if proposal.is_hidden else services.thread(round_, proposal),  # hidden with the proposal
        "can_comment": can("comments.create", proposal),
        "comment_refusal": None if proposal.is_withdrawn else phase_refusal(round_, Action.COMMENT),
    }
