"""Who may flag content and who may moderate it."""
from __future__ import annotations

from engage.core.permissions import Role, has_role, is_signed_in, rule
from engage.rounds.permissions import manages_round


def is_moderator(user) -> bool:
    return has_role(user, Role.MODERATOR) or has_role(user, Role.ADMIN)


@rule("content.flag")
def _flag(user, target) -> bool:
    # Anyone signed in, except on their own words.
    return is_signed_in(user) and target is not None and target.author_id != user.id and not getattr(target, "is_deleted", False)


@rule("moderation.queue")
def _see_queue(user, obj) -> bool:
    # Facilitators see the queue of the rounds they run.
    return is_moderator(user) or has_role(user, Role.FACILITATOR)


@rule("moderation.act")
def _act(user, target) -> bool:
    """Hide, restore or dismiss flags on ``target`` (a proposal or comment)."""
    if is_moderator(user):
        return True
    from engage.rounds.models import Round
    from engage.extensions import db

    if target is None or target.round_id is None:  # comments on forum meetings: moderators only
        return False
    return manages_round(user, db.session.get(Round, target.round_id))


@rule("moderation.log")
def _see_log(user, obj) -> bool:
    return is_moderator(user)
