"""Who may answer proposals and write a round's report: its facilitators and admins."""
from __future__ import annotations

from engage.core.permissions import rule
from engage.rounds.permissions import manages_round


@rule("feedback.answer")
def _answer(user, proposal) -> bool:
    return manages_round(user, proposal.round)


@rule("feedback.manage")
def _manage(user, round_) -> bool:
    """See the work queue, write the report sections, close the round."""
    return manages_round(user, round_)


@rule("comments.official_reply")
def _official_reply(user, round_) -> bool:
    # The round's facilitators answer comments on the round whatever the phase.
    return round_.is_published and manages_round(user, round_)
