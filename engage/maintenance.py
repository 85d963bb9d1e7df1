"""``flask maintenance purge``: delete what is kept only for a while, so personal data does not pile up.

Safe to run from cron as often as you like (daily is enough): each kind is deleted in batches of a
few thousand rows, one transaction each, so writers on SQLite wait at most for one batch, and a run
that is stopped half-way leaves nothing inconsistent. What goes:

- sign-ins (``user_sessions``) ended, or past ``SESSION_MAX_DAYS``, more than ``SESSION_KEEP_DAYS`` ago;
- counts of failed sign-ins per address whose last failure and lock are more than a day old;
- sent and given-up emails in the outbox older than ``OUTBOX_KEEP_DAYS`` (they hold addresses and links);
- organisation invitations never accepted, more than ``SESSION_KEEP_DAYS`` past their expiry;
- audit log entries older than ``AUDIT_LOG_DAYS``.
"""
from __future__ import annotations

from datetime import timedelta

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import and_, func, or_, select

from engage.core.time import utcnow
from engage.extensions import db

BATCH = 5000
maintenance_cli = AppGroup("maintenance", help="Housekeeping to run from cron.")


def _delete_in_batches(table, key, condition, dry_run: bool) -> int:
    if dry_run:
        return db.session.scalar(select(func.count()).select_from(table).where(condition)) or 0
    removed = 0
    while True:
        batch = select(key).where(condition).limit(BATCH).scalar_subquery()
        done = db.session.execute(table.delete().where(key.in_(batch))).rowcount or 0
        db.session.commit()
        removed += done
        if done < BATCH:
            return removed


def purge(dry_run: bool = False) -> dict[str, int]:
    """Delete (or with ``dry_run`` count) what is past its keeping period. Returns the numbers per kind."""
    from engage.audit.models import AuditEvent
    from engage.auth.models import SignInThrottle, UserSession
    from engage.core.outbox import OutboxMessage
    from engage.organisations.models import Invitation
    from engage.organisations.services import INVITATION_MAX_AGE

    config = current_app.config
    now = utcnow()
    keep = timedelta(days=config["SESSION_KEEP_DAYS"])
    sessions, throttles = UserSession.__table__, SignInThrottle.__table__
    outbox, invitations, audit = OutboxMessage.__table__, Invitation.__table__, AuditEvent.__table__
    done = {
        "sign-ins": _delete_in_batches(sessions, sessions.c.id, or_(
            sessions.c.ended_at < now - keep,
            sessions.c.created_at < now - timedelta(days=config["SESSION_MAX_DAYS"]) - keep), dry_run),
        "failed sign-in counts": _delete_in_batches(throttles, throttles.c.email_hash, and_(
            func.coalesce(throttles.c.last_failed_at, now) < now - timedelta(days=1),
            or_(throttles.c.locked_until.is_(None), throttles.c.locked_until < now - timedelta(days=1))), dry_run),
        "emails sent or given up": _delete_in_batches(outbox, outbox.c.id, and_(
            outbox.c.status.in_((OutboxMessage.SENT, OutboxMessage.FAILED)),
            outbox.c.created_at < now - timedelta(days=config["OUTBOX_KEEP_DAYS"])), dry_run),
        "expired invitations": _delete_in_batches(invitations, invitations.c.id, and_(
            invitations.c.accepted_at.is_(None),
            invitations.c.created_at < now - timedelta(seconds=INVITATION_MAX_AGE) - keep), dry_run),
        "audit log entries": _delete_in_batches(audit, audit.c.id, audit.c.created_at < now - timedelta(
            days=config["AUDIT_LOG_DAYS"]), dry_run),
    }
    return done


@maintenance_cli.command("purge")
@click.option("--dry-run", is_flag=True, help="Only count what would be deleted.")
def purge_command(dry_run: bool) -> None:
    """Delete sign-ins, failed sign-in counts, sent emails, invitations and audit entries past their time."""
    for kind, count in purge(dry_run=dry_run).items():
        click.echo(f"{kind}: {count} {'would be deleted' if dry_run else 'deleted'}")
