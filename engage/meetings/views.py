"""Pages of meetings: the list, a meeting's page, preparing and publishing, registration, the record afterwards."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.core.forms import ActionForm, check_action_form, fill_locale_texts, locale_texts, put_error
from engage.core.i18n import LANGUAGE_NAMES
from engage.core.pagination import paginate
from engage.core.permissions import can, require
from engage.core.time import to_local, to_utc
from engage.core.urls import parse_id
from engage.extensions import db
from engage.forum import services as forums
from engage.forum.sectors import SECTORS
from engage.meetings import services
from engage.meetings.calendar import calendar_of
from engage.meetings.forms import AfterMeetingForm, MeetingForm, PublishForm
from engage.meetings.kinds import KINDS
from engage.meetings.models import Meeting, MeetingDocument
from engage.rounds import documents as stored_documents
from engage.rounds import services as rounds
from engage.rounds.forms import DocumentForm
from engage.rounds.permissions import manages_round
from engage.core.cache import cached_page
from engage.meetings.services import editable_meeting, load_meeting

bp = Blueprint("meetings", __name__)
LOCALES = tuple(LANGUAGE_NAMES)


def _me():
    return current_user._get_current_object()






def _filters() -> services.Filters:
    args = request.args
    return services.Filters(
        when=args.get("when") if args.get("when") in ("upcoming", "past", "all") else "upcoming",
        kind=args.get("kind") if args.get("kind") in KINDS else "",
        round_id=parse_id(args.get("round")),
    )


@bp.route("/meetings/")
@cached_page(("rounds", "meetings"))
def index():
    filters = _filters()
    page = paginate(services.public_query(filters))
    published_rounds = [r for r in rounds.visible_rounds(None) if r.is_published]
    return render_template("meetings/index.html", page=page, filters=filters, kinds=KINDS, rounds=published_rounds,
                           can_create=can("meetings.create"))


# --- Preparing ----------------------------------------------------------------------------


def _form(meeting: Meeting | None = None) -> MeetingForm:
    form = MeetingForm()
    managed = [r for r in rounds.visible_rounds(current_user) if manages_round(current_user, r)]
    if meeting is not None and meeting.round is not None and meeting.round not in managed:
        managed.append(meeting.round)
    form.round_id.choices = [("", _("No round"))] + [(str(r.id), r.title) for r in managed]
    form.forum_id.choices = [("", _("Not a forum meeting"))] + [(str(f.id), f.title) for f in forums.all_forums()]
    if meeting is not None and not form.is_submitted():
        for name in ("kind", "default_locale", "venue_name", "venue_address", "accessibility", "online_url",
                     "capacity", "registration_required"):
            form[name].data = getattr(meeting, name)
        form.round_id.data = str(meeting.round_id or "")
        form.forum_id.data = str(meeting.forum_id or "")
        form.starts_at.data = to_local(meeting.starts_at)
        form.ends_at.data = to_local(meeting.ends_at)
        for name in ("title", "description", "agenda"):
            fill_locale_texts(form, name, getattr(meeting, name))
    return form


def _details(form: MeetingForm) -> services.Details:
    return services.Details(
        kind=form.kind.data, default_locale=form.default_locale.data, title=locale_texts(form, "title"),
        description=locale_texts(form, "description"), agenda=locale_texts(form, "agenda"),
        starts_at=to_utc(form.starts_at.data), ends_at=to_utc(form.ends_at.data),
        venue_name=form.venue_name.data or "", venue_address=form.venue_address.data or "",
        accessibility=form.accessibility.data or "", online_url=form.online_url.data or "",
        capacity=form.capacity.data, registration_required=form.registration_required.data,
    )


def _context(form: MeetingForm):
    """The round and forum chosen in the form, checked against what the person may manage."""
    round_ = forum = None
    if parse_id(form.round_id.data) is not None:
        round_ = rounds.get_round(parse_id(form.round_id.data))
        if round_ is None or not can("meetings.create", round_):
            raise services.MeetingError(_("Choose one of the rounds you run."), "round_id")
    if parse_id(form.forum_id.data) is not None:
        forum = forums.get_forum(parse_id(form.forum_id.data))
        if forum is None or not can("meetings.create", forum):
            raise services.MeetingError(_("Choose the forum from the list."), "forum_id")
    if round_ is None and forum is None:
        raise services.MeetingError(_("A meeting belongs to a round, to the forum, or to both."), "round_id")
    return round_, forum


@bp.route("/meetings/new", methods=["GET", "POST"])
def create():
    round_arg, forum_arg = parse_id(request.args.get("round")), parse_id(request.args.get("forum"))
    context = (rounds.get_round(round_arg) if round_arg else None) or (forums.get_forum(forum_arg) if forum_arg else None)
    require("meetings.create", context)
    form = _form()
    if not form.is_submitted():
        form.default_locale.data = str(get_locale())
        form.round_id.data = str(round_arg or "")
        form.forum_id.data = str(forum_arg or "")
        form.kind.data = "forum" if forum_arg and not round_arg else "public"
    if form.validate_on_submit():
        try:
            round_, forum = _context(form)
            meeting = services.create_meeting(_details(form), round_=round_, forum=forum, by=_me())
        except services.MeetingError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The meeting has been saved as a draft. Check it, then publish it."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/form.html", form=form, meeting=None, locales=LOCALES), status


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
def edit(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    form = _form(meeting)
    if form.validate_on_submit():
        try:
            chosen = (form.round_id.data or "", form.forum_id.data or "")
            unchanged = chosen == (str(meeting.round_id or ""), str(meeting.forum_id or ""))
            round_, forum = (meeting.round, meeting.forum) if unchanged else _context(form)
            services.update_meeting(meeting, _details(form))
            services.move_meeting(meeting, round_=round_, forum=forum)
        except services.MeetingError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The meeting has been saved."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/form.html", form=form, meeting=meeting, locales=LOCALES), status


@bp.route("/meetings/<int:meeting_id>/publish", methods=["GET", "POST"])
def publish(meeting_id: int):
    """Publishing asks for confirmation when the meeting gives less notice than required."""
    meeting = editable_meeting(meeting_id)
    if meeting.is_published:
        return redirect(url_for("meetings.show", meeting_id=meeting.id))
    form = PublishForm()
    if form.validate_on_submit():
        try:
            services.publish(meeting, confirm_short_notice=bool(form.confirm_short_notice.data))
        except services.ShortNotice:
            put_error(form, "confirm_short_notice",
                      _("Tick the box to publish with short notice, or move the meeting to a later date."))
        except services.MeetingError as error:
            flash(error.message, "error")
            return redirect(url_for("meetings.edit", meeting_id=meeting.id))
        else:
            flash(_("The meeting is published, marked as short notice.") if meeting.short_notice
                  else _("The meeting is published."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    days, short = services.notice_if_published_now(meeting)
    return render_template("meetings/publish.html", meeting=meeting, form=form, days=days, short=short,
                           required=services.notice_days_required()), (422 if form.is_submitted() else 200)


@bp.route("/meetings/<int:meeting_id>")
@cached_page(("rounds", "meetings"))
def show(meeting_id: int):
    from engage.comments import services as comments

    meeting = load_meeting(meeting_id)
    registered, waitlisted = services.registrations(meeting) if can("meetings.edit", meeting) else ([], [])
    locale = str(get_locale())
    return render_template(
        "meetings/show.html", meeting=meeting, locale=locale, can_edit=can("meetings.edit", meeting),
        registration=services.registration_of(meeting, current_user), can_register=can("meetings.register", meeting),
        registered=registered, waitlisted=waitlisted, required=services.notice_days_required(),
        thread=comments.thread(meeting.round, page=meeting), can_comment=can("comments.create", meeting),
        action_form=ActionForm.lazy(), sectors=SECTORS,
    )


# --- Registration ---------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/register", methods=["POST"])
def register(meeting_id: int):
    meeting = load_meeting(meeting_id)
    require("meetings.register", meeting)
    check_action_form()
    registration = services.register(meeting, _me())
    if registration.status == registration.REGISTERED:
        flash(_("You are registered. The meeting is in your calendar file below."), "success")
    else:
        flash(_("The meeting is full: you are on the waitlist. If a place frees up, it is yours and we will tell you."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#registration")


@bp.route("/meetings/<int:meeting_id>/cancel", methods=["POST"])
def cancel(meeting_id: int):
    meeting = load_meeting(meeting_id)
    if not current_user.is_authenticated:
        abort(401)
    check_action_form()
    if meeting.has_started:
        abort(403, description=_("The meeting has started: registrations can no longer be changed."))
    services.cancel(meeting, _me())
    flash(_("Your registration has been cancelled."), "success")
    return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#registration")


@bp.route("/meetings/<int:meeting_id>/registrations.csv")
def registrations_csv(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    from engage.audit.services import record as audit

    audit("export.personal_data", meeting, target_type="meeting", details="registrations.csv")
    return Response(services.registrations_csv(meeting), mimetype="text/csv",
                    headers={"Content-Disposition": f'attachment; filename="meeting-{meeting.id}-registrations.csv"'})


# --- After the meeting ---------------------------------------------------------------------------


@bp.route("/meetings/<int:meeting_id>/record", methods=["GET", "POST"])
def record(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    if not meeting.is_published:
        abort(404)
    form = AfterMeetingForm()
    if not form.is_submitted():
        form.attendance_total.data = meeting.attendance_total
        for code, number in (meeting.attendance_by_sector or {}).items():
            form[f"sector_{code}"].data = number
        fill_locale_texts(form, "minutes", meeting.minutes)
    if form.validate_on_submit():
        try:
            if form.attendance_total.data is not None:
                services.record_attendance(meeting, form.attendance_total.data,
                                           {code: form[f"sector_{code}"].data or 0 for code in SECTORS})
            minutes = locale_texts(form, "minutes")
            if any(minutes.values()):
                services.publish_minutes(meeting, minutes)
        except services.MeetingError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The record of the meeting has been saved."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id))
    status = 422 if form.is_submitted() else 200
    return render_template("meetings/record.html", form=form, meeting=meeting, locales=LOCALES, sectors=SECTORS,
                           document_form=DocumentForm(formdata=None)), status


@bp.route("/meetings/<int:meeting_id>/documents", methods=["POST"])
def add_document(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            if form.file.data and getattr(form.file.data, "filename", ""):
                services.add_document_upload(meeting, title=form.title.data.strip(), filename=form.file.data.filename,
                                             data=form.file.data.read())
            else:
                services.add_document_link(meeting, title=form.title.data.strip(), url=form.url.data.strip())
        except services.MeetingError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The document has been added."), "success")
            return redirect(url_for("meetings.show", meeting_id=meeting.id) + "#documents")
    return render_template("meetings/documents.html", meeting=meeting, form=form, action_form=ActionForm.lazy()), \
        (422 if form.is_submitted() else 200)


@bp.route("/meetings/<int:meeting_id>/documents", methods=["GET"])
def documents(meeting_id: int):
    meeting = editable_meeting(meeting_id)
    return render_template("meetings/documents.html", meeting=meeting, form=DocumentForm(formdata=None),
                           action_form=ActionForm.lazy())


def _document(meeting: Meeting, document_id: int) -> MeetingDocument:
    document = db.session.get(MeetingDocument, document_id)
    if document is None or document.meeting_id != meeting.id:
        abort(404)
    return document


@bp.route("/meetings/<int:meeting_id>/documents/<int:document_id>")
def download_document(meeting_id: int, document_id: int):
    meeting = load_meeting(meeting_id)
    return stored_documents.send(_document(meeting, document_id))


@bp.route("/meetings/<int:meeting_id>/documents/<int:document_id>/delete", methods=["POST"])
def delete_document(meeting_id: int, document_id: int):
    meeting = editable_meeting(meeting_id)
    document = _document(meeting, document_id)
    check_action_form()
    services.delete_document(document)
    flash(_("The document has been removed."), "success")
    return redirect(url_for("meetings.documents", meeting_id=meeting.id))


# --- Calendars ----------------------------------------------------------------------------------


def _ics(meetings: list[Meeting], name: str, filename: str) -> Response:
    body = calendar_of(meetings, name=name, locale=str(get_locale()))
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": f'inline; filename="{filename}"'})


@bp.route("/meetings/<int:meeting_id>.ics")
@cached_page(("rounds", "meetings"))
def meeting_ics(meeting_id: int):
    meeting = load_meeting(meeting_id)
    if not meeting.is_published:
        abort(404)
    return _ics([meeting], meeting.title_text, f"meeting-{meeting.id}.ics")


@bp.route("/rounds/<int:round_id>/meetings.ics")
@cached_page(("rounds", "meetings"))
def round_ics(round_id: int):
    from engage.rounds.services import load_round

    round_ = load_round(round_id)
    return _ics(services.meetings_of(round_=round_), round_.title, f"round-{round_.id}-meetings.ics")
