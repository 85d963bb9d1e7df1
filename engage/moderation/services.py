"""Flags, hiding and restoring, with a record of every moderation action.

Content that reaches ``AUTO_HIDE_FLAGS`` distinct open flags is hidden at once
and waits in the queue; a moderator then confirms (hide) or dismisses the flags
(which brings the content back).
"""
from __future__ import annotations

from types import SimpleNamespace

from flask import current_app
from flask_babel import gettext as _, lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update

from engage.auth.models import User
from engage.comments.models import Comment
from engage.core.database import insert_ignoring_duplicates
from engage.core.permissions import Role, has_role
from engage.core.signals import content_moderated
from engage.core.time import utcnow
from engage.extensions import db
from engage.moderation.models import Flag, ModerationAction
from engage.proposals.models import Proposal
from engage.rounds.models import RoundFacilitator

REASONS = {
    "spam": _l("Spam or advertising"),
    "offensive": _l("Offensive or abusive"),
    "off_topic": _l("Off topic"),
    "personal_data": _l("Reveals personal data"),
    "other": _l("Something else"),
}
MODELS = {"proposal": Proposal, "comment": Comment}
AUTO_HIDE_REASON = _l("flagged by several people; waiting for a moderator")


class ModerationError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def kind_of(target) -> str:
    return "proposal" if isinstance(target, Proposal) else "comment"


def get_target(kind: str, target_id: int):
    model = MODELS.get(kind)
    return db.session.get(model, target_id) if model else None


def _record(target, action: str, reason: str, by: User | None) -> None:
    from engage.audit.services import record as audit

    db.session.add(ModerationAction(
        moderator_id=by.id if by else None, target_type=kind_of(target), target_id=target.id,
        round_id=target.round_id, action=action, reason=reason, created_at=utcnow(),
    ))
    audit("moderation.decided", target, target_type=kind_of(target), details=f"{action}: {reason}".rstrip(": "),
          actor=by, label="")


