"""Pages of the multi-stakeholder forum."""
from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.auth.services import find_by_email
from engage.core.forms import ActionForm, check_action_form, fill_locale_texts, locale_texts, put_error
from engage.core.i18n import LANGUAGE_NAMES
from engage.core.permissions import can, require
from engage.core.time import now, site_timezone
from engage.core.urls import parse_id
from engage.extensions import db
from engage.forum import services
from engage.forum.forms import DecisionForm, ForumForm, MemberForm
from engage.forum.models import ForumDecision, ForumMember
from engage.organisations.models import Organisation
from engage.core.cache import cached_page

bp = Blueprint("forum", __name__, url_prefix="/forum")
LOCALES = tuple(LANGUAGE_NAMES)


def _me():
    return current_user._get_current_object()


def load_forum(forum_id: int):
    forum = services.get_forum(forum_id)
    if forum is None:
        abort(404)
    return forum


def today():
    return now().astimezone(site_timezone()).date()


@bp.route("/")
@cached_page(("meetings",))
def index():
    forums = services.all_forums()
    if len(forums) == 1:
        return redirect(url_for("forum.show", forum_id=forums[0].id))
    return render_template("forum/index.html", forums=forums, can_create=can("forum.manage"))


def _texts(form) -> services.ForumTexts:
    return services.ForumTexts(name=locale_texts(form, "name"), mandate=locale_texts(form, "mandate"),
                               terms=locale_texts(form, "terms"), how_to_join=locale_texts(form, "how_to_join"))


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("forum.manage")
    form = ForumForm()
    if not form.is_submitted():
        form.default_locale.data = str(get_locale())
    if form.validate_on_submit():
        try:
            forum = services.create_forum(_texts(form), default_locale=form.default_locale.data,
                                          terms_url=form.terms_url.data or "", by=_me())
        except services.ForumError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The forum has been created. Add its members next."), "success")
            return redirect(url_for("forum.members", forum_id=forum.id))
    status = 422 if form.is_submitted() else 200
    return render_template("forum/form.html", form=form, forum=None, locales=LOCALES), status


@bp.route("/<int:forum_id>")
@cached_page(("meetings", "organisations"))
def show(forum_id: int):
    from engage.meetings import services as meetings

    forum = load_forum(forum_id)
    day = today()
    members = services.current_members(forum, day)
    upcoming, past = meetings.split_by_time(meetings.meetings_of(forum=forum))
    return render_template(
        "forum/show.html", forum=forum, locale=str(get_locale()), groups=services.grouped_by_sector(members),
        balance=services.balance(members), former=services.former_members(forum, day),
        upcoming=upcoming, past=past, can_manage=can("forum.manage", forum),
    )


@bp.route("/<int:forum_id>/edit", methods=["GET", "POST"])
def edit(forum_id: int):
    forum = load_forum(forum_id)
    require("forum.manage", forum)
    form = ForumForm()
    if not form.is_submitted():
        form.default_locale.data = forum.default_locale
        form.terms_url.data = forum.terms_url
        for name in ("name", "mandate", "terms", "how_to_join"):
            fill_locale_texts(form, name, getattr(forum, name))
    if form.validate_on_submit():
        try:
            services.update_forum(forum, _texts(form), default_locale=form.default_locale.data,
                                  terms_url=form.terms_url.data or "")
        except services.ForumError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The forum has been saved."), "success")
            return redirect(url_for("forum.show", forum_id=forum.id))
    status = 422 if form.is_submitted() else 200
    return render_template("forum/form.html", form=form, forum=forum, locales=LOCALES), status


# --- Members ---------------------------------------------------------------------------


@bp.route("/<int:forum_id>/members")
@cached_page(("meetings", "organisations"))
def members(forum_id: int):
    forum = load_forum(forum_id)
    require("forum.manage", forum)
    return render_template("forum/members.html", forum=forum, members=forum.members, today=today(),
                           decision_form=_decision_form(forum, formdata=None), action_form=ActionForm.lazy())


def _member_form(obj=None) -> MemberForm:
    form = MemberForm()
    from engage.organisations.services import verified_choices

    form.organisation_id.choices = [("", _("None: write the name below"))] + verified_choices(str(get_locale()))
    if obj is not None and not form.is_submitted():
        for name in ("name", "organisation_name", "sector", "role", "term_start", "term_end"):
            form[name].data = getattr(obj, name)
        form.organisation_id.data = str(obj.organisation_id or "")
        if obj.user_id:
            from engage.auth.models import User

            user = db.session.get(User, obj.user_id)
            form.account_email.data = user.email if user else ""
    return form


