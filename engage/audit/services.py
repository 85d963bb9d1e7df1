"""Recording privileged actions, and reading them back for administrators.

``record(action, target, details=...)`` is called by the features where the action happens, inside
the same transaction: an action that is rolled back leaves no entry, one that is committed always has
its entry. The actor is the signed-in person unless given; the address is the request's.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone

from flask import current_app, has_request_context, request
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, delete, func, select

from engage.audit.models import AuditEvent
from engage.core.time import utcnow
from engage.extensions import db

# Every action the log knows, with its label for the administrators' filter.
ACTIONS = {
    "sign_in.failed": _l("Failed sign-in"),
    "sign_in.locked": _l("Sign-in locked"),
    "sign_in.unlocked": _l("Sign-in lock lifted"),
    "role.granted": _l("Role granted"),
    "role.revoked": _l("Role revoked"),
    "account.deactivated": _l("Account deactivated"),
    "account.reactivated": _l("Account reactivated"),
    "account.deleted": _l("Account deleted"),
    "privacy.downloaded": _l("Personal data downloaded"),
    "two_factor.enabled": _l("Two-factor sign-in turned on"),
    "two_factor.disabled": _l("Two-factor sign-in turned off"),
    "two_factor.recovery_used": _l("Recovery code used"),
    "two_factor.recovery_codes": _l("New recovery codes"),
    "organisation.decided": _l("Organisation verified or rejected"),
    "moderation.decided": _l("Moderation decision"),
    "proposal.answered": _l("Written answer to a proposal"),
    "round.created": _l("Round created"),
    "round.edited": _l("Round edited"),
    "round.published": _l("Round published"),
    "round.unpublished": _l("Round taken back to draft"),
    "round.closed": _l("Round closed"),
    "plan.saved": _l("Action plan created or edited"),
    "plan.published": _l("Action plan published"),
    "plan.report_published": _l("Progress report published"),
    "export.personal_data": _l("Download with personal data"),
}


def _label_of(target) -> str:
    """The object's name at the time, in its own default language (not the reader's)."""
    text_in = getattr(target, "text_in", None)
    if callable(text_in) and getattr(target, "default_locale", None):
        title = getattr(text_in(target.default_locale), "title", "")
        if title:
            return title[:300]
    for name in ("display_name", "name_uk", "title", "title_text", "email"):
        try:
            value = getattr(target, name, None)
        except RuntimeError:  # a text in the reader's language, outside a request
            continue
        if isinstance(value, str) and value:
            return value[:300]
    return ""


SIGNED_IN = object()  # the default actor: the person signed in to this request, if any


def record(action: str, target=None, *, target_type: str | None = None, details: str = "", actor=SIGNED_IN,
           label: str | None = None) -> AuditEvent:
    """Write one entry. ``target`` is a model instance (its table names the kind) or None; ``actor``
    None is the platform itself (an automatic decision, a command)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    if actor is SIGNED_IN:
        actor = None
        if has_request_context():
            from flask_login import current_user

            actor = current_user._get_current_object() if current_user.is_authenticated else None
    kind = target_type or (getattr(target, "__tablename__", "").removesuffix("s") if target is not None else "")
    event = AuditEvent(
        created_at=utcnow(), actor_id=getattr(actor, "id", None),
        actor_name=(f"{actor.display_name} <{actor.email}>" if actor is not None else "")[:254],
        action=action, target_type=kind[:20], target_id=getattr(target, "id", None),
        target_label=label if label is not None else (_label_of(target) if target is not None else ""),
        details=details[:2000], ip_address=((request.remote_addr or "") if has_request_context() else "")[:45],
    )
    db.session.add(event)
    return event


@dataclass
class Filters:
    person: str = ""
    action: str = ""
    target_type: str = ""
    target_id: int | None = None
    since: date | None = None
    until: date | None = None


def search(filters: Filters) -> Select:
    """Entries matching the filters, newest first."""
    query = select(AuditEvent)
    if filters.person:
        from engage.core.database import contains_pattern

        query = query.where(func.lower(AuditEvent.actor_name).like(contains_pattern(filters.person.lower()), escape="\\"))
    if filters.action:
        query = query.where(AuditEvent.action == filters.action)
    if filters.target_type:
        query = query.where(AuditEvent.target_type == filters.target_type)
    if filters.target_id is not None:
        query = query.where(AuditEvent.target_id == filters.target_id)
    if filters.since:
        query = query.where(AuditEvent.created_at >= datetime.combine(filters.since, time.min, timezone.utc))
    if filters.until:
        query = query.where(AuditEvent.created_at < datetime.combine(filters.until + timedelta(days=1), time.min,
                                                                     timezone.utc))
    return query.order_by(AuditEvent.created_at.desc(), AuditEvent.id.desc())


def target_types() -> list[str]:
    return list(db.session.scalars(select(AuditEvent.target_type).where(AuditEvent.target_type != "")
                                   .distinct().order_by(AuditEvent.target_type)))


def prune(days: int | None = None) -> int:
    """Delete entries older than ``days`` (default ``AUDIT_LOG_DAYS``); return how many went."""
    keep = days if days is not None else current_app.config["AUDIT_LOG_DAYS"]
    done = db.session.execute(delete(AuditEvent).where(AuditEvent.created_at < utcnow() - timedelta(days=keep)))
    return done.rowcount or 0
