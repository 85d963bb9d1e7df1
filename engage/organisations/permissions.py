"""Who may register, edit, verify and see organisations."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule


def represents(user, organisation) -> bool:
    return is_signed_in(user) and organisation is not None and user.id in organisation.representative_ids


@rule("organisations.register")
def _register(user, obj) -> bool:
    return is_signed_in(user)


@rule("organisations.view")
def _view(user, organisation) -> bool:
    # Pending and rejected organisations are seen by their representatives and admins only.
    return organisation.is_verified or represents(user, organisation) or has_role(user, Role.ADMIN)


@rule("organisations.edit")
def _edit(user, organisation) -> bool:
    return represents(user, organisation) or has_role(user, Role.ADMIN)


@rule("organisations.invite")
def _invite(user, organisation) -> bool:
    return represents(user, organisation) or has_role(user, Role.ADMIN)


@rule("organisations.verify")
def _verify(user, obj) -> bool:
    return has_role(user, Role.ADMIN)
