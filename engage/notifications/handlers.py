"""Receivers: turn the events other features announce into notifications."""
from __future__ import annotations

from flask import url_for

from engage.core.urls import url_context
from engage.core.signals import comment_replied, content_moderated, proposal_answered
from engage.notifications.kinds import MODERATION, REPLY, RESPONSE
from engage.notifications.services import notify


@proposal_answered.connect
def tell_the_author(response, proposal, updated: bool, **_):
    with url_context():
        notify(proposal.author, RESPONSE, url_for("proposals.show", proposal_id=proposal.id),
               title=proposal.title, outcome=response.outcome, updated=updated)


def _comment_path(comment) -> str:
    if comment.proposal_id:
        return url_for("proposals.show", proposal_id=comment.proposal_id) + f"#comment-{comment.id}"
    return url_for("rounds.show", round_id=comment.round_id) + f"#comment-{comment.id}"


@comment_replied.connect
def tell_the_commenter(reply, parent, **_):
    if parent.author_id is None or parent.author_id == reply.author_id:
        return
    with url_context():
        notify(parent.author, REPLY, _comment_path(reply), name=reply.author.display_name if reply.author else "")


@content_moderated.connect
def tell_the_writer(target, action: str, reason: str, **_):
    from engage.proposals.models import Proposal

    with url_context():
        if isinstance(target, Proposal):
            what, path = "proposal", url_for("proposals.show", proposal_id=target.id)
        else:
            what, path = "comment", _comment_path(target)
        notify(target.author, MODERATION, path, what=what, action=action, reason=reason)
