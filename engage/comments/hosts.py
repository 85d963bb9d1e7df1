"""Pages with a discussion of their own, outside a round's proposals: meetings and action-plan commitments.

Each is a ``Host``: the comment column that names it, how to load it, its page, who may see it, when
comments are open on it, and who writes there as the organisers (an official reply).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import url_for

from engage.core.permissions import can


@dataclass(frozen=True)
class Host:
    column: str
    model: Callable[[], type]
    endpoint: str
    can_view: Callable[[object], bool]
    is_open: Callable[[object], bool]
    speaks_officially: Callable[[object, object], bool]
    title: Callable[[object], str]

    def url(self, target) -> str:
        return url_for(self.endpoint, **{self.column: target.id})

    def load(self, target_id: int):
        from engage.extensions import db

        return db.session.get(self.model(), target_id)


def _meeting_model():
    from engage.meetings.models import Meeting

    return Meeting


def _meeting_open(meeting) -> bool:
    return meeting.is_published and (meeting.round is None or meeting.round.is_published)


def _meeting_official(user, meeting) -> bool:
    from engage.core.permissions import Role, has_role
    from engage.meetings.permissions import manages_meeting

    return has_role(user, Role.FACILITATOR) and manages_meeting(user, meeting)


def _commitment_model():
    from engage.plans.models import Commitment

    return Commitment


def _commitment_official(user, commitment) -> bool:
    from engage.plans.permissions import manages_plans

    return manages_plans(user)


def _commitment_title(commitment) -> str:
    from flask_babel import get_locale

    return f"{commitment.number}. {commitment.text('title', str(get_locale()))}"


HOSTS: tuple[Host, ...] = (
    Host("meeting_id", _meeting_model, "meetings.show", lambda meeting: can("meetings.view", meeting),
         _meeting_open, _meeting_official, lambda meeting: meeting.title_text),
    Host("commitment_id", _commitment_model, "plans.commitment", lambda commitment: can("plans.view", commitment.plan),
         lambda commitment: commitment.plan.is_published, _commitment_official, _commitment_title),
)


def host_for(target) -> Host | None:
    """The host a page object is, or None for rounds and proposals."""
    return next((h for h in HOSTS if isinstance(target, h.model())), None)


def host_of(comment) -> tuple[Host, object] | None:
    """The host a comment is on and its page object, or None for a comment in a round."""
    for host in HOSTS:
        target_id = getattr(comment, host.column)
        if target_id is not None:
            return host, host.load(target_id)
    return None
