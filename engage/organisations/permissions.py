"""Who may register, edit, verify and see organisations."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule


def represents(user, organisation) -> bool:
    return is_signed_in(user) and organisation is not None and organisation.id in represented_ids(user)


def represented_ids(user) -> frozenset[int]:
    """The organisations ``user`` represents, read once per request (a page of endorsements asks for each)."""
    from flask import g, has_request_context
    from sqlalchemy import select

    from engage.extensions import db
    from engage.organisations.models import Representative

    known = g.setdefault("_represented", {}) if has_request_context() else {}
    if user.id not in known:
        known[user.id] = frozenset(db.session.scalars(
            select(Representative.organisation_id).where(Representative.user_id == user.id)))
    return known[user.id]


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
