"""Sign-ins kept on the server, so that they can be ended there.

A sign-in is a ``UserSession`` row; the session cookie (and the remember-me cookie) holds
``<user id>:<random key>``. A request is signed in only while its row is open, younger than
``SESSION_MAX_DAYS`` and used within ``SESSION_IDLE_MINUTES`` (``SESSION_IDLE_MINUTES_STAFF`` for
facilitators, moderators and admins). Times are the real clock: how long ago someone was active is
not part of a consultation's calendar.
"""
from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta, timezone

from flask import current_app, has_request_context, request
from sqlalchemy import select, update

from engage.auth.models import User, UserSession
from engage.extensions import db

# last_seen_at is written at most this often per sign-in (not on every request).
TOUCH_EVERY = timedelta(minutes=1)


def wall_clock() -> datetime:
    return datetime.now(timezone.utc)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _staff(user: User) -> bool:
    from engage.core.permissions import Role

    return bool(user.role_names & {r.value for r in Role.grantable()})


def idle_limit(user: User) -> timedelta:
    minutes = current_app.config["SESSION_IDLE_MINUTES_STAFF" if _staff(user) else "SESSION_IDLE_MINUTES"]
    return timedelta(minutes=minutes)


def max_age() -> timedelta:
    return timedelta(days=current_app.config["SESSION_MAX_DAYS"])


def start(user: User, *, remember: bool = False) -> str:
    """Open a sign-in for ``user`` on this device; ``user.session_key`` is set for Flask-Login."""
    key = secrets.token_urlsafe(32)
    now = wall_clock()
    address, agent = "", ""
    if has_request_context():
        address = (request.remote_addr or "")[:45]
        agent = (request.user_agent.string or "")[:255]
    db.session.add(UserSession(key_hash=_hash(key), user_id=user.id, created_at=now, last_seen_at=now,
                               remember=remember, ip_address=address, user_agent=agent))
    db.session.flush()
    user.session_key = key
    return key


def load(session_id: str) -> User | None:
    """The person of a cookie's ``<user id>:<key>``, if that sign-in is still open; one query."""
    from engage.core.urls import parse_id

    raw_id, _, key = (session_id or "").partition(":")
    user_id = parse_id(raw_id)
    if user_id is None or not key or len(key) > 100:
        return None
    row = db.session.execute(
        select(UserSession, User).join(User, User.id == UserSession.user_id)
        .where(UserSession.key_hash == _hash(key))
    ).first()
    if row is None:
        return None
    sign_in, user = row
    now = wall_clock()
    if (user.id != user_id or not user.active or sign_in.ended_at is not None
            or now - sign_in.created_at > max_age() or now - sign_in.last_seen_at > idle_limit(user)):
        if sign_in.ended_at is None and user.id == user_id:
            sign_in.ended_at = now
        return None
    if now - sign_in.last_seen_at > TOUCH_EVERY:
        sign_in.last_seen_at = now
    user.session_key = key
    return user


def current(user: User) -> UserSession | None:
    key = getattr(user, "session_key", None)
    return db.session.scalar(select(UserSession).where(UserSession.key_hash == _hash(key))) if key else None


def end(user: User, session_id: int | None = None) -> bool:
    """End one sign-in of ``user`` (default: this one); False when there was none open."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    if session_id is not None:
        query = query.where(UserSession.id == session_id)
    else:
        key = getattr(user, "session_key", None)
        if not key:
            return False
        query = query.where(UserSession.key_hash == _hash(key))
    done = db.session.execute(query.values(ended_at=wall_clock()).execution_options(synchronize_session=False))
    return bool(done.rowcount)


def end_all(user: User, *, keep_current: bool = False) -> int:
    """End every open sign-in of ``user``; with ``keep_current``, all but this request's."""
    query = update(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None))
    key = getattr(user, "session_key", None)
    if keep_current and key:
        query = query.where(UserSession.key_hash != _hash(key))
    done = db.session.execute(query.values(ended_at=wall_clock()).execution_options(synchronize_session=False))
    return done.rowcount or 0


def open_sessions(user: User) -> list[UserSession]:
    """The person's open sign-ins, most recently used first (those past their limits are left out)."""
    now = wall_clock()
    rows = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id, UserSession.ended_at.is_(None),
                                  UserSession.created_at > now - max_age(),
                                  UserSession.last_seen_at > now - idle_limit(user))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc()).limit(50))
    return list(rows)


_BROWSERS = (("Edg/", "Edge"), ("OPR/", "Opera"), ("Firefox/", "Firefox"), ("Chrome/", "Chrome"),
             ("Chromium/", "Chromium"), ("Safari/", "Safari"))
_SYSTEMS = (("Android", "Android"), ("iPhone", "iOS"), ("iPad", "iPadOS"), ("Windows", "Windows"),
            ("Mac OS X", "macOS"), ("CrOS", "ChromeOS"), ("Linux", "Linux"))


def device_of(user_agent: str) -> str:
    """A short name for a browser and system ("Firefox on Linux"), or "" when not recognised."""
    browser = next((name for mark, name in _BROWSERS if mark in user_agent), "")
    system = next((name for mark, name in _SYSTEMS if mark in user_agent), "")
    if browser and system:
        return f"{browser} · {system}"
    return browser or system or re.sub(r"\s+", " ", user_agent)[:60]
