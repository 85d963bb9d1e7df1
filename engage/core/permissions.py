"""Every permission decision in Engage goes through this module.

Views call :func:`require` (or the :func:`permission_required` decorator) and
templates call ``can(...)``; both read the same rules, so the page never offers
what the server would refuse. Features register their own rules with
:func:`rule` at import time.
"""
from __future__ import annotations

import enum
from functools import wraps
from typing import Any, Callable

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user


class Role(str, enum.Enum):
    """Roles a person can hold. Every account is a resident; the others are granted."""

    RESIDENT = "resident"
    FACILITATOR = "facilitator"
    MODERATOR = "moderator"
    ADMIN = "admin"

    @classmethod
    def grantable(cls) -> list["Role"]:
        return [cls.FACILITATOR, cls.MODERATOR, cls.ADMIN]


ROLE_LABELS = {
    Role.RESIDENT: _l("Resident"),
    Role.FACILITATOR: _l("Facilitator"),
    Role.MODERATOR: _l("Moderator"),
    Role.ADMIN: _l("Administrator"),
}


def role_label(role: Role | str) -> str:
    return str(ROLE_LABELS[Role(role)])


RuleFn = Callable[[Any, Any], bool]
_RULES: dict[str, RuleFn] = {}


def rule(name: str) -> Callable[[RuleFn], RuleFn]:
    """Register ``fn(user, obj) -> bool`` as the rule called ``name``."""

    def decorator(fn: RuleFn) -> RuleFn:
        if name in _RULES:
            raise ValueError(f"permission rule {name!r} registered twice")
        _RULES[name] = fn
        return fn

    return decorator


def is_signed_in(user) -> bool:
    return bool(user) and getattr(user, "is_authenticated", False) and user.is_active


def has_role(user, role: Role) -> bool:
    if not is_signed_in(user):
        return False
    if role is Role.RESIDENT:
        return True
    return role.value in user.role_names


def can(action: str, obj: Any = None, user=None) -> bool:
    """True when ``user`` (default: the current user) may perform ``action``."""
    try:
        check = _RULES[action]
    except KeyError:
        raise LookupError(f"unknown permission {action!r}") from None
    if user is None:  # the person behind the proxy, once, rather than through it in every rule
        user = current_user._get_current_object() if current_user else None
    return bool(check(user, obj))


def require(action: str, obj: Any = None) -> None:
    """Stop the request unless the current user may perform ``action``.

    Visitors are sent to sign in (401 → login view); signed-in people get 403.
    """
    if can(action, obj):
        return
    if not is_signed_in(current_user):
        abort(401)
    abort(403)


def get_or_404(get: Callable[[int], Any], obj_id: int, action: str):
    """``get(obj_id)`` if it exists and the current person may ``action`` it; else 404, so what one may
    not see looks absent. One loader for every page that starts from an id."""
    obj = get(obj_id)
    if obj is None or not can(action, obj):
        abort(404)
    return obj


def permission_required(action: str) -> Callable:
    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            require(action)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- Rules of the foundation -------------------------------------------------


@rule("account.manage")
def _manage_own_account(user, obj) -> bool:
    return is_signed_in(user)


@rule("admin.access")
def _admin_access(user, obj) -> bool:
    return has_role(user, Role.ADMIN)


@rule("users.manage")
def _manage_users(user, obj) -> bool:
    return has_role(user, Role.ADMIN)


@rule("users.grant_role")
def _grant_role(user, target) -> bool:
    # Nothing of a deleted account is left to act with: no role is given to it.
    return has_role(user, Role.ADMIN) and not getattr(target, "is_deleted", False)


@rule("users.deactivate")
def _deactivate_user(user, target) -> bool:
    # An admin cannot lock themselves out.
    return has_role(user, Role.ADMIN) and (target is None or target.id != user.id)


@rule("users.revoke_admin")
def _revoke_admin(user, target) -> bool:
    return has_role(user, Role.ADMIN) and (target is None or target.id != user.id)
