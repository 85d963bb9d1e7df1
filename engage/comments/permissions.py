"""Who may write, edit and delete comments."""
from __future__ import annotations

from datetime import timedelta

from flask import current_app

from engage.core.permissions import is_signed_in, rule
from engage.core.time import now
from engage.proposals.permissions import phase_allows
from engage.rounds.phases import Action


def comments_open_on(target) -> bool:
    """Comments are open on a published round (or a proposal in it) while the phase allows them, and on
    the pages with their own discussion (engage.comments.hosts: published meetings, published plans' commitments)."""
    from engage.comments.hosts import host_for
    from engage.proposals.models import Proposal

    host = host_for(target)
    if host is not None:
        return host.is_open(target)
    if isinstance(target, Proposal):
        if target.is_withdrawn or target.is_hidden:
            return False
        round_ = target.round
    else:
        round_ = target
    return round_.is_published and phase_allows(round_, Action.COMMENT)


def edit_window() -> timedelta:
    return timedelta(minutes=current_app.config["COMMENT_EDIT_MINUTES"])


@rule("comments.create")
def _create(user, target) -> bool:
    return is_signed_in(user) and comments_open_on(target)


def _on_hidden_proposal(comment) -> bool:
    """Comments are hidden with their proposal (engage.comments: pages, API, files)."""
    if not comment.proposal_id:
        return False
    from engage.extensions import db
    from engage.proposals.models import Proposal

    proposal = db.session.get(Proposal, comment.proposal_id)
    return proposal is not None and proposal.is_hidden


@rule("comments.edit")
def _edit(user, comment) -> bool:
    return (
        is_signed_in(user)
        and comment.author_id == user.id
        and not comment.is_deleted
        and not comment.is_hidden
        and now() < comment.created_at + edit_window()
        and not _on_hidden_proposal(comment)
    )


@rule("comments.delete")
def _delete(user, comment) -> bool:
    return is_signed_in(user) and comment.author_id == user.id and not comment.is_deleted
