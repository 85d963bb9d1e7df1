"""Who may do what with proposals. Phase rules come from engage.rounds.phases, checked here."""
from __future__ import annotations

from engage.core.permissions import is_signed_in, rule
from engage.rounds.permissions import manages_round
from engage.rounds.phases import Action, allows


def phase_allows(round_, action: Action) -> bool:
    phase = round_.current_phase
    return phase is not None and allows(phase.type, action)


@rule("proposals.submit")
def _submit(user, round_) -> bool:
    return is_signed_in(user) and round_.is_published and phase_allows(round_, Action.PROPOSE)


@rule("proposals.edit")
def _edit(user, proposal) -> bool:
    # Only the author, only while nobody has reacted and submissions are still open.
    return (
        is_signed_in(user)
        and proposal.author_id == user.id
        and not proposal.is_withdrawn
        and not proposal.is_hidden
        and proposal.support_count == 0
        and proposal.comment_count == 0
        and phase_allows(proposal.round, Action.PROPOSE)
    )


@rule("proposals.withdraw")
def _withdraw(user, proposal) -> bool:
    return is_signed_in(user) and proposal.author_id == user.id and not proposal.is_withdrawn


@rule("proposals.support")
def _support(user, proposal) -> bool:
    return (
        is_signed_in(user) and not proposal.is_withdrawn and not proposal.is_hidden
        and proposal.round.is_published and phase_allows(proposal.round, Action.SUPPORT)
    )


@rule("proposals.view")
def _view(user, proposal) -> bool:
    return proposal.round.is_published or manages_round(user, proposal.round)
