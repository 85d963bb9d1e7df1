"""What endorsements add to a proposal's page: the organisations standing behind it."""
from __future__ import annotations

from engage.core.sections import section
from engage.endorsements.presenters import panel


@section("proposal", "plan", order=20, template="endorsements/_proposal_endorsements.html")
def proposal_endorsements(proposal):
    return {"endorsements": panel("proposal", proposal)}
