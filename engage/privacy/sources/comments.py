"""Comments and replies a person wrote."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.comments.models import Comment
from engage.comments.services import delete_comment
from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, register, rows


def _comments(user) -> list[dict]:
    return rows(select(Comment).where(Comment.author_id == user.id).order_by(Comment.id),
                ("id", "round_id", "proposal_id", "meeting_id", "commitment_id", "parent_id", "body", "locale",
                 "stance", "is_official", "created_at", "edited_at", "deleted_at", "hidden_at", "hidden_reason"))


def _erase_comments(erasure: Erasure) -> None:
    """Comments stay, by "a former participant"; with the contributions deleted, each goes the way an
    author's own delete does: the placeholder keeps its place, so the replies under it stay readable."""
    for comment in db.session.scalars(select(Comment).where(Comment.author_id == erasure.user.id)).all():
        if erasure.delete_contributions:
            delete_comment(comment)
        comment.author_id = None
    db.session.flush()


register(PersonalData(
    name="comments", description=_l("The comments and replies you wrote, on proposals, rounds, meetings and commitments."),
    columns=("comments.author_id",), export=_comments, erase=_erase_comments,
    count=counter(Comment, lambda user: Comment.author_id == user.id), order=10,
))
