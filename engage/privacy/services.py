"""Delete my account: the rules, and the one function that does it. Functions flush; the request commits.

Everything happens in the request's one transaction: an error anywhere rolls all of it back, so an
account is never left half-deleted. The prepared download files are removed too (they are copies).
"""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from engage.audit.services import record as audit
from engage.auth import twofactor
from engage.auth.models import User, UserRole
from engage.core.cache import SITE, touch
from engage.core.passwords import verify_password
from engage.core.permissions import Role
from engage.extensions import db
from engage.privacy import downloads
from engage.privacy.registry import Erasure, erasure_order
from engage.privacy.sources.auth import is_deleted  # noqa: F401  (for the views)


class PrivacyError(Exception):
    """A rule was broken; ``message`` is translated and shown next to ``field`` (None: above the form)."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message, self.field = message, field


def check_identity(user: User, password: str, code: str) -> None:
    """The password, and a current two-factor or recovery code when the person enrolled."""
    if not verify_password(user.password_hash, password or ""):
        raise PrivacyError(_("The current password is not correct."), "current_password")
    if user.has_two_factor and not twofactor.verify(user, code or ""):
        raise PrivacyError(_("This code is not correct, or it was already used. Wait for the next one."), "code")


def is_last_admin(user: User) -> bool:
    if Role.ADMIN.value not in user.role_names:
        return False
    others = db.session.scalar(
        select(func.count()).select_from(UserRole).join(User, User.id == UserRole.user_id)
        .where(UserRole.role == Role.ADMIN.value, UserRole.user_id != user.id, User.active.is_(True)))
    return not others


def placeholder_for(user: User) -> str:
    """How records kept for security name a deleted account: by its number only."""
    return f"deleted account #{user.id}"


def delete_account(user: User, *, by: User, delete_contributions: bool = False) -> None:
    """Remove the person's personal data, end everything they held, and deactivate the account for good.

    What stays: contributions by "a former participant" (or, with ``delete_contributions``, their
    placeholders), supports and survey answers still counted, past meeting registrations, flags and the
    security log, none of them naming the person any more.
    """
    if is_last_admin(user):
        raise PrivacyError(_("You are the last administrator. Give another person the administrator role before you delete this account."))
    erasure = Erasure(user=user, by=by, delete_contributions=delete_contributions, placeholder=placeholder_for(user))
    for entry in erasure_order():
        entry.erase(erasure)
    db.session.flush()
    event = audit("account.deleted", user, actor=None if by.id == user.id else by, label=erasure.placeholder,
                  details=("contributions deleted" if delete_contributions else "contributions kept")
                  + ("" if by.id == user.id else "; at the person's request"))
    if by.id == user.id:
        event.actor_id, event.actor_name = user.id, erasure.placeholder
    touch(SITE)  # names and texts change on pages of every kind
    downloads.remove_files(user.id)
    db.session.flush()
