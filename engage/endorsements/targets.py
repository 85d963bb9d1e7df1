"""What can be endorsed. Each feature registers its kind of target here; nothing else changes.

A target type knows how to load an object by id, whether it is public, whether it
still takes endorsements, and its title and page.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class TargetType:
    name: str
    load: Callable[[int], Any]
    is_public: Callable[[Any], bool]
    accepts_endorsements: Callable[[Any], bool]
    # None while the target is hidden by moderation: lists then say so instead of showing its title.
    title: Callable[[Any], str | None]
    url: Callable[[Any], str]
    # Many targets at once, ``{id: object}``, for lists of endorsements (default: one ``load`` each).
    load_many: Callable[[list[int]], dict[int, Any]] | None = None

    def load_all(self, ids: list[int]) -> dict[int, Any]:
        if self.load_many is not None:
            return self.load_many(ids)
        return {i: obj for i in ids if (obj := self.load(i)) is not None}


_TYPES: dict[str, TargetType] = {}


def register(target: TargetType) -> TargetType:
    if target.name in _TYPES:
        raise ValueError(f"endorsement target {target.name!r} registered twice")
    _TYPES[target.name] = target
    return target


def get(name: str) -> TargetType | None:
    return _TYPES.get(name)


def names() -> list[str]:
    return sorted(_TYPES)


def parse(reference: str) -> tuple[TargetType, Any] | None:
    """``"proposal:12"`` → (its type, the public object), or None when it names nothing public."""
    from engage.core.urls import parse_id

    kind, _, ident = (reference or "").partition(":")
    target = _TYPES.get(kind)
    if target is None or parse_id(ident) is None:
        return None
    obj = target.load(parse_id(ident))
    if obj is None or not target.is_public(obj):
        return None
    return target, obj


# --- Proposals ---------------------------------------------------------------------


def _proposal_type() -> TargetType:
    from flask import url_for

    from engage.extensions import db
    from engage.proposals.models import Proposal

    def load(ident: int):
        return db.session.get(Proposal, ident)

    def load_many(ids: list[int]) -> dict[int, Any]:
        from sqlalchemy import select
        from sqlalchemy.orm import selectinload

        found = db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)).options(selectinload(Proposal.round)))
        return {p.id: p for p in found}

    def is_public(proposal) -> bool:
        return proposal.round.is_published

    def accepts(proposal) -> bool:
        return is_public(proposal) and not proposal.is_withdrawn and not proposal.is_hidden

    return TargetType("proposal", load, is_public, accepts, lambda p: None if p.is_hidden else p.title,
                      lambda p: url_for("proposals.show", proposal_id=p.id), load_many)


register(_proposal_type())


# --- Action plans and commitments --------------------------------------------------------------


def _plan_types() -> tuple[TargetType, TargetType]:
    from flask import url_for
    from flask_babel import get_locale

    from engage.extensions import db
    from engage.plans.models import ActionPlan, Commitment

    def plan_title(plan) -> str:
        return plan.text("title", str(get_locale()))

    def commitment_title(commitment) -> str:
        return f"{commitment.number}. {commitment.text('title', str(get_locale()))}"

    plan = TargetType("plan", lambda i: db.session.get(ActionPlan, i), lambda p: p.is_published,
                      lambda p: p.is_published, plan_title, lambda p: url_for("plans.show", plan_id=p.id))
    commitment = TargetType("commitment", lambda i: db.session.get(Commitment, i), lambda c: c.plan.is_published,
                            lambda c: c.plan.is_published, commitment_title,
                            lambda c: url_for("plans.commitment", commitment_id=c.id))
    return plan, commitment


for _target in _plan_types():
    register(_target)
