"""Two-factor sign-in: time-based codes (TOTP, RFC 6238, through pyotp) and single-use recovery codes.

Facilitators, moderators and administrators must use it (``TWO_FACTOR_REQUIRED_FOR_STAFF``); residents
may. A code is accepted for the current 30-second step or the one before or after (clock drift), and
never twice: the last step accepted is kept. Recovery codes are stored as keyed hashes only. Codes
follow the real clock, not a consultation's calendar.
"""
from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import time

import pyotp
import segno
from flask import current_app
from sqlalchemy import delete, select

from engage.audit.services import record as audit
from engage.auth.models import RecoveryCode, User
from engage.core.time import utcnow
from engage.extensions import db

RECOVERY_CODES = 10
STEP = 30


def required_for(user: User) -> bool:
    """Whether ``user``'s roles demand two-factor sign-in."""
    from engage.core.permissions import Role

    if not current_app.config["TWO_FACTOR_REQUIRED_FOR_STAFF"]:
        return False
    return bool(user.role_names & {r.value for r in Role.grantable()})


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["SITE_NAME"])


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG, drawn on the server (no script, no image from elsewhere)."""
    return segno.make(uri, error="m").svg_inline(scale=5, dark="#111", light="#fff", title="QR code")


def _digits(code: str) -> str:
    return re.sub(r"\s+", "", code or "")


def check_code(user: User, code: str, secret: str | None = None, *, now: float | None = None) -> bool:
    """Accept a six-digit code once: for ``secret`` (enrolment) or the user's own."""
    code = _digits(code)
    secret = secret or user.totp_secret
    if not secret or not re.fullmatch(r"[0-9]{6}", code):
        return False
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    current = int(moment // STEP)
    for step in (current - 1, current, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), code):
            if user.totp_last_step is not None and step <= user.totp_last_step:
                return False  # already used (or an older one): not reusable within its window
            user.totp_last_step = step
            db.session.flush()
            return True
    return False


def _hash(code: str) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    return hmac.new(key, code.replace("-", "").lower().encode(), hashlib.sha256).hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = []
    for _ in range(RECOVERY_CODES):
        raw = secrets.token_hex(5)
        codes.append(f"{raw[:5]}-{raw[5:]}")
        db.session.add(RecoveryCode(user_id=user.id, code_hash=_hash(raw)))
    db.session.flush()
    return codes


def enable(user: User, secret: str, code: str) -> list[str] | None:
    """Turn two-factor sign-in on when ``code`` proves the authenticator holds ``secret``; the new
    recovery codes are returned once (None when the code is wrong)."""
    user.totp_last_step = None
    if not check_code(user, code, secret):
        return None
    user.totp_secret, user.totp_enabled_at = secret, utcnow()
    codes = _new_recovery_codes(user)
    audit("two_factor.enabled", user)
    return codes


def enable_with_secret(user: User, secret: str) -> None:
    """Enrol without a code (the demo accounts, with their published secret)."""
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), None
    db.session.flush()


def disable(user: User) -> None:
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = None, None, None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.flush()
    audit("two_factor.disabled", user)


def regenerate_recovery_codes(user: User) -> list[str]:
    codes = _new_recovery_codes(user)
    audit("two_factor.recovery_codes", user)
    return codes


def use_recovery_code(user: User, code: str) -> bool:
    cleaned = _digits(code).replace("-", "").lower()
    if not re.fullmatch(r"[0-9a-f]{10}", cleaned):
        return False
    row = db.session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(cleaned), RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = utcnow()
    db.session.flush()
    audit("two_factor.recovery_used", user, actor=user)
    return True


def recovery_codes_left(user: User) -> int:
    from sqlalchemy import func

    return db.session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def verify(user: User, code: str) -> bool:
    """A sign-in's second step: an authenticator code, or else a recovery code."""
    return check_code(user, code) or use_recovery_code(user, code)
