"""Endorsing a target on an organisation's behalf, and withdrawing the endorsement."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.forms import check_action_form, put_error
from engage.core.permissions import can, is_signed_in, require
from engage.endorsements import services, targets
from engage.endorsements.forms import EndorsementForm
from engage.endorsements.models import Endorsement
from engage.extensions import db
from engage.organisations.services import represented_by

bp = Blueprint("endorsements", __name__)


def _target_or_404(reference: str):
    found = targets.parse(reference)
    if found is None:
        abort(404)
    return found


@bp.route("/endorsements/new", methods=["GET", "POST"])
def create():
    reference = request.values.get("target", "")
    target, obj = _target_or_404(reference)
    if not is_signed_in(current_user):
        abort(401)
    organisations = [o for o in represented_by(current_user) if can("endorsements.create", o)]
    if not organisations:
        abort(403, description=_("Only representatives of a verified organisation can endorse."))
    form = EndorsementForm()
    form.organisation_id.choices = [(o.id, o.name) for o in organisations]
    if not form.is_submitted():
        form.signed_by.data = current_user.display_name
    if form.validate_on_submit():
        organisation = next((o for o in organisations if o.id == form.organisation_id.data), None)
        if organisation is None:
            put_error(form, "organisation_id", _("Choose one of the organisations you represent."))
        else:
            require("endorsements.create", organisation)
            try:
                services.endorse(organisation, target, obj, current_user._get_current_object(),
                                 signed_by=form.signed_by.data, statement=form.statement.data or "")
            except services.EndorsementError as error:
                put_error(form, "organisation_id", error.message)
            else:
                flash(_("%(organisation)s now endorses this.", organisation=organisation.name), "success")
                return redirect(target.url(obj) + "#endorsements")
    status = 422 if form.is_submitted() else 200
    return render_template("endorsements/form.html", form=form, reference=reference, title=target.title(obj) or "",
                           url=target.url(obj)), status


@bp.route("/endorsements/<int:endorsement_id>/withdraw", methods=["POST"])
def withdraw(endorsement_id: int):
    endorsement = db.session.get(Endorsement, endorsement_id)
    if endorsement is None:
        abort(404)
    target, obj = _target_or_404(f"{endorsement.target_type}:{endorsement.target_id}")
    require("endorsements.withdraw", endorsement)
    check_action_form()
    services.withdraw(endorsement, current_user._get_current_object())
    flash(_("The endorsement of %(organisation)s has been withdrawn.", organisation=endorsement.organisation.name), "success")
    if request.form.get("back") == "organisation":
        return redirect(url_for("organisations.show", organisation_id=endorsement.organisation_id))
    return redirect(target.url(obj) + "#endorsements")
