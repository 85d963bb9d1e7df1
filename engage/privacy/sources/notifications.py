"""Notifications, email choices, and emails still waiting to be sent to the person."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from engage.extensions import db
from engage.core import outbox
from engage.core.outbox import OutboxMessage
from engage.notifications.models import Notification, NotificationPreference
from engage.privacy.registry import Erasure, PersonalData, counter, register, rows


def _notifications(user) -> list[dict]:
    return rows(select(Notification).where(Notification.user_id == user.id).order_by(Notification.id),
                ("kind", "params", "path", "created_at", "read_at"))


def _erase_notifications(erasure: Erasure) -> None:
    address = erasure.user.email
    outbox.cancel_pending_to(address)  # before the notifications the emails may tell of
    # Copies of emails already sent hold the address and what they said: they go too.
    db.session.execute(delete(OutboxMessage).where(func.lower(OutboxMessage.to) == address.lower(),
                                                   OutboxMessage.status == OutboxMessage.SENT))
    db.session.execute(delete(Notification).where(Notification.user_id == erasure.user.id))


register(PersonalData(
    name="notifications", description=_l("The notifications the site showed you."),
    columns=("notifications.user_id",), export=_notifications, erase=_erase_notifications,
    count=counter(Notification, lambda user: Notification.user_id == user.id), order=70,
))


def _preferences(user) -> list[dict]:
    return rows(select(NotificationPreference).where(NotificationPreference.user_id == user.id)
                .order_by(NotificationPreference.id), ("kind", "email"))


def _erase_preferences(erasure: Erasure) -> None:
    db.session.execute(delete(NotificationPreference).where(NotificationPreference.user_id == erasure.user.id))


register(PersonalData(
    name="preferences", description=_l("Your choices of which notifications also come by email (without a choice, they do)."),
    columns=("notification_preferences.user_id",), export=_preferences, erase=_erase_preferences,
    count=counter(NotificationPreference, lambda user: NotificationPreference.user_id == user.id), order=70,
))
