"""Receivers: turn the events other features announce into notifications."""
from __future__ import annotations

from flask import url_for

from engage.core.urls import url_context
from engage.core.signals import (
    comment_replied, content_moderated, organisation_decided, proposal_answered, registration_promoted,
)
from engage.notifications.kinds import MEETING, MODERATION, ORGANISATION, REPLY, RESPONSE
from engage.notifications.services import notify


@proposal_answered.connect
def tell_the_author(response, proposal, updated: bool, **_):
    with url_context():
        notify(proposal.author, RESPONSE, url_for("proposals.show", proposal_id=proposal.id),
               title=proposal.title, outcome=response.outcome, updated=updated)


@comment_replied.connect
def tell_the_commenter(reply, parent, path: str, **_):
    if parent.author_id is None or parent.author_id == reply.author_id:
        return
    with url_context():
        notify(parent.author, REPLY, path, name=reply.author.display_name if reply.author else "")


@content_moderated.connect
def tell_the_writer(target, action: str, reason: str, path: str, **_):
    from engage.proposals.models import Proposal

    what = "proposal" if isinstance(target, Proposal) else "comment"
    with url_context():
        notify(target.author, MODERATION, path, what=what, action=action, reason=reason)


@registration_promoted.connect
def tell_the_person_moved_up(registration, meeting, **_):
    from engage.core.i18n import localized

    with url_context():
        notify(registration.user, MEETING, url_for("meetings.show", meeting_id=meeting.id),
               title=localized(meeting.title, registration.user.locale, meeting.default_locale))


@organisation_decided.connect
def tell_the_representatives(organisation, decision: str, reason: str, **_):
    with url_context():
        for representative in organisation.representatives:
            notify(representative.user, ORGANISATION, url_for("organisations.show", organisation_id=organisation.id),
                   name=organisation.name_uk, decision=decision, reason=reason)
