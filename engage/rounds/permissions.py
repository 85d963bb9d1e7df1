"""Who may do what with a consultation round (registered with engage.core.permissions)."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule


def manages_round(user, round_) -> bool:
    """Admins, and facilitators assigned to this round."""
    if has_role(user, Role.ADMIN):
        return True
    return has_role(user, Role.FACILITATOR) and round_ is not None and user.id in round_.facilitator_ids


@rule("rounds.create")
def _create_round(user, obj) -> bool:
    return has_role(user, Role.FACILITATOR) or has_role(user, Role.ADMIN)


@rule("rounds.edit")
def _edit_round(user, round_) -> bool:
    return manages_round(user, round_)


@rule("rounds.view")
def _view_round(user, round_) -> bool:
    # Drafts are seen only by the people who prepare them.
    return round_.is_published or manages_round(user, round_)


@rule("rounds.follow")
def _follow_round(user, round_) -> bool:
    return is_signed_in(user) and round_.is_published
