"""The rules and changes of comments. Functions flush; the request commits."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import func, select, update

from engage.auth.models import User
from engage.comments.hosts import HOSTS, host_for, host_of
from engage.comments.models import MAX_DEPTH, Comment, _comment_tags
from engage.core.cache import touch
from engage.core.pagination import paginate
from engage.core.permissions import Role, has_role
from engage.core.signals import comment_replied
from engage.core.time import utcnow
from engage.extensions import db
from engage.proposals.models import Proposal
from engage.rounds import stats
from engage.rounds.models import Round

THREAD_PAGE_SIZE = 20
STANCES = (Comment.FOR, Comment.AGAINST, Comment.NEUTRAL)


class CommentError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Thread:
    """One page of top-level comments, with every reply under them."""

    page: object
    replies: dict[int, list[Comment]] = field(default_factory=dict)

    def replies_to(self, comment: Comment) -> list[Comment]:
        return self.replies.get(comment.id, [])


def get_comment(comment_id: int) -> Comment | None:
    return db.session.get(Comment, comment_id)


def _target_filter(round_: Round | None, proposal: Proposal | None, page=None):
    if page is not None:
        return (getattr(Comment, host_for(page).column) == page.id,)
    if proposal is not None:
        return (Comment.round_id == round_.id, Comment.proposal_id == proposal.id)
    return (Comment.round_id == round_.id, Comment.proposal_id.is_(None),
            *(getattr(Comment, host.column).is_(None) for host in HOSTS))


def thread(round_: Round | None, proposal: Proposal | None = None, page=None) -> Thread:
    """Two indexed queries whatever the thread's size: the page of top-level comments, then their replies.
    ``page`` is a meeting or a commitment (see engage.comments.hosts) for their own discussions."""
    top = (
        select(Comment)
        .where(*_target_filter(round_, proposal, page), Comment.parent_id.is_(None))
        .order_by(Comment.id)
    )
    page = paginate(top, per_page=THREAD_PAGE_SIZE)
    roots = [c.id for c in page.items]
    replies: dict[int, list[Comment]] = defaultdict(list)
    if roots:
        for reply in db.session.scalars(select(Comment).where(Comment.root_id.in_(roots)).order_by(Comment.id)):
            replies[reply.parent_id].append(reply)
    return Thread(page=page, replies=dict(replies))


def target_of(comment: Comment) -> tuple[Round | None, Proposal | None]:
    proposal = db.session.get(Proposal, comment.proposal_id) if comment.proposal_id else None
    return (db.session.get(Round, comment.round_id) if comment.round_id else None), proposal


def page_of(comment: Comment):
    """The meeting or commitment a comment is on, or None for comments in a round."""
    found = host_of(comment)
    return found[1] if found else None


def comment_path(comment: Comment) -> str:
    """The page a comment is on, with its anchor."""
    from flask import url_for

    found = host_of(comment)
    if found is not None:
        page = found[0].url(found[1])
    elif comment.proposal_id:
        page = url_for("proposals.show", proposal_id=comment.proposal_id)
    else:
        page = url_for("rounds.show", round_id=comment.round_id)
    return page + f"#comment-{comment.id}"


def is_visible(comment: Comment) -> bool:
    """Whether the current person may see the page the comment is on."""
    from engage.core.permissions import can

    found = host_of(comment)
    if found is not None:
        return found[1] is not None and found[0].can_view(found[1])
    round_, _ = target_of(comment)
    return round_ is not None and can("rounds.view", round_)


def in_discussion(comment: Comment, round_: Round | None, proposal: Proposal | None, page=None) -> bool:
    """Whether a comment belongs to this discussion: of this meeting or commitment, of this proposal,
    or on the round itself."""
    host = host_for(page) if page is not None else None
    if host is not None:
        return getattr(comment, host.column) == page.id
    return (host_of(comment) is None and round_ is not None
            and (comment.round_id, comment.proposal_id) == (round_.id, proposal.id if proposal else None))


def can_be_answered(comment: Comment) -> bool:
    return not comment.is_deleted and not comment.is_hidden


def _change_comment_count(proposal: Proposal | None, delta: int) -> None:
    if proposal is None:
        return
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id)
        .values(comment_count=Proposal.comment_count + delta).execution_options(synchronize_session=False)
    )
    db.session.refresh(proposal, ["comment_count"])


def add_comment(round_: Round | None, proposal: Proposal | None, author: User, *, body: str, locale: str,
                stance: str | None = None, parent: Comment | None = None, page=None) -> Comment:
    """A comment in a round (on the round or a proposal), or on a meeting's or commitment's page."""
    round_id = round_.id if round_ is not None else None
    host = host_for(page) if page is not None else None
    if parent is not None:
        if not in_discussion(parent, round_, proposal, page):
            raise CommentError(_("You can only reply to a comment in the same discussion."))
        if parent.depth >= MAX_DEPTH:
            raise CommentError(_("Replies go at most three levels deep. Reply to an earlier comment instead."))
        if not can_be_answered(parent):
            raise CommentError(_("This comment can no longer be answered."))
    if host is not None:
        official = host.speaks_officially(author, page)
    else:
        official = has_role(author, Role.FACILITATOR) and author.id in round_.facilitator_ids
    comment = Comment(
        round_id=round_id,
        **({host.column: page.id} if host is not None else {}),
        proposal_id=proposal.id if proposal else None,
        parent_id=parent.id if parent else None,
        root_id=(parent.root_id or parent.id) if parent else None,
        depth=parent.depth + 1 if parent else 0,
        author_id=author.id,
        body=body,
        locale=locale,
        stance=stance if proposal is not None and stance in STANCES else None,
        is_official=official,
    )
    db.session.add(comment)
    db.session.flush()
    _change_comment_count(proposal, +1)
    stats.add(round_id, comments=1, official_comments=1 if official else 0)
    stats.participate(round_id, author.id, +1)
    if parent is not None:
        from engage.core.urls import url_context

        with url_context():  # also outside a request (the demo data)
            path = comment_path(comment)
        comment_replied.send(comment, parent=parent, path=path)
    return comment


def edit_comment(comment: Comment, *, body: str, stance: str | None) -> None:
    if comment.body != body or comment.stance != (stance or None):
        comment.body = body
        if comment.proposal_id is not None:
            comment.stance = stance if stance in STANCES else None
        comment.edited_at = utcnow()
    db.session.flush()


def delete_comment(comment: Comment) -> None:
    """The text goes; a placeholder keeps the replies readable in their place.

    Only the request whose UPDATE finds the comment still there counts it out: two clicks at the same
    moment both load it undeleted, and the counters must go down once.
    """
    if comment.is_deleted:
        return
    deleted = db.session.execute(
        update(Comment).where(Comment.id == comment.id, Comment.deleted_at.is_(None))
        .values(deleted_at=utcnow(), body="", stance=None).execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(comment)
    if not deleted:
        return  # deleted a moment ago by another request
    touch(*_comment_tags(comment))  # the UPDATE bypasses the unit of work that tags cached pages
    _, proposal = target_of(comment)
    _change_comment_count(proposal, -1)
    stats.add(comment.round_id, comments=-1)  # the author still took part: participants stay


def edit_window_minutes() -> int:
    from flask import current_app

    return int(current_app.config["COMMENT_EDIT_MINUTES"])


@stats.contributions
def _commenters():
    return select(Comment.round_id, Comment.author_id.label("user_id"))


@stats.total("comments")
def _comment_total():
    return select(Comment.round_id, func.count()).where(Comment.deleted_at.is_(None)).group_by(Comment.round_id)


@stats.total("official_comments")
def _official_total():
    return select(Comment.round_id, func.count()).where(Comment.is_official.is_(True)).group_by(Comment.round_id)
