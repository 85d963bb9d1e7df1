"""Per-account throttling of sign-in: a growing wait after repeated failures, then a temporary lock.

Counted per email address, whether or not an account has it (so the answers never tell whether it
does), in the database (shared by every worker and machine). After ``SIGN_IN_DELAY_AFTER`` failures
each new attempt must wait 2, 4, 8 ... seconds (at most ``SIGN_IN_MAX_DELAY``) after the last one; after
``SIGN_IN_LOCK_AFTER`` failures the address is locked for ``SIGN_IN_LOCK_MINUTES`` and the account's
owner, if there is one, is told by email. A successful sign-in starts the count again. Times are the
real clock (engage.auth.sessions.wall_clock).
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, select, update

from engage.auth.models import SignInThrottle
from engage.auth.sessions import wall_clock
from engage.core.database import insert_ignoring_duplicates
from engage.extensions import db


def key_of(email: str) -> str:
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


@dataclass(frozen=True)
class Hold:
    """Why an attempt is not checked now: ``locked`` until ``until``, or wait until ``until``."""

    locked: bool
    until: datetime

    @property
    def seconds(self) -> int:
        return max(1, int((self.until - wall_clock()).total_seconds() + 0.999))


def _delay(failures: int) -> timedelta:
    config = current_app.config
    over = failures - config["SIGN_IN_DELAY_AFTER"]
    if over < 0:
        return timedelta(0)
    return timedelta(seconds=min(2 ** (over + 1), config["SIGN_IN_MAX_DELAY"]))


def state(email: str) -> SignInThrottle | None:
    return db.session.get(SignInThrottle, key_of(email))


def hold_on(email: str) -> Hold | None:
    """Whether an attempt for ``email`` must not be checked now (locked, or too soon after a failure)."""
    row = state(email)
    if row is None:
        return None
    now = wall_clock()
    if row.locked_until is not None:
        if row.locked_until > now:
            return Hold(True, row.locked_until)
        return None  # the lock is over: the next failure starts a new count (see failed())
    if row.last_failed_at is not None:
        wait_until = row.last_failed_at + _delay(row.failures)
        if wait_until > now:
            return Hold(False, wait_until)
    return None


def failed(email: str) -> bool:
    """Count a failed attempt; True when it locks the address now."""
    config = current_app.config
    key, now = key_of(email), wall_clock()
    db.session.execute(insert_ignoring_duplicates(SignInThrottle).values(email_hash=key, failures=0))
    row = db.session.get(SignInThrottle, key, populate_existing=True, with_for_update=True)
    if row.locked_until is not None and row.locked_until <= now:
        row.failures, row.locked_until = 0, None  # a finished lock: count again from zero
    db.session.execute(update(SignInThrottle).where(SignInThrottle.email_hash == key)
                       .values(failures=SignInThrottle.failures + 1, last_failed_at=now)
                       .execution_options(synchronize_session=False))
    db.session.refresh(row)
    if row.failures >= config["SIGN_IN_LOCK_AFTER"] and row.locked_until is None:
        row.locked_until = now + timedelta(minutes=config["SIGN_IN_LOCK_MINUTES"])
        db.session.flush()
        return True
    db.session.flush()
    return False


def succeeded(email: str) -> None:
    db.session.execute(delete(SignInThrottle).where(SignInThrottle.email_hash == key_of(email)))


def unlock(email: str) -> None:
    """An administrator lifts a lock (and the count) before it ends."""
    succeeded(email)


def lock_of(email: str) -> SignInThrottle | None:
    """The open lock of an address, for the administrators' page."""
    row = state(email)
    return row if row is not None and row.locked_until is not None and row.locked_until > wall_clock() else None


def locked_keys(keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(db.session.scalars(select(SignInThrottle.email_hash).where(
        SignInThrottle.email_hash.in_(keys), SignInThrottle.locked_until > wall_clock())))
