"""Who may download and delete what (engage.core.permissions)."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule


@rule("privacy.download_own")
def _download_own(user, obj) -> bool:
    return is_signed_in(user)


@rule("privacy.open_prepared")
def _open_prepared(user, owner_id) -> bool:
    """A prepared download opens for its owner only (not even for an administrator)."""
    return is_signed_in(user) and owner_id is not None and user.id == owner_id


@rule("privacy.delete_own")
def _delete_own(user, obj) -> bool:
    return is_signed_in(user)


@rule("privacy.delete_user")
def _delete_user(user, target) -> bool:
    # An administrator deletes another person's account on their request; their own goes through
    # their account page, with their own password.
    return has_role(user, Role.ADMIN) and (target is None or target.id != user.id)
