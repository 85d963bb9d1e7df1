"""Writing, editing and deleting comments on proposals, rounds, meetings and commitments."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engage.comments import services
from engage.comments.hosts import host_for
from engage.comments.forms import CommentForm
from engage.core.permissions import can, require
from engage.proposals.services import load_proposal, require_in_phase
from engage.core.forms import check_action_form
from engage.rounds.phases import Action
from engage.rounds.services import load_round

bp = Blueprint("comments", __name__)


def _target_url(round_, proposal, anchor="", page=None):
    if page is not None:
        return host_for(page).url(page) + anchor
    url = url_for("proposals.show", proposal_id=proposal.id) if proposal else url_for("rounds.show", round_id=round_.id)
    return url + anchor


def _write(round_, proposal, page=None):
    form = CommentForm()
    if request.method == "GET":
        form.parent_id.data = request.args.get("parent", "")
    parent = None
    if form.parent_id.data:
        # The comment answered is shown on the form: only one of this discussion (whose page the person
        # may see, checked by the caller's loader) that is still on show there.
        parent = services.get_comment(form.parent_comment_id) if form.parent_comment_id else None
        if parent is None or not services.in_discussion(parent, round_, proposal, page) \
                or not services.can_be_answered(parent):
            abort(404)
    # The round's facilitators answer comments on the round in any phase; everyone else when the phase allows.
    if page is not None:
        require("comments.create", page)
    else:
        official_reply = (proposal is None and parent is not None and parent.depth == 0
                          and can("comments.official_reply", round_))
        if not official_reply:
            require_in_phase("comments.create", proposal or round_, round_, Action.COMMENT)
    if form.validate_on_submit():
        try:
            comment = services.add_comment(
                round_, proposal, current_user._get_current_object(), body=form.body.data.strip(),
                locale=str(get_locale()), stance=form.stance.data or None, parent=parent, page=page,
            )
        except services.CommentError as error:
            form.body.errors = list(form.body.errors) + [error.message]
        else:
            flash(_("Your comment is published."), "success")
            return redirect(_target_url(round_, proposal, f"#comment-{comment.id}", page))
    status = 422 if form.is_submitted() else 200
    return render_template("comments/form.html", form=form, round=round_, proposal=proposal, parent=parent,
                           comment=None, page=page, page_host=host_for(page) if page is not None else None), status


@bp.route("/proposals/<int:proposal_id>/comments", methods=["GET", "POST"])
def on_proposal(proposal_id: int):
    proposal = load_proposal(proposal_id)
    return _write(proposal.round, proposal)


@bp.route("/rounds/<int:round_id>/comments", methods=["GET", "POST"])
def on_round(round_id: int):
    return _write(load_round(round_id), None)


@bp.route("/meetings/<int:meeting_id>/comments", methods=["GET", "POST"])
def on_meeting(meeting_id: int):
    from engage.meetings.services import load_meeting

    meeting = load_meeting(meeting_id)
    return _write(meeting.round, None, meeting)


@bp.route("/commitments/<int:commitment_id>/comments", methods=["GET", "POST"])
def on_commitment(commitment_id: int):
    from engage.plans.services import load_commitment

    return _write(None, None, load_commitment(commitment_id))


def _load(comment_id: int):
    comment = services.get_comment(comment_id)
    if comment is None or not services.is_visible(comment):
        abort(404)
    round_, proposal = services.target_of(comment)
    return comment, round_, proposal, services.page_of(comment)


@bp.route("/comments/<int:comment_id>/edit", methods=["GET", "POST"])
def edit(comment_id: int):
    comment, round_, proposal, page = _load(comment_id)
    if not can("comments.edit", comment) and current_user.is_authenticated and comment.author_id == current_user.id:
        abort(403, description=_("Comments can be edited for %(minutes)d minutes after they are published.",
                                 minutes=services.edit_window_minutes()))
    require("comments.edit", comment)
    form = CommentForm(obj=None if request.method == "POST" else comment)
    if form.validate_on_submit():
        services.edit_comment(comment, body=form.body.data.strip(), stance=form.stance.data or None)
        flash(_("Your comment has been saved."), "success")
        return redirect(_target_url(round_, proposal, f"#comment-{comment.id}", page))
    status = 422 if form.is_submitted() else 200
    return render_template("comments/form.html", form=form, round=round_, proposal=proposal, parent=None,
                           comment=comment, page=page, page_host=host_for(page) if page is not None else None), status


@bp.route("/comments/<int:comment_id>/delete", methods=["POST"])
def delete(comment_id: int):
    comment, round_, proposal, page = _load(comment_id)
    # A second click (or a request repeated by the browser) on one's own deleted comment is done already.
    already_done = comment.is_deleted and current_user.is_authenticated and comment.author_id == current_user.id
    if not already_done:
        require("comments.delete", comment)
    check_action_form()
    services.delete_comment(comment)
    flash(_("Your comment has been deleted."), "success")
    return redirect(_target_url(round_, proposal, f"#comment-{comment.id}", page))
