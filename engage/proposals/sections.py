"""What proposals add to the round's page: its figures, and the latest proposals with the call to write one."""
from __future__ import annotations

from engage.core.permissions import can
from engage.core.sections import section
from engage.proposals import services
from engage.rounds.phases import Action
from engage.rounds.services import phase_refusal


@section("round", "summary", order=10, template="proposals/_round_counts.html")
def round_figures(round_):
    return {"counts": services.round_counts(round_)}


@section("round", "body", order=30, template="proposals/_round_proposals.html")
def round_proposals(round_):
    return {
        "latest": services.latest_in_round(round_, limit=5),
        "can_propose": can("proposals.submit", round_),
        "propose_refusal": phase_refusal(round_, Action.PROPOSE),
    }
