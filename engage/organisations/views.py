"""Pages of the organisations register: directory, registration, representatives, verification."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.core.districts import DISTRICTS
from engage.core.forms import ActionForm, check_action_form, put_error
from engage.core.pagination import paginate
from engage.core.permissions import can, is_signed_in, require
from engage.extensions import db
from engage.organisations import services
from engage.organisations.forms import DecisionForm, InviteForm, OrganisationForm
from engage.organisations.kinds import AREAS, KINDS
from engage.organisations.models import Invitation, Organisation
from engage.core.cache import cached_page

bp = Blueprint("organisations", __name__)


def _me():
    return current_user._get_current_object()


def load_organisation(organisation_id: int) -> Organisation:
    organisation = services.get_organisation(organisation_id)
    if organisation is None or not can("organisations.view", organisation):
        abort(404)
    return organisation




@bp.route("/organisations/")
@cached_page(("organisations",))
def index():
    filters = services.directory_filters(request.args)
    page = paginate(services.directory_query(filters))
    return render_template("organisations/index.html", page=page, filters=filters, kinds=KINDS, areas=AREAS,
                           districts=DISTRICTS, mine=services.represented_by(current_user))


@bp.route("/organisations/new", methods=["GET", "POST"])
def register():
    require("organisations.register")
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.register(form.details(), _me())
        except services.OrganisationError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("Thank you. %(name)s is registered and waits for verification by an administrator.",
                    name=organisation.name), "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("organisations/form.html", form=form, organisation=None), status


@bp.route("/organisations/<int:organisation_id>")
@cached_page(("organisations", "plans"))
def show(organisation_id: int):
    from engage.endorsements import services as endorsements
    from engage.endorsements.presenters import described
    from engage.forum.models import ForumMember

    organisation = load_organisation(organisation_id)
    memberships = db.session.scalars(
        db.select(ForumMember).where(ForumMember.organisation_id == organisation.id).order_by(ForumMember.term_start.desc())
    ).all()
    is_rep = services.is_representative(current_user, organisation)
    return render_template(
        "organisations/show.html", organisation=organisation,
        endorsements=described(endorsements.by_organisation(organisation)),
        memberships=memberships, is_representative=is_rep,
        decisions=services.decisions_of(organisation) if (is_rep or can("organisations.verify")) else [],
        action_form=ActionForm.lazy(),
    )


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
def edit(organisation_id: int):
    organisation = load_organisation(organisation_id)
    require("organisations.edit", organisation)
    form = OrganisationForm()
    if not form.is_submitted():
        form.fill_from(organisation)
    if form.validate_on_submit():
        try:
            resubmitted = services.update(organisation, form.details())
        except services.OrganisationError as error:
            put_error(form, error.field, error.message)
        else:
            if resubmitted:
                flash(_("Saved. The changes go to an administrator for verification again."), "success")
            else:
                flash(_("The organisation’s details have been saved."), "success")
            return redirect(url_for("organisations.show", organisation_id=organisation.id))
    status = 422 if form.is_submitted() else 200
    return render_template("organisations/form.html", form=form, organisation=organisation), status


def _render_people(organisation, form, status=200):
    return render_template("organisations/people.html", organisation=organisation, form=form,
                           invitations=services.open_invitations(organisation), action_form=ActionForm.lazy()), status


@bp.route("/organisations/<int:organisation_id>/representatives", methods=["GET", "POST"])
def people(organisation_id: int):
    organisation = load_organisation(organisation_id)
    require("organisations.invite", organisation)
    form = InviteForm()
    if form.validate_on_submit():
        try:
            invitation = services.invite(organisation, form.email.data, _me(), str(get_locale()))
        except services.OrganisationError as error:
            put_error(form, error.field, error.message)
        else:
            flash(_("An invitation has been sent to %(email)s. It works for 14 days.", email=invitation.email), "success")
            return redirect(url_for("organisations.people", organisation_id=organisation.id))
    return _render_people(organisation, form, 422 if form.is_submitted() else 200)


@bp.route("/organisations/invitations/<int:invitation_id>/revoke", methods=["POST"])
def revoke(invitation_id: int):
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None:
        abort(404)
    require("organisations.invite", invitation.organisation)
    check_action_form()
    services.revoke(invitation)
    flash(_("The invitation to %(email)s has been withdrawn.", email=invitation.email), "success")
    return redirect(url_for("organisations.people", organisation_id=invitation.organisation_id))


@bp.route("/organisations/<int:organisation_id>/leave", methods=["POST"])
def leave(organisation_id: int):
    organisation = load_organisation(organisation_id)
    if not services.is_representative(current_user, organisation):
        abort(403)
    check_action_form()
    try:
        services.leave(organisation, _me())
    except services.OrganisationError as error:
        flash(error.message, "error")
        return redirect(url_for("organisations.people", organisation_id=organisation.id))
    flash(_("You no longer represent %(name)s.", name=organisation.name), "success")
    return redirect(url_for("organisations.index"))


@bp.route("/organisations/invitations/<token>", methods=["GET", "POST"])
def accept_invitation(token: str):
    try:
        invitation = services.invitation_from_token(token)
    except services.OrganisationError as error:
        return render_template("organisations/invitation.html", error=error.message, invitation=None), 400
    if not is_signed_in(current_user):
        flash(_("Sign in (or create an account with %(email)s) to accept the invitation.", email=invitation.email), "info")
        return redirect(url_for("auth.login", next=request.path))
    if request.method == "POST":
        check_action_form()
        try:
            organisation = services.accept(invitation, _me())
        except services.OrganisationError as error:
            return render_template("organisations/invitation.html", error=error.message, invitation=invitation,
                                   action_form=ActionForm.lazy()), 400
        flash(_("You now represent %(name)s.", name=organisation.name), "success")
        return redirect(url_for("organisations.show", organisation_id=organisation.id))
    return render_template("organisations/invitation.html", error=None, invitation=invitation, action_form=ActionForm.lazy())


# --- Verification by administrators ------------------------------------------------------


@bp.route("/admin/organisations")
def review():
    require("organisations.verify")
    status = request.args.get("status", Organisation.PENDING)
    if status not in (Organisation.PENDING, Organisation.VERIFIED, Organisation.REJECTED):
        status = Organisation.PENDING
    page = paginate(services.directory_query(services.directory_filters(request.args), status=status))
    return render_template("organisations/review.html", page=page, status=status,
                           pending=services.pending_count(), filters=services.directory_filters(request.args))


@bp.route("/admin/organisations/<int:organisation_id>", methods=["GET", "POST"])
def decide(organisation_id: int):
    require("organisations.verify")
    organisation = services.get_organisation(organisation_id)
    if organisation is None:
        abort(404)
    form = DecisionForm()
    if form.validate_on_submit():
        try:
            services.decide(organisation, form.decision.data, _me(), form.reason.data or "")
        except services.OrganisationError as error:
            put_error(form, error.field, error.message)
        else:
            if form.decision.data == Organisation.VERIFIED:
                flash(_("%(name)s is verified and appears in the public directory.", name=organisation.name), "success")
            else:
                flash(_("%(name)s has been rejected; the representatives have been told why.", name=organisation.name), "success")
            return redirect(url_for("organisations.review"))
    status = 422 if form.is_submitted() else 200
    return render_template("organisations/decide.html", organisation=organisation, form=form,
                           decisions=services.decisions_of(organisation)), status
