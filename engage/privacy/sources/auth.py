"""Accounts: the person's own row, roles, sign-ins and two-factor sign-in."""
from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from engage.auth import throttle
from engage.auth.models import DELETED_EMAIL_PREFIX, RecoveryCode, User, UserRole, UserSession, new_session_token
from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, plain, register, rows

PLACEHOLDER_EMAIL = DELETED_EMAIL_PREFIX + "{id}-{nonce}"  # no "@": not an address, and unique


def is_deleted(user: User) -> bool:
    """Whether the account is what a deletion left (engage.privacy.services.delete_account)."""
    return user.is_deleted


def _account(user: User) -> list[dict]:
    lock = throttle.state(user.email)
    return [{
        "id": user.id, "email": user.email, "display_name": user.display_name, "locale": user.locale,
        "bio": user.bio, "active": user.active, "created_at": plain(user.created_at),
        "updated_at": plain(user.updated_at), "email_confirmed_at": plain(user.email_confirmed_at),
        "privacy_accepted_at": plain(user.privacy_accepted_at), "last_sign_in_at": plain(user.last_sign_in_at),
        "two_factor_enabled_at": plain(user.totp_enabled_at),
        "recovery_codes": [{"used_at": plain(used)} for used in db.session.scalars(
            select(RecoveryCode.used_at).where(RecoveryCode.user_id == user.id).order_by(RecoveryCode.id))],
        "failed_sign_ins": {"failures": lock.failures, "last_failed_at": plain(lock.last_failed_at),
                            "locked_until": plain(lock.locked_until)} if lock else None,
    }]


def _erase_account(erasure: Erasure) -> None:
    """The row stays (what the person wrote still points at it) but says nothing about them and can
    never sign in: no address, name, password, two-factor secret or recovery code, no sign-in count."""
    user = erasure.user
    throttle.succeeded(user.email)
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    user.email = PLACEHOLDER_EMAIL.format(id=user.id, nonce=secrets.token_hex(6))
    user.display_name = ""
    user.bio = ""
    user.password_hash = "!"  # matches no password (verify_password finds no hash in it)
    user.session_token = new_session_token()  # reset and confirmation links already sent stop working
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = None, None, None
    user.active = False
    user.email_confirmed_at = user.privacy_accepted_at = user.last_sign_in_at = None
    db.session.flush()


register(PersonalData(
    name="account", description=_l("Your account: email address, display name, language, bio, when you "
                                   "registered and last signed in, two-factor sign-in (when it was turned on and "
                                   "which recovery codes were used, never the codes or the secret), failed sign-ins."),
    columns=("recovery_codes.user_id",), export=_account, erase=_erase_account,
    count=lambda user: 1, order=100,
))


def _roles(user: User) -> list[dict]:
    held = rows(select(UserRole).where(UserRole.user_id == user.id).order_by(UserRole.id),
                ("role", "granted_at", "granted_by_id"))
    granted = rows(select(UserRole).where(UserRole.granted_by_id == user.id).order_by(UserRole.id),
                   ("role", "granted_at", "user_id"))
    return [{"held": held, "granted_by_you": granted}]


def _erase_roles(erasure: Erasure) -> None:
    # Roles granted to others keep pointing at the (anonymised) account that granted them.
    db.session.execute(delete(UserRole).where(UserRole.user_id == erasure.user.id))
    db.session.expire(erasure.user, ["roles"])


register(PersonalData(
    name="roles", description=_l("The roles you hold (facilitator, moderator, administrator) and the roles you granted."),
    columns=("user_roles.user_id", "user_roles.granted_by_id"), export=_roles, erase=_erase_roles,
    count=counter(UserRole, lambda user: UserRole.user_id == user.id), order=90,
))


def _sessions(user: User) -> list[dict]:
    return rows(select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id),
                ("created_at", "last_seen_at", "ended_at", "remember", "ip_address", "user_agent"))


def _erase_sessions(erasure: Erasure) -> None:
    # Every device is signed out: the cookies name rows that no longer exist.
    db.session.execute(delete(UserSession).where(UserSession.user_id == erasure.user.id))


register(PersonalData(
    name="sessions", description=_l("Your sign-ins: when, from which address and browser, and when each ended."),
    columns=("user_sessions.user_id",), export=_sessions, erase=_erase_sessions,
    count=counter(UserSession, lambda user: UserSession.user_id == user.id), order=95,
))
