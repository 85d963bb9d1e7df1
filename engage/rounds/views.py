"""Pages of consultation rounds: the index, a round's page, and the facilitators' pages."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.core.permissions import can, require
from engage.core.time import to_local, to_utc
from engage.rounds import documents as stored_documents
from engage.rounds import services
from engage.core.forms import ActionForm, check_action_form
from engage.rounds.forms import LOCALES, DocumentForm, FacilitatorForm, PhaseForm, RoundForm
from engage.rounds.models import Round
from engage.core.cache import cached_page
from engage.core.sections import merged, sections_for
from engage.rounds.services import editable_round, load_round

bp = Blueprint("rounds", __name__, url_prefix="/rounds")






def _me():
    return current_user._get_current_object()


@bp.route("/")
@cached_page(("rounds",))
def index():
    groups = services.group_by_status(services.visible_rounds(current_user))
    return render_template("rounds/index.html", groups=groups, can_create=can("rounds.create"))


@bp.route("/new", methods=["GET", "POST"])
def create():
    require("rounds.create")
    form = RoundForm()
    if not form.is_submitted():
        form.default_locale.data = str(get_locale())
    if form.validate_on_submit():
        try:
            round_ = services.create_round(
                by=_me(), default_locale=form.default_locale.data, organiser=form.organiser.data.strip(),
                district=form.district.data, texts=form.texts(), topics=form.topic_names(),
            )
        except services.RoundError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("The round has been created as a draft. Add its phases and documents, then publish it."), "success")
            return redirect(url_for("rounds.manage", round_id=round_.id))
    return render_template("rounds/form.html", form=form, locales=LOCALES, round=None)


@bp.route("/<int:round_id>")
@cached_page(lambda round_id: ("rounds", "meetings", f"round:{round_id}"))
def show(round_id: int):
    round_ = load_round(round_id)
    locale = str(get_locale())
    text = round_.text_in(locale)
    can_edit = can("rounds.edit", round_)
    sections = sections_for("round", round_, can_edit=can_edit)  # what other features add to the page
    return render_template(
        "rounds/show.html",
        round=round_,
        text=text,
        shown_in_other_language=text.locale != locale,
        can_edit=can_edit,
        can_follow=can("rounds.follow", round_),
        following=services.is_following(round_, current_user),
        action_form=ActionForm.lazy(),
        sections=sections,
        **merged(sections),
    )


@bp.route("/<int:round_id>/edit", methods=["GET", "POST"])
def edit(round_id: int):
    round_ = editable_round(round_id)
    form = RoundForm()
    if not form.is_submitted():
        form.fill_from(round_)
    if form.validate_on_submit():
        try:
            services.update_round(
                round_, default_locale=form.default_locale.data, organiser=form.organiser.data.strip(),
                district=form.district.data, texts=form.texts(), topics=form.topic_names(),
            )
        except services.RoundError as error:
            form.form_errors.append(error.message)
        else:
            flash(_("The round has been saved."), "success")
            return redirect(url_for("rounds.manage", round_id=round_.id))
    return render_template("rounds/form.html", form=form, locales=LOCALES, round=round_)


def _render_manage(round_: Round, *, phase_form=None, document_form=None, facilitator_form=None, status=200):
    sections = sections_for("round_manage", round_)  # what other features manage from here (surveys)
    return render_template(
        "rounds/manage.html",
        round=round_,
        sections=sections,
        **merged(sections),
        phase_form=phase_form or PhaseForm(formdata=None),
        document_form=document_form or DocumentForm(formdata=None),
        facilitator_form=facilitator_form or FacilitatorForm(formdata=None),
        action_form=ActionForm.lazy(),
    ), status


@bp.route("/<int:round_id>/manage")
def manage(round_id: int):
    round_ = editable_round(round_id)
    return _render_manage(round_)


@bp.route("/<int:round_id>/publish", methods=["POST"])
def publish(round_id: int):
    round_ = editable_round(round_id)
    check_action_form()
    try:
        services.publish(round_)
    except services.RoundError as error:
        flash(error.message, "error")
    else:
        flash(_("The round is published: everyone can see it now."), "success")
    return redirect(url_for("rounds.manage", round_id=round_.id))


@bp.route("/<int:round_id>/unpublish", methods=["POST"])
def unpublish(round_id: int):
    round_ = editable_round(round_id)
    check_action_form()
    services.unpublish(round_)
    flash(_("The round is a draft again: only its facilitators and administrators can see it."), "success")
    return redirect(url_for("rounds.manage", round_id=round_.id))


# --- Phases ------------------------------------------------------------------


def _phase_values(form: PhaseForm) -> dict:
    return dict(type=form.phase_type, starts_at=to_utc(form.starts_at.data), ends_at=to_utc(form.ends_at.data),
                note=(form.note.data or "").strip())


@bp.route("/<int:round_id>/phases", methods=["POST"])
def add_phase(round_id: int):
    round_ = editable_round(round_id)
    form = PhaseForm()
    if form.validate_on_submit():
        try:
            services.add_phase(round_, **_phase_values(form))
        except services.RoundError as error:
            getattr(form, error.field or "starts_at").errors.append(error.message)
        else:
            flash(_("The phase has been added."), "success")
            return redirect(url_for("rounds.manage", round_id=round_.id) + "#phases")
    return _render_manage(round_, phase_form=form, status=422)


def _load_phase(round_: Round, phase_id: int):
    for phase in round_.phases:
        if phase.id == phase_id:
            return phase
    abort(404)


@bp.route("/<int:round_id>/phases/<int:phase_id>/edit", methods=["GET", "POST"])
def edit_phase(round_id: int, phase_id: int):
    round_ = editable_round(round_id)
    phase = _load_phase(round_, phase_id)
    form = PhaseForm()
    if not form.is_submitted():
        form.type.data = phase.type
        form.starts_at.data = to_local(phase.starts_at)
        form.ends_at.data = to_local(phase.ends_at)
        form.note.data = phase.note
    if form.validate_on_submit():
        try:
            services.update_phase(phase, **_phase_values(form))
        except services.RoundError as error:
            getattr(form, error.field or "starts_at").errors.append(error.message)
        else:
            flash(_("The phase has been saved."), "success")
            return redirect(url_for("rounds.manage", round_id=round_.id) + "#phases")
    return render_template("rounds/phase_form.html", round=round_, phase=phase, form=form)


@bp.route("/<int:round_id>/phases/<int:phase_id>/delete", methods=["POST"])
def delete_phase(round_id: int, phase_id: int):
    round_ = editable_round(round_id)
    phase = _load_phase(round_, phase_id)
    check_action_form()
    try:
        services.delete_phase(phase)
    except services.RoundError as error:
        flash(error.message, "error")
    else:
        flash(_("The phase has been removed."), "success")
    return redirect(url_for("rounds.manage", round_id=round_.id) + "#phases")


# --- Documents ---------------------------------------------------------------


@bp.route("/<int:round_id>/documents", methods=["POST"])
def add_document(round_id: int):
    round_ = editable_round(round_id)
    form = DocumentForm()
    if form.validate_on_submit():
        try:
            if form.file.data and form.file.data.filename:
                services.add_document_upload(round_, title=form.title.data.strip(), filename=form.file.data.filename,
                                             data=form.file.data.read())
            else:
                services.add_document_link(round_, title=form.title.data.strip(), url=form.url.data.strip())
        except services.RoundError as error:
            form.file.errors = list(form.file.errors) + [error.message]
        else:
            flash(_("The document has been added."), "success")
            return redirect(url_for("rounds.manage", round_id=round_.id) + "#documents")
    return _render_manage(round_, document_form=form, status=422)


def _load_document(round_: Round, document_id: int):
    for document in round_.documents:
        if document.id == document_id:
            return document
    abort(404)


@bp.route("/<int:round_id>/documents/<int:document_id>")
def download_document(round_id: int, document_id: int):
    round_ = load_round(round_id)
    return stored_documents.send(_load_document(round_, document_id))


@bp.route("/<int:round_id>/documents/<int:document_id>/delete", methods=["POST"])
def delete_document(round_id: int, document_id: int):
    round_ = editable_round(round_id)
    document = _load_document(round_, document_id)
    check_action_form()
    services.delete_document(document)
    flash(_("The document has been removed."), "success")
    return redirect(url_for("rounds.manage", round_id=round_.id) + "#documents")


# --- Facilitators and followers ------------------------------------------------


@bp.route("/<int:round_id>/facilitators", methods=["POST"])
def add_facilitator(round_id: int):
    round_ = editable_round(round_id)
    form = FacilitatorForm()
    if form.validate_on_submit():
        try:
            person = services.assign_facilitator(round_, form.email.data)
        except services.RoundError as error:
            form.email.errors = list(form.email.errors) + [error.message]
        else:
            flash(_("%(name)s now facilitates this round.", name=person.display_name), "success")
            return redirect(url_for("rounds.manage", round_id=round_.id) + "#facilitators")
    return _render_manage(round_, facilitator_form=form, status=422)


@bp.route("/<int:round_id>/facilitators/<int:user_id>/remove", methods=["POST"])
def remove_facilitator(round_id: int, user_id: int):
    round_ = editable_round(round_id)
    check_action_form()
    services.remove_facilitator(round_, user_id)
    flash(_("The facilitator has been removed from this round."), "success")
    return redirect(url_for("rounds.manage", round_id=round_.id) + "#facilitators")


@bp.route("/<int:round_id>/follow", methods=["POST"])
def follow(round_id: int):
    round_ = load_round(round_id)
    require("rounds.follow", round_)
    check_action_form()
    following = not services.is_following(round_, current_user)
    services.set_following(round_, _me(), following)
    flash(_("You follow this round.") if following else _("You no longer follow this round."), "success")
    return redirect(url_for("rounds.show", round_id=round_.id))