def _save_member(form: MemberForm, forum, member: ForumMember | None):
    organisation_id = parse_id(form.organisation_id.data)
    if organisation_id is not None:
        organisation = db.session.get(Organisation, organisation_id)
        if organisation is None or not organisation.is_verified:
            raise services.ForumError(_("Choose a verified organisation from the list."), "organisation_id")
    elif not (form.organisation_name.data or "").strip():
        raise services.ForumError(_("Choose a registered organisation or write the organisation’s name."), "organisation_name")
    user_id = None
    if (form.account_email.data or "").strip():
        user = find_by_email(form.account_email.data.strip())
        if user is None:
            raise services.ForumError(_("No account uses this email address. Leave it empty if the member has none."), "account_email")
        user_id = user.id
    if organisation_id is not None and not (form.organisation_name.data or "").strip():
        # Keep the name too: it is shown if the organisation later goes back to verification.
        form.organisation_name.data = db.session.get(Organisation, organisation_id).name_uk
    details = form.details(organisation_id, user_id)
    if member is None:
        return services.add_member(forum, details)
    services.update_member(member, details)
    return member


@bp.route("/<int:forum_id>/members/new", methods=["GET", "POST"])
def add_member(forum_id: int):
    forum = load_forum(forum_id)
    require("forum.manage", forum)
    form = _member_form()
    if not form.is_submitted():
        form.term_start.data = today()
    if form.validate_on_submit():
        try:
            member = _save_member(form, forum, None)
        except services.ForumError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("%(name)s has been added to the forum.", name=member.name), "success")
            return redirect(url_for("forum.members", forum_id=forum.id))
    status = 422 if form.is_submitted() else 200
    return render_template("forum/member_form.html", form=form, forum=forum, member=None), status


def _load_member(member_id: int) -> ForumMember:
    member = db.session.get(ForumMember, member_id)
    if member is None:
        abort(404)
    require("forum.manage", member.forum)
    return member


@bp.route("/members/<int:member_id>/edit", methods=["GET", "POST"])
def edit_member(member_id: int):
    member = _load_member(member_id)
    form = _member_form(member)
    if form.validate_on_submit():
        try:
            _save_member(form, member.forum, member)
        except services.ForumError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The member has been saved."), "success")
            return redirect(url_for("forum.members", forum_id=member.forum_id))
    status = 422 if form.is_submitted() else 200
    return render_template("forum/member_form.html", form=form, forum=member.forum, member=member), status


@bp.route("/members/<int:member_id>/delete", methods=["POST"])
def delete_member(member_id: int):
    member = _load_member(member_id)
    check_action_form()
    forum_id, name = member.forum_id, member.name
    services.remove_member(member)
    flash(_("%(name)s has been removed from the forum. To keep the record of a past member, set the end of the term instead.",
            name=name), "success")
    return redirect(url_for("forum.members", forum_id=forum_id))


# --- Decisions ------------------------------------------------------------------------


def _decision_form(forum, formdata=...) -> DecisionForm:
    from engage.meetings import services as meetings

    form = DecisionForm() if formdata is ... else DecisionForm(formdata=None)
    # Only meetings the person may see: a draft meeting of a round run by others is not listed.
    form.meeting_id.choices = [("", _("Not taken at a recorded meeting"))] + [
        (str(m.id), f"{m.starts_at.astimezone(site_timezone()):%Y-%m-%d} · {m.title_text}")
        for m in meetings.meetings_of(forum=forum, include_drafts=True) if can("meetings.view", m)]
    return form


@bp.route("/<int:forum_id>/decisions", methods=["POST"])
def add_decision(forum_id: int):
    forum = load_forum(forum_id)
    require("forum.manage", forum)
    form = _decision_form(forum)
    if form.validate_on_submit():
        meeting_id = parse_id(form.meeting_id.data)
        try:
            if form.meeting_id.data and str(meeting_id) not in {value for value, _label in form.meeting_id.choices}:
                raise services.ForumError(_("Choose one of the forum’s meetings."), "meeting_id")
            services.add_decision(forum, decided_on=form.decided_on.data, text=form.text.data, meeting_id=meeting_id)
        except services.ForumError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("The decision has been added to the register."), "success")
            return redirect(url_for("forum.members", forum_id=forum.id) + "#decisions")
    return render_template("forum/members.html", forum=forum, members=forum.members, today=today(),
                           decision_form=form, action_form=ActionForm.lazy()), 422


@bp.route("/decisions/<int:decision_id>/delete", methods=["POST"])
def delete_decision(decision_id: int):
    decision = db.session.get(ForumDecision, decision_id)
    if decision is None:
        abort(404)
    require("forum.manage", decision.forum)
    check_action_form()
    forum_id = decision.forum_id
    services.remove_decision(decision)
    flash(_("The decision has been removed from the register."), "success")
    return redirect(url_for("forum.members", forum_id=forum_id) + "#decisions")


@bp.route("/<int:forum_id>/meetings.ics")
@cached_page(("meetings",))
def calendar(forum_id: int):
    from engage.meetings import services as meetings
    from engage.meetings.calendar import calendar_of

    forum = load_forum(forum_id)
    locale = str(get_locale())
    body = calendar_of(meetings.meetings_of(forum=forum), name=forum.text("name", locale), locale=locale)
    return Response(body, mimetype="text/calendar", headers={"Content-Disposition": f'inline; filename="forum-{forum.id}.ics"'})
