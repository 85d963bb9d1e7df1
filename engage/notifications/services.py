"""Creating notifications, people's email choices, and delivering the outbox.

A notification and its email are written in the same transaction as the event
(the request commits both or neither). ``flask outbox send`` delivers the
emails: each is claimed by one sender before it is handed to the mail server,
retried with growing pauses after a failure, and kept with its last error when
it finally fails, so nothing is lost and nothing goes twice.
"""
from __future__ import annotations

import logging
from datetime import timedelta

from flask import current_app, url_for
from sqlalchemy import func, select, update

from engage.auth.models import User
from engage.core import mail
from engage.core.time import utcnow
from engage.core.tokens import make_token
from engage.core.urls import url_context
from engage.extensions import db
from engage.notifications.kinds import KIND_LABELS, describe
from engage.notifications.models import Notification, NotificationPreference, OutboxMessage

log = logging.getLogger("engage.outbox")
STALE_CLAIM = timedelta(minutes=30)


# --- Creating --------------------------------------------------------------------


def wants_email(user: User, kind: str) -> bool:
    choice = db.session.scalar(select(NotificationPreference.email).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    return True if choice is None else bool(choice)


def notify(user: User | None, kind: str, path: str, **params) -> Notification | None:
    """Tell ``user`` in the site, and by email if they want it for this kind."""
    if user is None or not user.active:
        return None
    with url_context():
        return _notify(user, kind, path, params)


def _notify(user: User, kind: str, path: str, params: dict) -> Notification:
    notification = Notification(user_id=user.id, kind=kind, params=params, path=path, created_at=utcnow())
    db.session.add(notification)
    db.session.flush()
    if wants_email(user, kind) and user.is_confirmed:
        message = mail.render_message(
            user.email, "notification", user.locale, user=user, sentence=describe_in(user.locale, kind, params),
            params=params, kind=kind, url=url_for("notifications.open", notification_id=notification.id, _external=True),
            unsubscribe_url=url_for("notifications.unsubscribe", token=unsubscribe_token(user, kind), _external=True),
            settings_url=url_for("notifications.settings", _external=True),
        )
        queued = OutboxMessage(
            notification_id=notification.id, to=message.to, subject=message.subject, text=message.text,
            status=OutboxMessage.PENDING, next_attempt_at=utcnow(), created_at=utcnow(),
        )
        db.session.add(queued)
        db.session.flush()
        from engage.notifications.queue import after_commit_enqueue

        after_commit_enqueue(queued.id)
    return notification


def describe_in(locale: str, kind: str, params: dict) -> str:
    from flask_babel import force_locale

    with force_locale(locale):
        return describe(kind, params)


# --- Reading ---------------------------------------------------------------------


def unread_count(user) -> int:
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.read_at.is_(None))) or 0


def for_user(user):
    return select(Notification).where(Notification.user_id == user.id).order_by(Notification.id.desc())


def mark_read(user, notification_id: int | None = None) -> None:
    """Mark one notification (or all of them) as read."""
    query = update(Notification).where(Notification.user_id == user.id, Notification.read_at.is_(None))
    if notification_id is not None:
        query = query.where(Notification.id == notification_id)
    db.session.execute(query.values(read_at=utcnow()).execution_options(synchronize_session=False))


def get_own(user, notification_id: int) -> Notification | None:
    notification = db.session.get(Notification, notification_id)
    return notification if notification is not None and notification.user_id == user.id else None


# --- Preferences -----------------------------------------------------------------


def email_choices(user) -> dict[str, bool]:
    chosen = dict(db.session.execute(select(NotificationPreference.kind, NotificationPreference.email)
                                     .where(NotificationPreference.user_id == user.id)).all())
    return {kind: chosen.get(kind, True) for kind in KIND_LABELS}


def set_email_choice(user, kind: str, email: bool) -> None:
    if kind not in KIND_LABELS:
        raise ValueError(kind)
    row = db.session.scalar(select(NotificationPreference).where(
        NotificationPreference.user_id == user.id, NotificationPreference.kind == kind))
    if row is None:
        db.session.add(NotificationPreference(user_id=user.id, kind=kind, email=email))
    else:
        row.email = email
    db.session.flush()


UNSUBSCRIBE = "unsubscribe"


def unsubscribe_token(user: User, kind: str) -> str:
    return make_token(UNSUBSCRIBE, [user.id, kind])


# --- Delivering the outbox ---------------------------------------------------------


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


# --- Phase changes ------------------------------------------------------------------

ANNOUNCE_WINDOW = timedelta(days=1)


def announce_phases() -> int:
    """Tell followers when a phase of a published round has begun. Returns how many phases were announced.

    Phases that began more than a day ago (for example before notifications existed)
    are marked as announced without telling anyone.
    """
    with url_context():
        return _announce_phases()


def _announce_phases() -> int:
    from engage.rounds.models import Phase, Round, RoundFollower

    now = utcnow()
    phases = db.session.scalars(
        select(Phase).join(Round, Phase.round_id == Round.id)
        .where(Phase.announced_at.is_(None), Phase.starts_at <= now, Round.published_at.is_not(None))
        .order_by(Phase.starts_at)
    ).all()
    announced = 0
    for phase in phases:
        phase.announced_at = now
        if now - phase.starts_at > ANNOUNCE_WINDOW:
            continue
        round_ = phase.round
        followers = db.session.scalars(
            select(User).join(RoundFollower, RoundFollower.user_id == User.id).where(RoundFollower.round_id == round_.id)
        ).all()
        for person in followers:
            notify(person, "phase", url_for("rounds.show", round_id=round_.id),
                   round=round_.text_in(person.locale).title, phase=phase.type)
        announced += 1
    db.session.commit()
    return announced
