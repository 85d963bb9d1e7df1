"""What ``/healthz`` reports: each part the site depends on, and whether the site can serve without it.

- ``database_read`` and ``database_write`` (a one-row update, so a read-only or full database shows):
  without them nothing works, the answer is 503 and a load balancer takes this instance out;
- ``redis`` (rate limits, cache, queue, when configured) and ``outbox`` (the oldest email waiting to be
  sent longer than ``OUTBOX_BACKLOG_ALERT_MINUTES``): the site keeps working without them — rate limits
  count in memory, pages are built afresh, the outbox worker sends the mail — so the answer is 200 with
  ``"status": "degraded"``; ``/healthz?strict=1`` answers 503 for them too, for a monitor that alerts.
"""
from __future__ import annotations

import logging
import time
from datetime import timedelta

from flask import current_app
from sqlalchemy import Integer, text
from sqlalchemy.orm import Mapped, mapped_column

from engage.core.time import UTCDateTime, utcnow
from engage.extensions import db

log = logging.getLogger("engage.health")
WRITE_WAIT_SECONDS = 2  # the check does not queue behind a long writer for SQLITE_BUSY_TIMEOUT
REDIS_WAIT_SECONDS = 0.5
ESSENTIAL = ("database_read", "database_write")


class HealthCheck(db.Model):
    """The one row the health check updates."""

    __tablename__ = "health_checks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    checked_at: Mapped[object] = mapped_column(UTCDateTime())


def _timed(check) -> dict:
    started = time.perf_counter()
    try:
        result = check() or {}
    except Exception as exc:  # noqa: BLE001 - any failure of the part is what is reported
        log.error("health check %s failed: %s", check.__name__, exc)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001
            pass
        return {"ok": False, "error": exc.__class__.__name__}
    return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1), **result}


def database_read() -> None:
    db.session.execute(text("SELECT 1")).scalar()


def database_write() -> None:
    if db.engine.dialect.name == "sqlite":
        db.session.execute(text(f"PRAGMA busy_timeout={WRITE_WAIT_SECONDS * 1000:d}"))
    else:
        db.session.execute(text(f"SET LOCAL lock_timeout = '{WRITE_WAIT_SECONDS}s'"))
    try:
        now = utcnow()
        updated = db.session.execute(HealthCheck.__table__.update().where(HealthCheck.id == 1).values(checked_at=now))
        if updated.rowcount == 0:
            db.session.execute(HealthCheck.__table__.insert().values(id=1, checked_at=now))
        db.session.commit()
    finally:
        if db.engine.dialect.name == "sqlite":
            from engage.core.database import busy_timeout_ms

            db.session.execute(text(f"PRAGMA busy_timeout={busy_timeout_ms():d}"))
            db.session.rollback()


def redis_urls() -> dict[str, str]:
    """Each Redis the configuration uses, with what for."""
    config = current_app.config
    found: dict[str, list[str]] = {}
    for use, url in (("queue", config.get("REDIS_URL")), ("rate limits", config.get("RATELIMIT_STORAGE_URI")),
                     ("cache", config.get("CACHE_REDIS_URL"))):
        if url and str(url).startswith(("redis://", "rediss://", "unix://")):
            found.setdefault(str(url), []).append(use)
    return {url: ", ".join(uses) for url, uses in found.items()}


def redis() -> dict:
    urls = redis_urls()
    if not urls:
        return {"used": False}
    from redis import Redis

    for url in urls:
        Redis.from_url(url, socket_timeout=REDIS_WAIT_SECONDS, socket_connect_timeout=REDIS_WAIT_SECONDS).ping()
    return {"used": True, "for": sorted({use for uses in urls.values() for use in uses.split(", ")})}


def outbox() -> dict:
    from engage.core.outbox import oldest_due_age

    age = oldest_due_age() or timedelta(0)
    db.session.rollback()
    limit = timedelta(minutes=current_app.config["OUTBOX_BACKLOG_ALERT_MINUTES"])
    if age > limit:
        raise OutboxBehind(f"the oldest email has waited {int(age.total_seconds())} s")
    return {"oldest_waiting_seconds": int(age.total_seconds())}


class OutboxBehind(Exception):
    pass


def report(strict: bool = False) -> tuple[dict, int]:
    """The JSON body and HTTP status of ``/healthz``."""
    checks = {"database_read": _timed(database_read)}
    if checks["database_read"]["ok"]:
        checks["database_write"] = _timed(database_write)
        checks["outbox"] = _timed(outbox)
    else:
        checks["database_write"] = {"ok": False, "error": "not tried: the database cannot be read"}
    checks["redis"] = _timed(redis)
    failing = [name for name, result in checks.items() if not result["ok"]]
    if any(name in ESSENTIAL for name in failing):
        status = "unavailable"
    elif failing:
        status = "degraded"
    else:
        status = "ok"
    code = 503 if status == "unavailable" or (strict and failing) else 200
    return {"status": status, "failing": failing, "checks": checks}, code
