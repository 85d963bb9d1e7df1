"""Who may prepare, see and register for meetings."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule
from engage.forum.permissions import manages_forum
from engage.rounds.models import Round
from engage.rounds.permissions import manages_round


def manages_meeting(user, meeting) -> bool:
    """Admins; the facilitators of the meeting's round (a round's meeting that is also on the forum stays
    the round's); for a meeting of the forum alone, the forum's managers."""
    if has_role(user, Role.ADMIN):
        return True
    if meeting.round is not None:
        return manages_round(user, meeting.round)
    return meeting.forum_id is not None and manages_forum(user)


@rule("meetings.create")
def _create(user, context) -> bool:
    """``context`` is the round or the forum the meeting will belong to."""
    if isinstance(context, Round):
        return manages_round(user, context)
    return manages_forum(user)


@rule("meetings.edit")
def _edit(user, meeting) -> bool:
    return manages_meeting(user, meeting)


def is_public(meeting) -> bool:
    return meeting.is_published and (meeting.round is None or meeting.round.is_published)


@rule("meetings.view")
def _view(user, meeting) -> bool:
    return is_public(meeting) or manages_meeting(user, meeting)


@rule("meetings.register")
def _register(user, meeting) -> bool:
    return (is_signed_in(user) and meeting.is_published and meeting.registration_required
            and not meeting.has_started and (meeting.round is None or meeting.round.is_published))