def has_flagged(target, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(select(Flag.id).where(
        Flag.target_type == kind_of(target), Flag.target_id == target.id, Flag.user_id == user.id
    )) is not None


def speaks_for_the_organisers(target) -> bool:
    """Official replies and what staff wrote are never hidden by flags alone: a few accounts flagging
    together must not silence the organisers' answer. They wait in the queue for a moderator."""
    from engage.core.permissions import Role, has_role

    if getattr(target, "is_official", False):
        return True
    author = target.author
    return author is not None and any(has_role(author, role) for role in Role.grantable())


def flag(target, user: User, *, reason: str, details: str = "") -> None:
    if reason not in REASONS:
        raise ModerationError(_("Choose a reason."))
    if reason == "other" and not details.strip():
        raise ModerationError(_("Tell us what is wrong."))
    if has_flagged(target, user):
        raise ModerationError(_("You have already flagged this."))
    added = db.session.execute(
        insert_ignoring_duplicates(Flag).values(
            target_type=kind_of(target), target_id=target.id, round_id=target.round_id, user_id=user.id,
            reason=reason, details=details.strip(), created_at=utcnow(),
        ).returning(Flag.id)
    ).scalar_one_or_none()
    if added is None:
        raise ModerationError(_("You have already flagged this."))
    model = type(target)
    db.session.execute(
        update(model).where(model.id == target.id).values(flag_count=model.flag_count + 1)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(target, ["flag_count"])
    if (target.flag_count >= current_app.config["AUTO_HIDE_FLAGS"] and not target.is_hidden
            and not speaks_for_the_organisers(target)):
        target.hidden_at = utcnow()
        target.hidden_reason = str(AUTO_HIDE_REASON)
        _record(target, "auto_hide", target.hidden_reason, None)
        db.session.flush()
        content_moderated.send(target, action="hide", reason=target.hidden_reason, path=page_of(target))
    db.session.flush()


def page_of(target) -> str:
    """The address of the page a moderated proposal or comment is on (for the notification)."""
    from flask import url_for

    from engage.comments.services import comment_path
    from engage.core.urls import url_context

    with url_context():
        if isinstance(target, Proposal):
            return url_for("proposals.show", proposal_id=target.id)
        return comment_path(target)


def _resolve_flags(target, resolution: str) -> None:
    db.session.execute(
        update(Flag).where(Flag.target_type == kind_of(target), Flag.target_id == target.id, Flag.resolved_at.is_(None))
        .values(resolved_at=utcnow(), resolution=resolution).execution_options(synchronize_session=False)
    )
    target.flag_count = 0


def hide(target, by: User, reason: str) -> None:
    reason = reason.strip()
    if not reason:
        raise ModerationError(_("Give the reason; it is shown publicly in place of the content."))
    target.hidden_at = utcnow()
    target.hidden_reason = reason
    _resolve_flags(target, "hidden")
    _record(target, "hide", reason, by)
    db.session.flush()
    content_moderated.send(target, action="hide", reason=reason, path=page_of(target))


def restore(target, by: User, reason: str = "") -> None:
    was_hidden = target.is_hidden
    target.hidden_at = None
    target.hidden_reason = None
    _resolve_flags(target, "dismissed")
    _record(target, "restore", reason.strip(), by)
    db.session.flush()
    if was_hidden:
        content_moderated.send(target, action="restore", reason=reason.strip(), path=page_of(target))


def dismiss(target, by: User, reason: str = "") -> None:
    """The flags were unfounded: close them and bring back content hidden only because of them."""
    was_auto_hidden = target.is_hidden and target.hidden_reason == str(AUTO_HIDE_REASON)
    _resolve_flags(target, "dismissed")
    if was_auto_hidden:
        target.hidden_at = None
        target.hidden_reason = None
    _record(target, "dismiss", reason.strip(), by)
    db.session.flush()
    if was_auto_hidden:
        content_moderated.send(target, action="restore", reason=reason.strip(), path=page_of(target))


def _visible_rounds_filter(user):
    """Moderators and admins see every round; facilitators only the rounds they run."""
    if has_role(user, Role.MODERATOR) or has_role(user, Role.ADMIN):
        return None
    return select(RoundFacilitator.round_id).where(RoundFacilitator.user_id == user.id)


def queue(user):
    """Items with open flags, most flagged first, then the longest waiting."""
    flags = func.count(Flag.id).label("flags")
    oldest = func.min(Flag.created_at).label("oldest")
    query = (
        select(Flag.target_type, Flag.target_id, flags, oldest)
        .where(Flag.resolved_at.is_(None))
        .group_by(Flag.target_type, Flag.target_id)
        .order_by(flags.desc(), oldest.asc())
    )
    rounds = _visible_rounds_filter(user)
    if rounds is not None:
        query = query.where(Flag.round_id.in_(rounds))
    return query


def queue_items(rows) -> list[dict]:
    """The page's items with their targets and open flags: one query per kind and one for the reasons."""
    rows = list(rows)
    wanted: dict[str, list[int]] = {}
    for kind, target_id, _count, _oldest in rows:
        wanted.setdefault(kind, []).append(target_id)
    targets = {(kind, t.id): t for kind, ids in wanted.items() if kind in MODELS
               for t in db.session.scalars(select(MODELS[kind]).where(MODELS[kind].id.in_(ids)))}
    reasons: dict[tuple[str, int], list] = {}
    if wanted:
        open_flags = or_(*(and_(Flag.target_type == kind, Flag.target_id.in_(ids)) for kind, ids in wanted.items()))
        for kind, target_id, reason, details in db.session.execute(
            select(Flag.target_type, Flag.target_id, Flag.reason, Flag.details)
            .where(open_flags, Flag.resolved_at.is_(None)).order_by(Flag.id)
        ):
            reasons.setdefault((kind, target_id), []).append(SimpleNamespace(reason=reason, details=details))
    return [{"kind": kind, "target": targets[(kind, target_id)], "flags": count, "oldest": oldest,
             "reasons": reasons.get((kind, target_id), [])}
            for kind, target_id, count, oldest in rows if (kind, target_id) in targets]


def log(kind: str | None = None, target_id: int | None = None):
    query = select(ModerationAction).order_by(ModerationAction.created_at.desc(), ModerationAction.id.desc())
    if kind and target_id:
        query = query.where(ModerationAction.target_type == kind, ModerationAction.target_id == target_id)
    return query
