"""The rules and changes for accounts. Functions flush; the request commits."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, url_for
from sqlalchemy import func, select

from engage.audit.services import record as audit
from engage.auth import sessions
from engage.auth.models import User, UserRole, new_session_token
from engage.core import outbox
from engage.core.passwords import hash_password, verify_password
from engage.core.permissions import Role
from engage.core.time import utcnow
from engage.core.tokens import InvalidToken, make_token, read_token
from engage.extensions import db

CONFIRM = "confirm-email"
RESET = "reset-password"
CHANGE_EMAIL = "change-email"


class AccountError(Exception):
    """A rule about accounts was broken; ``str(exc)`` is safe to show."""


def normalise_email(email: str) -> str:
    return email.strip().lower()


def find_by_email(email: str) -> User | None:
    return db.session.scalar(select(User).where(func.lower(User.email) == normalise_email(email)))


def get_user(user_id: int) -> User | None:
    return db.session.get(User, user_id)


# --- Registration and confirmation ------------------------------------------


def create_user(
    *, email: str, display_name: str, password: str, locale: str = "uk",
    roles: tuple[Role, ...] = (), confirmed: bool = False, privacy_accepted: bool = True,
) -> User:
    now = utcnow()
    user = User(
        email=normalise_email(email),
        display_name=display_name.strip(),
        password_hash=hash_password(password),
        locale=locale,
        bio="",
        active=True,
        email_confirmed_at=now if confirmed else None,
        privacy_accepted_at=now if privacy_accepted else None,
        session_token=new_session_token(),
    )
    db.session.add(user)
    for role in roles:
        grant_role(user, role)
    db.session.flush()
    return user


def register(*, email: str, display_name: str, password: str, locale: str) -> User | None:
    """Create an unconfirmed account and email a confirmation link.

    When the email is already registered nothing is created; the owner of that
    address is told instead, so the form never reveals who has an account.
    """
    existing = find_by_email(email)
    if existing is not None:
        # The same work as for a new address (hashing is most of it), so the time taken tells nothing.
        hash_password(password)
        outbox.queue_template(existing.email, "already_registered", existing.locale, user=existing,
                              login_url=url_for("auth.login", _external=True),
                              reset_url=url_for("auth.forgot_password", _external=True))
        return None
    user = create_user(email=email, display_name=display_name, password=password, locale=locale)
    send_confirmation(user)
    return user


def send_confirmation(user: User) -> None:
    token = make_token(CONFIRM, {"id": user.id, "email": user.email})
    outbox.queue_template(user.email, "confirm_email", user.locale, user=user,
                          url=url_for("auth.confirm_email", token=token, _external=True))


def resend_confirmation(email: str) -> None:
    user = find_by_email(email)
    if user is not None and not user.is_confirmed and user.active:
        send_confirmation(user)


def confirm_email(token: str) -> User:
    data = read_token(CONFIRM, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    user = get_user(int(data.get("id", 0))) if isinstance(data, dict) else None
    if user is None or user.email != data.get("email"):
        raise InvalidToken()
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    return user


# --- Signing in ---------------------------------------------------------------


@dataclass
class SignInResult:
    user: User | None
    problem: str | None  # None, "credentials", "unconfirmed", "deactivated", "wait" or "locked"
    hold: object = None  # engage.auth.throttle.Hold, for "wait" and "locked"


def failed_sign_in(email: str, user: User | None, details: str) -> None:
    """A wrong password or code: recorded, counted against the address (engage.auth.throttle), and when
    that locks it, the owner told."""
    from engage.auth import throttle

    audit("sign_in.failed", user, target_type="user", details=details, actor=None)
    if not throttle.failed(email):
        return
    audit("sign_in.locked", user, target_type="user", details=details, actor=None)
    if user is not None:
        lock = throttle.lock_of(email)
        outbox.queue_template(user.email, "sign_in_locked", user.locale, user=user,
                              minutes=current_app.config["SIGN_IN_LOCK_MINUTES"],
                              until=lock.locked_until if lock else None,
                              reset_url=url_for("auth.forgot_password", _external=True))


def authenticate(email: str, password: str) -> SignInResult:
    """Check credentials. Unknown email and wrong password look the same to the caller, and so do the
    waits and locks after repeated failures (counted per address, engage.auth.throttle)."""
    from engage.auth import throttle

    hold = throttle.hold_on(email)
    if hold is not None:
        verify_password(None, password)  # the same work as a real check
        return SignInResult(None, "locked" if hold.locked else "wait", hold)
    user = find_by_email(email)
    if not verify_password(user.password_hash if user else None, password) or user is None:
        failed_sign_in(email, user, normalise_email(email)[:254])
        return SignInResult(None, "credentials")
    throttle.succeeded(email)
    if not user.active:
        return SignInResult(user, "deactivated")
    if not user.is_confirmed:
        return SignInResult(user, "unconfirmed")
    user.last_sign_in_at = utcnow()
    db.session.flush()
    return SignInResult(user, None)


# --- Passwords ----------------------------------------------------------------


def request_password_reset(email: str) -> None:
    """Email a reset link if the account exists and is active; say nothing either way."""
    user = find_by_email(email)
    if user is None or not user.active:
        return
    # The token carries the current session token, so it dies once the password changes.
    token = make_token(RESET, {"id": user.id, "st": user.session_token})
    outbox.queue_template(user.email, "reset_password", user.locale, user=user,
                          url=url_for("auth.reset_password", token=token, _external=True))


def user_for_reset_token(token: str) -> User:
    data = read_token(RESET, token, current_app.config["RESET_TOKEN_MAX_AGE"])
    user = get_user(int(data.get("id", 0))) if isinstance(data, dict) else None
    if user is None or not user.active or user.session_token != data.get("st"):
        raise InvalidToken()
    return user


def set_password(user: User, password: str) -> None:
    """Set a new password and sign the person out of every other session (and reset links already sent)."""
    user.password_hash = hash_password(password)
    user.session_token = new_session_token()
    sessions.end_all(user, keep_current=True)
    db.session.flush()


def reset_password(token: str, password: str) -> User:
    user = user_for_reset_token(token)
    set_password(user, password)
    sessions.end_all(user)  # every sign-in, this browser's too: the person signs in with the new password
    # Following an emailed reset link proves the address works.
    if user.email_confirmed_at is None:
        user.email_confirmed_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not verify_password(user.password_hash, current):
        raise AccountError("current_password")
    set_password(user, new)


# --- Email change -------------------------------------------------------------


def request_email_change(user: User, new_email: str, current_password: str) -> None:
    """Send a confirmation link to the new address; the change happens when it is followed."""
    if not verify_password(user.password_hash, current_password):
        raise AccountError("current_password")
    new_email = normalise_email(new_email)
    if new_email == user.email:
        raise AccountError("same_email")
    if find_by_email(new_email) is not None:
        # Do not reveal that the address has an account: act as if the link was sent.
        return
    token = make_token(CHANGE_EMAIL, {"id": user.id, "old": user.email, "new": new_email})
    outbox.queue_template(new_email, "change_email", user.locale, user=user, new_email=new_email,
                          url=url_for("auth.confirm_email_change", token=token, _external=True))


def confirm_email_change(token: str, signed_in: User | None = None) -> User:
    """Change the address; every sign-in of the account ends but ``signed_in``'s, when that is the
    person confirming in their own browser."""
    data = read_token(CHANGE_EMAIL, token, current_app.config["CONFIRM_TOKEN_MAX_AGE"])
    user = get_user(int(data.get("id", 0))) if isinstance(data, dict) else None
    if user is None or user.email != data.get("old"):
        raise InvalidToken()
    if find_by_email(data["new"]) is not None:
        raise AccountError("email_taken")
    old_email = user.email
    user.email = data["new"]
    user.email_confirmed_at = utcnow()
    # Whoever could sign in with the old address is signed out; the person confirming here stays in.
    if signed_in is not None and signed_in.id == user.id:
        user.session_key = signed_in.session_key
        sessions.end_all(user, keep_current=True)
    else:
        sessions.end_all(user)
    db.session.flush()
    outbox.queue_template(old_email, "email_changed", user.locale, user=user, new_email=user.email)
    return user


# --- Profile and roles --------------------------------------------------------


def update_profile(user: User, *, display_name: str, locale: str, bio: str) -> None:
    user.display_name = display_name.strip()
    user.locale = locale
    user.bio = bio.strip()
    db.session.flush()


def set_locale(user: User, locale: str) -> None:
    user.locale = locale
    db.session.flush()


def grant_role(user: User, role: Role, by: User | None = None) -> bool:
    """Give ``user`` the ``role``; return False when they already had it."""
    if role is Role.RESIDENT or role.value in user.role_names:
        return False
    user.roles.append(UserRole(role=role.value, granted_at=utcnow(), granted_by=by))
    db.session.flush()
    audit("role.granted", user, details=role.value, **({"actor": by} if by is not None else {}))
    return True


def revoke_role(user: User, role: Role) -> bool:
    for held in list(user.roles):
        if held.role == role.value:
            user.roles.remove(held)
            db.session.flush()
            audit("role.revoked", user, details=role.value)
            return True
    return False


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        user.session_token = new_session_token()
        sessions.end_all(user)
    db.session.flush()
    audit("account.reactivated" if active else "account.deactivated", user)
