"""Proposals a person brought and the proposals they supported."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.core.cache import touch
from engage.core.time import utcnow
from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, register, rows
from engage.proposals.models import Proposal, Support

PROPOSAL_FIELDS = ("id", "round_id", "title", "body", "locale", "topic_id", "district", "state", "withdrawn_at",
                   "support_count", "comment_count", "outcome", "hidden_at", "hidden_reason", "created_at", "updated_at")


def _proposals(user) -> list[dict]:
    return rows(select(Proposal).where(Proposal.author_id == user.id).order_by(Proposal.id), PROPOSAL_FIELDS)


def _erase_proposals(erasure: Erasure) -> None:
    """Proposals stay, by "a former participant"; with the contributions deleted, their text goes and the
    proposal is withdrawn, but it keeps its place: its supports, comments, answer and commitment stay."""
    for proposal in db.session.scalars(select(Proposal).where(Proposal.author_id == erasure.user.id)):
        proposal.author_id = None
        if erasure.delete_contributions:
            proposal.title, proposal.body = "", ""
            if not proposal.is_withdrawn:
                proposal.state, proposal.withdrawn_at = Proposal.WITHDRAWN, utcnow()
        touch(f"proposal:{proposal.id}", f"round:{proposal.round_id}")
    db.session.flush()


register(PersonalData(
    name="proposals", description=_l("The proposals you submitted, with their text, state and outcome."),
    columns=("proposals.author_id",), export=_proposals, erase=_erase_proposals,
    count=counter(Proposal, lambda user: Proposal.author_id == user.id), order=20,
))


def _supports(user) -> list[dict]:
    return rows(select(Support).where(Support.user_id == user.id).order_by(Support.id), ("proposal_id", "created_at"))


def _keep_supports(erasure: Erasure) -> None:
    """Supports stay counted. They stay on the anonymised account (the column cannot be empty, and one
    support per person and proposal is what keeps the counts exact); that account names nobody."""


register(PersonalData(
    name="supports", description=_l("The proposals you supported, and when."),
    columns=("supports.user_id",), export=_supports, erase=_keep_supports,
    count=counter(Support, lambda user: Support.user_id == user.id), order=20,
))
