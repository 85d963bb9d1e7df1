"""The rules and changes of proposals and supports. Functions flush; the request commits."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import BigInteger, cast, delete, func, literal_column, select, update

from engage.auth.models import User
from engage.core.database import insert_ignoring_duplicates
from engage.core.time import utcnow
from engage.extensions import db
from engage.proposals.outcomes import Outcome
from engage.proposals import search
from engage.proposals.models import Proposal, Support
from engage.rounds import stats
from engage.rounds.models import Round
from engage.core.cache import touch
from flask import abort
from flask_login import current_user
from engage.core.permissions import can, get_or_404, is_signed_in
from engage.rounds.phases import Action
from engage.rounds.services import phase_refusal

SORTS = ("newest", "supported", "commented", "random")
STATES = (Proposal.PUBLISHED, Proposal.WITHDRAWN)
OUTCOME_FILTERS = ("none", *(o.value for o in Outcome))


def get_proposal(proposal_id: int) -> Proposal | None:
    return db.session.get(Proposal, proposal_id)


@dataclass
class Filters:
    q: str = ""
    topic_id: int | None = None
    district: str = ""
    state: str = ""
    outcome: str = ""  # an Outcome value, or "none" for proposals not yet answered
    sort: str = "newest"
    seed: int = 0


def proposals_query(round_: Round, filters: Filters):
    """A select of the round's proposals, filtered, searched and sorted (ready to paginate)."""
    query = select(Proposal).where(Proposal.round_id == round_.id)
    if filters.topic_id:
        query = query.where(Proposal.topic_id == filters.topic_id)
    if filters.district:
        query = query.where(Proposal.district == filters.district)
    if filters.state in STATES:
        query = query.where(Proposal.state == filters.state)
    if filters.outcome == "none":
        query = query.where(Proposal.outcome.is_(None))
    elif filters.outcome in OUTCOME_FILTERS:
        query = query.where(Proposal.outcome == filters.outcome)
    condition = search.matches(filters.q)
    if condition is not None:
        # Hidden text is not searchable: a match would reveal what moderation removed.
        query = query.where(condition, Proposal.hidden_at.is_(None))
    if filters.sort == "supported":
        query = query.order_by(Proposal.support_count.desc(), Proposal.id.desc())
    elif filters.sort == "commented":
        query = query.order_by(Proposal.comment_count.desc(), Proposal.id.desc())
    elif filters.sort == "random":
        # A shuffle that stays the same for one visitor (the seed lives in their session), so paging
        # through it neither repeats nor skips proposals. A square mixes consecutive ids far apart
        # (a linear map would keep most of them next to each other); the id breaks ties.
        seed = int(filters.seed) % 1_000_003
        shifted = cast(Proposal.id, BigInteger) + literal_column(str(seed))  # 64 bits: PostgreSQL's integer overflows
        query = query.order_by((shifted * shifted * 7919) % 1_000_003, Proposal.id)
    else:
        query = query.order_by(Proposal.created_at.desc(), Proposal.id.desc())
    return query


def round_counts(round_: Round) -> dict[str, int]:
    """The round's totals, kept up to date as people contribute (engage.rounds.stats)."""
    totals = stats.totals_of(round_.id)
    return {"proposals": totals.proposals, "supports": totals.supports, "comments": totals.comments,
            "participants": totals.participants}


@stats.contributions
def _authors():
    return select(Proposal.round_id, Proposal.author_id.label("user_id"))


@stats.contributions
def _supporters():
    return select(Proposal.round_id, Support.user_id).join(Proposal, Support.proposal_id == Proposal.id)


@stats.total("proposals")
def _proposal_total():
    return select(Proposal.round_id, func.count()).group_by(Proposal.round_id)


@stats.total("supports")
def _support_total():
    return select(Proposal.round_id, func.sum(Proposal.support_count)).group_by(Proposal.round_id)


def latest_in_round(round_: Round, limit: int = 5) -> list[Proposal]:
    return list(db.session.scalars(
        select(Proposal).where(Proposal.round_id == round_.id).order_by(Proposal.created_at.desc(), Proposal.id.desc()).limit(limit)
    ))


def submit_proposal(round_: Round, author: User, *, title: str, body: str, topic_id: int | None,
                    district: str | None, locale: str) -> Proposal:
    proposal = Proposal(
        round_id=round_.id, author_id=author.id, title=title, body=body, topic_id=topic_id,
        district=district or None, locale=locale,
    )
    db.session.add(proposal)
    db.session.flush()
    stats.add(round_.id, proposals=1)
    stats.participate(round_.id, author.id, +1)
    return proposal


def update_proposal(proposal: Proposal, *, title: str, body: str, topic_id: int | None, district: str | None) -> None:
    proposal.title, proposal.body, proposal.topic_id, proposal.district = title, body, topic_id, district or None
    db.session.flush()


def withdraw_proposal(proposal: Proposal) -> None:
    proposal.state = Proposal.WITHDRAWN
    proposal.withdrawn_at = utcnow()
    db.session.flush()


def has_supported(proposal: Proposal, user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return db.session.scalar(
        select(Support.id).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
    ) is not None


def set_support(proposal: Proposal, user: User, support: bool) -> None:
    """Give or take back ``user``'s support; repeating a request changes nothing.

    The row and the counter change in the same transaction, and the counter is
    changed only when a row really was added or removed, so the count stays exact
    when the same person (or many people) click at the same moment.
    """
    if support:
        added = db.session.execute(
            insert_ignoring_duplicates(Support)
            .values(proposal_id=proposal.id, user_id=user.id, created_at=utcnow())
            .returning(Support.id)
        ).scalar_one_or_none()
        if added is None:
            return  # already supported, perhaps by a request a moment ago
        delta = 1
    else:
        removed = db.session.execute(
            delete(Support).where(Support.proposal_id == proposal.id, Support.user_id == user.id)
        ).rowcount
        if not removed:
            return
        delta = -1
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal.id).values(support_count=Proposal.support_count + delta)
        .execution_options(synchronize_session=False)
    )
    touch(f"proposal:{proposal.id}", f"round:{proposal.round_id}")
    stats.add(proposal.round_id, supports=delta)
    stats.participate(proposal.round_id, user.id, delta)
    db.session.refresh(proposal, ["support_count"])


# --- Loading for a page ------------------------------------------------------------------


def load_proposal(proposal_id: int) -> Proposal:
    """The proposal, if it exists and the current person may see it."""
    return get_or_404(get_proposal, proposal_id, "proposals.view")


def require_in_phase(permission: str, obj, round_, action: Action) -> None:
    """Like ``require``, but a refusal caused by the phase says which phase is in force and when."""
    if can(permission, obj):
        return
    if not is_signed_in(current_user):
        abort(401)
    reason = phase_refusal(round_, action)
    abort(403, description=reason) if reason else abort(403)
