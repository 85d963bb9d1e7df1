"""What action plans add to a proposal's page: the commitments that answer it."""
from __future__ import annotations

from engage.core.sections import section
from engage.plans.services import commitments_of_proposal


@section("proposal", "plan", order=10, template="plans/_proposal_commitments.html")
def proposal_commitments(proposal):
    return {"commitments": commitments_of_proposal(proposal)}
