"""The rules and changes of meetings. Functions flush; the request commits.

Seats are counted in ``meetings.seats_taken`` and taken with one conditional
UPDATE (``... WHERE seats_taken < capacity``): the database decides who gets
the last seat, so two people registering at the same moment cannot both have it.
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from engage.auth.models import User
from engage.core import csvfile
from engage.core.signals import registration_promoted
from engage.core.time import now, utcnow
from engage.extensions import db
from engage.forum.sectors import SECTORS
from engage.meetings.kinds import KINDS
from engage.meetings.models import Meeting, MeetingDocument, Registration
from engage.rounds import documents as stored_documents
from engage.rounds.models import Round
from engage.core.cache import touch
from engage.rounds import stats as round_stats
from engage.core.permissions import get_or_404, require

TEXT_FIELDS = ("title", "description", "agenda")


class MeetingError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class ShortNotice(MeetingError):
    """Publishing now gives less notice than ``MEETING_NOTICE_DAYS``: the facilitator must confirm."""

    def __init__(self, days: int, required: int):
        super().__init__(_("This meeting starts in %(days)d days: less than the %(required)d days of notice "
                           "residents should have.", days=days, required=required))
        self.days = days
        self.required = required


@dataclass
class Details:
    kind: str
    default_locale: str
    title: dict[str, str]
    description: dict[str, str]
    agenda: dict[str, str]
    starts_at: datetime
    ends_at: datetime
    venue_name: str = ""
    venue_address: str = ""
    accessibility: str = ""
    online_url: str = ""
    capacity: int | None = None
    registration_required: bool = False


# --- Loading ---------------------------------------------------------------------


def get_meeting(meeting_id: int) -> Meeting | None:
    return db.session.get(Meeting, meeting_id)


def notice_days_required() -> int:
    return int(current_app.config["MEETING_NOTICE_DAYS"])


@dataclass
class Filters:
    when: str = "upcoming"  # upcoming | past | all
    kind: str = ""
    round_id: int | None = None
    forum_id: int | None = None


def public_query(filters: Filters) -> Select:
    """Published meetings of published rounds (or of the forum) matching the filters.

    Upcoming ones soonest first; past ones latest first.
    """
    query = (select(Meeting).outerjoin(Round, Meeting.round_id == Round.id)
             .where(Meeting.published_at.is_not(None), or_(Meeting.round_id.is_(None), Round.published_at.is_not(None))))
    moment = now()
    if filters.kind:
        query = query.where(Meeting.kind == filters.kind)
    if filters.round_id is not None:
        query = query.where(Meeting.round_id == filters.round_id)
    if filters.forum_id is not None:
        query = query.where(Meeting.forum_id == filters.forum_id)
    if filters.when == "upcoming":
        return query.where(Meeting.ends_at > moment).order_by(Meeting.starts_at, Meeting.id)
    if filters.when == "past":
        query = query.where(Meeting.ends_at <= moment)
    return query.order_by(Meeting.starts_at.desc(), Meeting.id.desc())


def meetings_of(*, round_: Round | None = None, forum=None, include_drafts: bool = False) -> list[Meeting]:
    query = select(Meeting)
    if round_ is not None:
        query = query.where(Meeting.round_id == round_.id)
    if forum is not None:
        query = query.where(Meeting.forum_id == forum.id)
    if not include_drafts:
        # Public: published, and not in a round that is still a draft.
        query = query.outerjoin(Round, Meeting.round_id == Round.id).where(
            Meeting.published_at.is_not(None), or_(Meeting.round_id.is_(None), Round.published_at.is_not(None)))
    return list(db.session.scalars(query.order_by(Meeting.starts_at, Meeting.id)))


def split_by_time(meetings: list[Meeting]) -> tuple[list[Meeting], list[Meeting]]:
    """(upcoming soonest first, past latest first)."""
    moment = now()
    upcoming = [m for m in meetings if m.ends_at > moment]
    past = sorted((m for m in meetings if m.ends_at <= moment), key=lambda m: m.starts_at, reverse=True)
    return upcoming, past


# --- Creating, editing, publishing -----------------------------------------------------


def _check(details: Details) -> None:
    if details.kind not in KINDS:
        raise MeetingError(_("Choose the kind of meeting."), "kind")
    if not (details.title.get(details.default_locale) or "").strip():
        raise MeetingError(_("Enter a title in the default language."), f"title_{details.default_locale}")
    if details.ends_at <= details.starts_at:
        raise MeetingError(_("The meeting must end after it starts."), "ends_at")
    if not (details.venue_name.strip() or details.online_url.strip()):
        raise MeetingError(_("Give a venue, an online link, or both."), "venue_name")
    if details.capacity is not None and details.capacity < 1:
        raise MeetingError(_("The capacity is at least one person, or empty for no limit."), "capacity")


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {k: v.strip() for k, v in values.items() if (v or "").strip()}


def _apply(meeting: Meeting, details: Details) -> None:
    meeting.kind = details.kind
    meeting.default_locale = details.default_locale
    for name in TEXT_FIELDS:
        setattr(meeting, name, _texts(getattr(details, name)))
    meeting.starts_at = details.starts_at
    meeting.ends_at = details.ends_at
    meeting.venue_name = details.venue_name.strip()
    meeting.venue_address = details.venue_address.strip()
    meeting.accessibility = details.accessibility.strip()
    meeting.online_url = details.online_url.strip()
    meeting.capacity = details.capacity
    meeting.registration_required = details.registration_required


def create_meeting(details: Details, *, round_: Round | None, forum, by: User) -> Meeting:
    if round_ is None and forum is None:
        raise MeetingError(_("A meeting belongs to a round, to the forum, or to both."))
    _check(details)
    meeting = Meeting(round_id=round_.id if round_ else None, forum_id=forum.id if forum else None,
                      created_by_id=by.id, seats_taken=0, sequence=0)
    _apply(meeting, details)
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, details: Details) -> None:
    _check(details)
    agenda_before = dict(meeting.agenda or {})
    _apply(meeting, details)
    if meeting.is_published:
        meeting.sequence += 1  # calendars that subscribed see the change
        if _texts(details.agenda) != agenda_before and meeting.agenda_published_at is None:
            meeting.agenda_published_at = utcnow()
    db.session.flush()
    promote_waitlist(meeting)


def move_meeting(meeting: Meeting, *, round_: Round | None, forum) -> None:
    """Change the round and/or forum the meeting belongs to; its comments (and their flags) follow it."""
    from engage.comments.models import Comment
    from engage.moderation.models import Flag

    if round_ is None and forum is None:
        raise MeetingError(_("A meeting belongs to a round, to the forum, or to both."), "round_id")
    new_round_id = round_.id if round_ is not None else None
    if new_round_id != meeting.round_id:
        touch(f"round:{meeting.round_id}" if meeting.round_id else "")  # its comments leave that round
        comment_ids = select(Comment.id).where(Comment.meeting_id == meeting.id)
        db.session.execute(update(Flag).where(Flag.target_type == "comment", Flag.target_id.in_(comment_ids))
                           .values(round_id=new_round_id).execution_options(synchronize_session=False))
        db.session.execute(update(Comment).where(Comment.meeting_id == meeting.id)
                           .values(round_id=new_round_id).execution_options(synchronize_session=False))
        round_stats.rebuild([rid for rid in (meeting.round_id, new_round_id) if rid is not None])
    meeting.round_id = new_round_id
    meeting.forum_id = forum.id if forum is not None else None
    db.session.flush()
    db.session.expire(meeting, ["round", "forum"])


def notice_if_published_now(meeting: Meeting) -> tuple[int, bool]:
    """(whole days of notice, whether that is short notice) if the meeting were published now."""
    notice = meeting.starts_at - utcnow()
    return max(0, notice.days), notice < timedelta(days=notice_days_required())


def publish(meeting: Meeting, *, confirm_short_notice: bool = False) -> None:
    """Publish the meeting with its agenda. Less notice than required needs ``confirm_short_notice``,
    and marks the meeting "short notice"."""
    if meeting.is_published:
        return
    if not (meeting.agenda.get(meeting.default_locale) or "").strip():
        raise MeetingError(_("Write the agenda before publishing: residents should know in advance what will be discussed."),
                           f"agenda_{meeting.default_locale}")
    moment = utcnow()
    days, short = notice_if_published_now(meeting)
    if short and not confirm_short_notice:
        raise ShortNotice(days, notice_days_required())
    meeting.published_at = moment
    meeting.agenda_published_at = moment
    meeting.short_notice = short
    db.session.flush()


# --- Registration ---------------------------------------------------------------------


def registration_of(meeting: Meeting, user) -> Registration | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(select(Registration).where(Registration.meeting_id == meeting.id,
                                                        Registration.user_id == user.id))


def _claim_seat(meeting_id: int) -> bool:
    """Take one seat if one is free. The database evaluates the condition under the row's lock."""
    result = db.session.execute(
        update(Meeting)
        .where(Meeting.id == meeting_id, or_(Meeting.capacity.is_(None), Meeting.seats_taken < Meeting.capacity))
        .values(seats_taken=Meeting.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _lock(meeting_id: int) -> None:
    """Hold the meeting's row until this registration commits (SELECT ... FOR UPDATE on PostgreSQL).

    A cancellation releases its seat with an UPDATE of that row, then moves up the first person on the
    waitlist it can see. Under READ COMMITTED it cannot see a registration that is not yet committed:
    without the lock, someone put on the waitlist of a full meeting at that moment stays there while the
    freed seat stays empty. With it, the cancellation waits for the registration (and then moves it up),
    or the registration waits for the cancellation (and then takes the free seat). SQLite lets one
    writing transaction in at a time, which is the same."""
    db.session.execute(select(Meeting.id).where(Meeting.id == meeting_id).with_for_update())


def _release_seat(meeting_id: int) -> None:
    db.session.execute(
        update(Meeting).where(Meeting.id == meeting_id, Meeting.seats_taken > 0)
        .values(seats_taken=Meeting.seats_taken - 1).execution_options(synchronize_session=False)
    )


def register(meeting: Meeting, user: User) -> Registration:
    """A seat if one is free, else a place at the end of the waitlist. Asking twice changes nothing."""
    touch("meetings")  # seats are counted by statements, not through the registration's row
    registration = registration_of(meeting, user)
    if registration is not None and registration.status != Registration.CANCELLED:
        return registration
    _lock(meeting.id)
    try:
        with db.session.begin_nested():
            if registration is None:
                registration = Registration(meeting_id=meeting.id, user_id=user.id, status=Registration.WAITLISTED,
                                            queued_at=utcnow())
                db.session.add(registration)
                db.session.flush()
            else:
                # Coming back after cancelling: only the request that reopens the row goes on.
                reopened = db.session.execute(
                    update(Registration).where(Registration.id == registration.id,
                                               Registration.status == Registration.CANCELLED)
                    .values(status=Registration.WAITLISTED, queued_at=utcnow(), updated_at=utcnow())
                    .execution_options(synchronize_session=False)
                ).rowcount
                if not reopened:
                    db.session.refresh(registration)
                    return registration
            if _claim_seat(meeting.id):
                db.session.execute(update(Registration).where(Registration.id == registration.id)
                                   .values(status=Registration.REGISTERED).execution_options(synchronize_session=False))
    except IntegrityError:  # the same person, twice at the same moment: the first request stands
        registration = registration_of(meeting, user)
    db.session.refresh(registration)
    db.session.refresh(meeting, ["seats_taken"])
    return registration


def cancel(meeting: Meeting, user: User) -> None:
    """Give up a seat (the first on the waitlist gets it) or a place on the waitlist."""
    touch("meetings")
    registration = registration_of(meeting, user)
    # Only the request that changes the status releases the seat. If the status changed under us
    # (moved up from the waitlist at this moment), read it again and cancel what it is now.
    for _attempt in range(3):
        if registration is None or registration.status == Registration.CANCELLED:
            break
        was = registration.status
        changed = db.session.execute(
            update(Registration).where(Registration.id == registration.id, Registration.status == was)
            .values(status=Registration.CANCELLED, updated_at=utcnow()).execution_options(synchronize_session=False)
        ).rowcount
        db.session.refresh(registration)
        if changed:
            if was == Registration.REGISTERED:
                _release_seat(meeting.id)
                promote_waitlist(meeting)
            break
    db.session.refresh(meeting, ["seats_taken"])


def promote_waitlist(meeting: Meeting) -> list[Registration]:
    """Give free seats to the waitlist in order; each person moved up is told."""
    promoted = []
    while True:
        candidate = db.session.scalar(
            select(Registration).where(Registration.meeting_id == meeting.id,
                                       Registration.status == Registration.WAITLISTED)
            .order_by(Registration.queued_at, Registration.id).limit(1)
        )
        if candidate is None:
            break
        if not _claim_seat(meeting.id):
            break
        moved = db.session.execute(
            update(Registration).where(Registration.id == candidate.id, Registration.status == Registration.WAITLISTED)
            .values(status=Registration.REGISTERED, updated_at=utcnow()).execution_options(synchronize_session=False)
        ).rowcount
        if not moved:  # someone else moved or cancelled them first: give the seat back and look again
            _release_seat(meeting.id)
            db.session.refresh(candidate)
            continue
        db.session.refresh(candidate)
        promoted.append(candidate)
        registration_promoted.send(candidate, meeting=meeting)
    db.session.refresh(meeting, ["seats_taken"])
    return promoted


def registrations(meeting: Meeting) -> tuple[list, list]:
    """(registered, waitlisted), each in the order people asked: rows of user_id, display_name, status, queued_at
    (plain rows rather than objects, as a big meeting has thousands)."""
    rows = db.session.execute(
        select(Registration.user_id, User.display_name, Registration.status, Registration.queued_at)
        .join(User, User.id == Registration.user_id)
        .where(Registration.meeting_id == meeting.id, Registration.status != Registration.CANCELLED)
        .order_by(Registration.queued_at, Registration.id)
    ).all()
    return ([r for r in rows if r.status == Registration.REGISTERED],
            [r for r in rows if r.status == Registration.WAITLISTED])


def registrations_csv(meeting: Meeting) -> str:
    """Names and organisations of the people registered and waitlisted: no email addresses."""
    from engage.organisations.models import Organisation, Representative

    registered, waitlisted = registrations(meeting)
    people = registered + waitlisted
    organisations: dict[int, list[str]] = {}
    # One query for everyone's verified organisations.
    for user_id, name in db.session.execute(
        select(Representative.user_id, Organisation.name_uk).join(Organisation)
        .where(Organisation.status == Organisation.VERIFIED,
               Representative.user_id.in_(select(Registration.user_id).where(Registration.meeting_id == meeting.id)))
        .order_by(Organisation.name_uk)
    ):
        organisations.setdefault(user_id, []).append(name)
    out = io.StringIO()
    writer = csvfile.writer(out)
    writer.writerow([_("Name"), _("Organisation"), _("Status"), _("Registered at")])
    for row in people:
        status = _("Registered") if row.status == Registration.REGISTERED else _("Waitlist")
        writer.writerow([row.display_name, "; ".join(organisations.get(row.user_id, [])),
                         status, row.queued_at.isoformat()])
    return out.getvalue()


# --- After the meeting -------------------------------------------------------------------


def record_attendance(meeting: Meeting, total: int, by_sector: dict[str, int]) -> None:
    if total < 0 or any(v < 0 for v in by_sector.values()):
        raise MeetingError(_("Numbers of people cannot be negative."), "attendance_total")
    counted = {k: v for k, v in by_sector.items() if k in SECTORS and v}
    if sum(counted.values()) > total:
        raise MeetingError(_("The numbers by sector add up to more than the total."), "attendance_total")
    meeting.attendance_total = total
    meeting.attendance_by_sector = counted or None
    db.session.flush()


def publish_minutes(meeting: Meeting, minutes: dict[str, str]) -> None:
    texts = _texts(minutes)
    if not (texts.get(meeting.default_locale) or "").strip():
        raise MeetingError(_("Write the minutes in the default language."), f"minutes_{meeting.default_locale}")
    meeting.minutes = texts
    if meeting.minutes_published_at is None:
        meeting.minutes_published_at = utcnow()
    meeting.sequence += 1
    db.session.flush()


def add_document_link(meeting: Meeting, *, title: str, url: str) -> MeetingDocument:
    document = MeetingDocument(title=title, url=url, created_at=utcnow())
    meeting.documents.append(document)
    db.session.flush()
    return document


def add_document_upload(meeting: Meeting, *, title: str, filename: str, data: bytes) -> MeetingDocument:
    try:
        stored = stored_documents.accept_upload(data, filename)
    except stored_documents.UploadError as error:
        raise MeetingError(error.message, "file") from None
    document = MeetingDocument(title=title, created_at=utcnow(), **stored)
    meeting.documents.append(document)
    db.session.flush()
    return document


def delete_document(document: MeetingDocument) -> None:
    stored = document.stored_name
    document.meeting.documents.remove(document)
    db.session.flush()
    if stored:
        stored_documents.remove(stored)


def attendance_summary(meetings: list[Meeting]) -> dict[str, int]:
    """Meetings held with attendance recorded, and the people counted (for reports)."""
    held = [m for m in meetings if m.attendance_total is not None]
    return {"meetings": len(held), "people": sum(m.attendance_total or 0 for m in held)}


def count_registered(meeting: Meeting) -> int:
    return db.session.scalar(select(func.count(Registration.id)).where(
        Registration.meeting_id == meeting.id, Registration.status == Registration.REGISTERED)) or 0


# --- Loading for a page ------------------------------------------------------------------


def load_meeting(meeting_id: int) -> Meeting:
    """The meeting, if it exists and the current person may see it."""
    return get_or_404(get_meeting, meeting_id, "meetings.view")


def editable_meeting(meeting_id: int) -> Meeting:
    meeting = load_meeting(meeting_id)
    require("meetings.edit", meeting)
    return meeting
