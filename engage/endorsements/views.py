"""Endorsing a target on an organisation's behalf, and withdrawing the endorsement."""
from __future__ import annotations

from dataclasses import dataclass

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


@dataclass
class Described:
    """An endorsement with its target's title and page, for lists."""

    endorsement: Endorsement
    title: str
    url: str
    kind: str


def described(endorsements: list[Endorsement]) -> list[Described]:
    wanted: dict[str, list[int]] = {}
    for endorsement in endorsements:
        wanted.setdefault(endorsement.target_type, []).append(endorsement.target_id)
    loaded = {kind: targets.get(kind).load_all(ids) for kind, ids in wanted.items() if targets.get(kind)}
    items = []
    for endorsement in endorsements:
        target = targets.get(endorsement.target_type)
        obj = loaded.get(endorsement.target_type, {}).get(endorsement.target_id) if target else None
        if obj is None or not target.is_public(obj):
            continue
        title = target.title(obj)
        items.append(Described(endorsement, title if title is not None else _("Hidden by moderation"), target.url(obj),
                               endorsement.target_type))
    return items


def panel(target_type: str, obj) -> dict:
    """What a target's page shows: the endorsements in force, and who here could endorse or withdraw."""
    current = services.current_of(target_type, obj.id)
    mine = [o for o in represented_by(current_user) if can("endorsements.create", o)]
    endorsed_ids = {e.organisation_id for e in current}
    return {
        "reference": f"{target_type}:{obj.id}",
        "endorsements": current,
        "can_endorse": bool([o for o in mine if o.id not in endorsed_ids]) and targets.get(target_type).accepts_endorsements(obj),
    }


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
