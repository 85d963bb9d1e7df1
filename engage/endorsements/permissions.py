"""Who may endorse on an organisation's behalf, and withdraw an endorsement."""
from __future__ import annotations

from engage.core.permissions import rule
from engage.organisations.permissions import represents


@rule("endorsements.create")
def _create(user, organisation) -> bool:
    """Representatives of a verified organisation endorse for it (the target's own rule is checked apart)."""
    return organisation is not None and organisation.is_verified and represents(user, organisation)


@rule("endorsements.withdraw")
def _withdraw(user, endorsement) -> bool:
    return endorsement.is_current and represents(user, endorsement.organisation)
