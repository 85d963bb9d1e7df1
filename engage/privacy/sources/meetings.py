"""Meetings a person registered for, and meetings they set up."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.core.time import now
from engage.extensions import db
from engage.meetings import services as meetings
from engage.meetings.models import Meeting, Registration
from engage.privacy.registry import Erasure, PersonalData, counter, records, register, rows

records(Meeting, Meeting.created_by_id, ("id", "kind", "title", "starts_at"), name="meetings_created",
        description=_l("Meetings you set up as a facilitator."))


def _registrations(user) -> list[dict]:
    return rows(select(Registration).where(Registration.user_id == user.id).order_by(Registration.id),
                ("meeting_id", "status", "queued_at", "updated_at"))


def _cancel_future(erasure: Erasure) -> None:
    """Places at meetings still to come are given up the way the person would give them up themselves:
    the first on the waitlist moves up and is told. Past registrations stay, on the anonymised account
    (a meeting's record of who came is counted from them)."""
    upcoming = db.session.scalars(
        select(Meeting).join(Registration, Registration.meeting_id == Meeting.id)
        .where(Registration.user_id == erasure.user.id, Registration.status != Registration.CANCELLED,
               Meeting.starts_at > now())
    ).all()
    for meeting in upcoming:
        meetings.cancel(meeting, erasure.user)


register(PersonalData(
    name="meeting_registrations", description=_l("Meetings you registered for, and whether you had a seat or a place on the waitlist."),
    columns=("meeting_registrations.user_id",), export=_registrations, erase=_cancel_future,
    count=counter(Registration, lambda user: Registration.user_id == user.id), order=30,
))
