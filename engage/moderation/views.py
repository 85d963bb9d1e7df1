"""Flagging content, the moderation queue, and the record of moderation actions."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engage.core.pagination import paginate, paginate_rows
from engage.core.permissions import can, require
from engage.moderation import services
from engage.moderation.forms import FlagForm, HideForm, NoteForm

bp = Blueprint("moderation", __name__)


def _me():
    return current_user._get_current_object()


def _load(kind: str, target_id: int):
    target = services.get_target(kind, target_id)
    if target is None:
        abort(404)
    from engage.comments.services import is_visible

    if not (is_visible(target) if services.kind_of(target) == "comment" else can("proposals.view", target)):
        abort(404)
    return target


def public_url(kind: str, target) -> str:
    if kind == "proposal":
        return url_for("proposals.show", proposal_id=target.id)
    from engage.comments.services import comment_path

    return comment_path(target)


@bp.route("/flag/<any(proposal, comment):kind>/<int:target_id>", methods=["GET", "POST"])
def flag(kind: str, target_id: int):
    target = _load(kind, target_id)
    require("content.flag", target)
    form = FlagForm()
    if form.validate_on_submit():
        try:
            services.flag(target, _me(), reason=form.reason.data, details=form.details.data or "")
        except services.ModerationError as error:
            form.reason.errors = list(form.reason.errors) + [error.message]
        else:
            flash(_("Thank you. Moderators will look at it."), "success")
            return redirect(public_url(kind, target))
    status = 422 if form.is_submitted() else 200
    return render_template("moderation/flag.html", form=form, kind=kind, target=target,
                           back=public_url(kind, target)), status


@bp.route("/moderation/")
def queue():
    require("moderation.queue")
    page = paginate_rows(services.queue(_me()))
    return render_template("moderation/queue.html", page=page, items=services.queue_items(page.items),
                           can_see_log=can("moderation.log"))


@bp.route("/moderation/<any(proposal, comment):kind>/<int:target_id>")
def item(kind: str, target_id: int):
    target = _load(kind, target_id)
    require("moderation.act", target)
    return _render_item(kind, target)


def _render_item(kind, target, hide_form=None, status=200):
    from engage.extensions import db
    from engage.moderation.models import Flag
    from sqlalchemy import select

    flags = db.session.scalars(
        select(Flag).where(Flag.target_type == kind, Flag.target_id == target.id).order_by(Flag.id.desc())
    ).all()
    history = db.session.scalars(services.log(kind, target.id)).all() if can("moderation.log") else None
    return render_template(
        "moderation/item.html", kind=kind, target=target, flags=flags, history=history,
        hide_form=hide_form or HideForm(formdata=None), note_form=NoteForm(formdata=None),
        public_url=public_url(kind, target), reasons=services.REASONS,
    ), status


@bp.route("/moderation/<any(proposal, comment):kind>/<int:target_id>/<any(hide, restore, dismiss):action>",
          methods=["POST"])
def act(kind: str, target_id: int, action: str):
    target = _load(kind, target_id)
    require("moderation.act", target)
    if action == "hide":
        form = HideForm()
        if not form.validate_on_submit():
            return _render_item(kind, target, hide_form=form, status=422)
        services.hide(target, _me(), form.reason.data)
        flash(_("The content is hidden. The reason is shown in its place."), "success")
    else:
        form = NoteForm()
        if not form.validate_on_submit():
            abort(400)
        if action == "restore":
            services.restore(target, _me(), form.reason.data or "")
            flash(_("The content is visible again."), "success")
        else:
            services.dismiss(target, _me(), form.reason.data or "")
            flash(_("The flags have been dismissed."), "success")
    return redirect(url_for("moderation.item", kind=kind, target_id=target.id))


@bp.route("/moderation/log")
def log():
    require("moderation.log")
    page = paginate(services.log())
    return render_template("moderation/log.html", page=page)
