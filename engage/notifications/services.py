"""Creating notifications and people's email choices.

A notification and its email are written in the same transaction as the event
(the request commits both or neither); the email waits in the outbox
(engage.core.outbox), which delivers it.
"""
from __future__ import annotations

from datetime import timedelta

from flask import url_for
from sqlalchemy import func, select, update

from engage.auth.models import User
from engage.core import mail, outbox
from engage.core.time import utcnow
from engage.core.tokens import make_token
from engage.core.urls import url_context
from engage.extensions import db
from engage.notifications.kinds import KIND_LABELS, describe
from engage.notifications.models import Notification, NotificationPreference


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
        outbox.queue(message, notification_id=notification.id)
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
