"""The outbox: every email the site sends is first a row written in the transaction of its event.

A request never talks to the mail server. It writes an :class:`OutboxMessage` (with
:func:`queue` or :func:`queue_template`) and commits it with whatever caused it, so an email exists
exactly when its event does. Delivery happens elsewhere:

- ``flask outbox work`` (or ``flask outbox send`` from cron) claims due messages, hands them to the
  mail backend, and retries failures with growing pauses, keeping the last error of one it gives up on;
- with ``REDIS_URL`` set, each message is also queued through RQ once its transaction commits, so
  ``flask outbox rq-worker`` sends it within a second; whichever sender claims it first sends it;
- with ``OUTBOX_SEND_AFTER_REQUEST`` (on outside production, for the quick start that runs no worker),
  the messages a request committed are delivered when it ends, after the response is made.

A slow or failing mail server therefore delays an email but never blocks a web worker or loses one.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from flask import Flask, current_app, g, has_app_context
from sqlalchemy import ForeignKey, Index, Integer, String, Text, event, func, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from engage.core import mail
from engage.core.time import UTCDateTime, utcnow
from engage.extensions import db

log = logging.getLogger("engage.outbox")
STALE_CLAIM = timedelta(minutes=30)
_WRITTEN = "engage_outbox_written"  # session.info: ids written in the open transaction
_COMMITTED = "engage_outbox_committed"  # g: ids committed in this app context, to send at its end


class OutboxMessage(db.Model):
    """An email written in the same transaction as its event, delivered later by a sender."""

    __tablename__ = "outbox_messages"
    __table_args__ = (Index("ix_outbox_messages_status_next_attempt_at", "status", "next_attempt_at"),)

    PENDING, SENDING, SENT, FAILED = "pending", "sending", "sent", "failed"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The in-site notification this email tells of, if any (engage.notifications).
    notification_id: Mapped[int | None] = mapped_column(
        ForeignKey("notifications.id", ondelete="SET NULL"), unique=True)
    to: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime())
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


# --- Writing -----------------------------------------------------------------------


def queue(message: mail.Message, *, notification_id: int | None = None) -> OutboxMessage:
    """Write ``message`` to the outbox in the current transaction; it is sent once that commits."""
    now = utcnow()
    row = OutboxMessage(notification_id=notification_id, to=message.to, subject=message.subject, text=message.text,
                        status=OutboxMessage.PENDING, attempts=0, next_attempt_at=now, created_at=now)
    db.session.add(row)
    db.session.flush()
    db.session().info.setdefault(_WRITTEN, []).append(row.id)
    return row


def queue_template(to: str, template: str, locale: str, **context) -> OutboxMessage:
    """Render ``templates/email/<template>.txt`` in ``locale`` (see :func:`mail.render_message`) and queue it."""
    return queue(mail.render_message(to, template, locale, **context))


def cancel_pending_to(address: str) -> int:
    """Drop the emails still waiting for ``address`` (an account being deleted). Returns how many."""
    return db.session.execute(
        OutboxMessage.__table__.delete().where(
            func.lower(OutboxMessage.to) == address.strip().lower(),
            OutboxMessage.status.in_((OutboxMessage.PENDING, OutboxMessage.FAILED)))
    ).rowcount


@event.listens_for(Session, "after_commit")
def _committed(session) -> None:
    ids = session.info.pop(_WRITTEN, None)
    if not ids or not has_app_context():
        return
    if current_app.config.get("REDIS_URL"):
        _enqueue(ids)
    elif current_app.config.get("OUTBOX_SEND_AFTER_REQUEST"):
        g.setdefault(_COMMITTED, []).extend(ids)


@event.listens_for(Session, "after_rollback")
def _rolled_back(session) -> None:
    session.info.pop(_WRITTEN, None)


def _enqueue(ids: list[int]) -> None:
    try:
        jobs = mail_queue()
        for message_id in ids:
            jobs.enqueue("engage.core.outbox.deliver", message_id)
    except Exception as exc:  # Redis unreachable: the outbox worker will deliver instead
        log.warning("could not queue %d emails through RQ (%s); the outbox worker will send them", len(ids), exc)


def mail_queue():
    from redis import Redis
    from rq import Queue

    return Queue(current_app.config["RQ_QUEUE"], connection=Redis.from_url(current_app.config["REDIS_URL"]))


def init_app(app: Flask) -> None:
    """Send what a request (or command) committed when it ends, if ``OUTBOX_SEND_AFTER_REQUEST``."""

    # Registered after Flask-SQLAlchemy, so it runs before the session is removed.
    @app.teardown_appcontext
    def send_committed(_exc=None) -> None:
        ids = g.pop(_COMMITTED, None)
        if not ids:
            return
        try:
            db.session.rollback()  # whatever the request left open; its writes are committed or lost already
            for message_id in ids:
                deliver_one(message_id)
        except Exception:  # never let delivery break the end of a request; the worker retries
            log.exception("sending %d emails after the request failed; they stay in the outbox", len(ids))
            db.session.rollback()


# --- Delivering --------------------------------------------------------------------


def backoff(attempts: int) -> timedelta:
    """1, 2, 4, 8 ... minutes after each failure, at most a day."""
    return timedelta(minutes=min(2 ** (attempts - 1), 24 * 60))


def _claim(message_id: int) -> bool:
    """Take one message for sending; only one sender can win it."""
    claimed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxMessage.PENDING)
        .values(status=OutboxMessage.SENDING, claimed_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return claimed == 1


def deliver_due(limit: int = 200) -> dict[str, int]:
    """Send the emails that are due. Returns how many were sent, postponed and given up."""
    now = utcnow()
    # A sender that died while sending leaves its claim; after a while the message is tried again.
    db.session.execute(
        update(OutboxMessage).where(OutboxMessage.status == OutboxMessage.SENDING,
                                    OutboxMessage.claimed_at < now - STALE_CLAIM)
        .values(status=OutboxMessage.PENDING).execution_options(synchronize_session=False)
    )
    db.session.commit()
    result = {"sent": 0, "retry": 0, "failed": 0}
    claimed, stamp = _claim_due(now, limit)
    for message_id in claimed:
        if _renew_claim(message_id, stamp):
            result[_send_claimed(message_id)] += 1
    return result


def _renew_claim(message_id: int, stamp) -> bool:
    """Just before sending one message of a batch: is it still this sender's? Then claim it afresh.

    A long batch (slow mail server) can outlive STALE_CLAIM; the rest of it may by then have been
    put back and taken by another sender, and must not be sent a second time.
    """
    renewed = db.session.execute(
        update(OutboxMessage).where(OutboxMessage.id == message_id, OutboxMessage.status == OutboxMessage.SENDING,
                                    OutboxMessage.claimed_at == stamp)
        .values(claimed_at=utcnow()).execution_options(synchronize_session=False)
    ).rowcount
    db.session.commit()
    return renewed == 1


def _claim_due(now, limit: int) -> tuple[list[int], object]:
    """Take up to ``limit`` due messages for this sender, in one transaction; returns them and the claim's time.

    On PostgreSQL the rows are locked with ``FOR UPDATE SKIP LOCKED``: several outbox workers (on
    several machines) each take different messages without waiting for one another. The UPDATE
    only moves messages still pending, so no message is ever sent twice (SQLite has one writer).
    """
    due = (select(OutboxMessage.id).where(OutboxMessage.status == OutboxMessage.PENDING,
                                          OutboxMessage.next_attempt_at <= now)
           .order_by(OutboxMessage.id).limit(limit))
    if db.engine.dialect.name == "postgresql":
        due = due.with_for_update(skip_locked=True)
    ids = list(db.session.scalars(due))
    claimed, stamp = [], utcnow()
    if ids:
        claimed = list(db.session.scalars(
            update(OutboxMessage).where(OutboxMessage.id.in_(ids), OutboxMessage.status == OutboxMessage.PENDING)
            .values(status=OutboxMessage.SENDING, claimed_at=stamp).returning(OutboxMessage.id)
            .execution_options(synchronize_session=False)
        ))
    db.session.commit()
    return sorted(claimed), stamp


def deliver_one(message_id: int) -> str | None:
    """Claim and send one message. Returns "sent", "retry", "failed", or None if another sender has it."""
    if not _claim(message_id):
        return None
    return _send_claimed(message_id)


deliver = deliver_one  # the RQ job (run by ``flask outbox rq-worker``, inside the app)


def _send_claimed(message_id: int) -> str:
    """Hand a message this sender has claimed to the mail server and record what happened."""
    message = db.session.get(OutboxMessage, message_id)
    try:
        mail.deliver(mail.Message(to=message.to, subject=message.subject, text=message.text))
    except mail.MailError as exc:
        message.attempts += 1
        message.last_error = str(exc)[:500]
        if message.attempts >= current_app.config["OUTBOX_MAX_ATTEMPTS"]:
            message.status = OutboxMessage.FAILED
            log.error("gave up on mail %s to %s after %d attempts: %s", message.id, message.to, message.attempts, exc)
        else:
            message.status = OutboxMessage.PENDING
            message.next_attempt_at = utcnow() + backoff(message.attempts)
            log.warning("mail %s to %s failed (attempt %d), will retry: %s", message.id, message.to, message.attempts, exc)
        outcome = "failed" if message.status == OutboxMessage.FAILED else "retry"
    else:
        message.attempts += 1
        message.status = OutboxMessage.SENT
        message.sent_at = utcnow()
        outcome = "sent"
    db.session.commit()
    return outcome


def oldest_due_age() -> timedelta | None:
    """How long the oldest message that is due has been waiting (for /healthz), or None if none is."""
    now = utcnow()
    oldest = db.session.scalar(select(func.min(OutboxMessage.next_attempt_at)).where(
        OutboxMessage.status == OutboxMessage.PENDING, OutboxMessage.next_attempt_at <= now))
    return (now - oldest) if oldest is not None else None


def purge_sent(older_than: timedelta) -> int:
    """Delete sent messages older than ``older_than`` (their text holds personal data). Returns how many."""
    return db.session.execute(OutboxMessage.__table__.delete().where(
        OutboxMessage.status == OutboxMessage.SENT, OutboxMessage.sent_at < utcnow() - older_than)).rowcount
