"""A round's totals: proposals, supports, comments, official replies, participants, answer times.

Features that add contributions to a round change its totals in the same transaction
(:func:`add` and :func:`participate`), so they are exact and a page reads them in one row.
They also register where their contributions are (:func:`contributions`, :func:`total`), so
:func:`rebuild` can recount everything from the rows after a bulk load or a repair.

A participant is a person with at least one contribution in the round: a proposal, a support or a
comment (deleted comments still count: the person took part). ``round_participants`` keeps how many
each person has, so taking back a support removes the person only when it was their last one.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from flask import g, has_app_context
from sqlalchemy import Select, delete, func, insert, select, union_all, update

from engage.core.summaries import summary
from engage.extensions import db
from engage.rounds.models import Round, RoundParticipant, RoundStats

COUNTERS = ("proposals", "supports", "comments", "official_comments")

_SOURCES: list[Callable[[], Select]] = []
_TOTALS: dict[str, Callable[[], Select]] = {}


@dataclass(frozen=True)
class Totals:
    proposals: int = 0
    supports: int = 0
    comments: int = 0
    official_comments: int = 0
    participants: int = 0
    median_answer_days: float | None = None
    p90_answer_days: float | None = None


def contributions(fn: Callable[[], Select]) -> Callable[[], Select]:
    """Register ``fn() -> select(round_id, user_id)``: one row per contribution of a feature."""
    _SOURCES.append(fn)
    return fn


def total(column: str) -> Callable[[Callable[[], Select]], Callable[[], Select]]:
    """Register ``fn() -> select(round_id, value)`` as the way to recount ``column`` of every round."""
    if column not in COUNTERS:
        raise ValueError(f"round_stats has no counter {column!r}")

    def decorator(fn: Callable[[], Select]) -> Callable[[], Select]:
        _TOTALS[column] = fn
        return fn

    return decorator


def totals_of(round_id: int) -> Totals:
    """The round's totals, read once per request (a page shows them in several places)."""
    known = _read_this_request()
    if round_id not in known:
        row = db.session.get(RoundStats, round_id)
        known[round_id] = Totals() if row is None else Totals(
            row.proposals, row.supports, row.comments, row.official_comments, row.participants,
            row.median_answer_days, row.p90_answer_days)
    return known[round_id]


def _read_this_request() -> dict:
    if not has_app_context():
        return {}
    return g.setdefault("_round_totals", {})


def _forget(round_id: int) -> None:
    _read_this_request().pop(round_id, None)


def totals_of_all(round_ids: list[int]) -> dict[int, Totals]:
    found = {row.round_id: row for row in db.session.scalars(select(RoundStats).where(RoundStats.round_id.in_(round_ids)))}
    return {rid: (Totals(r.proposals, r.supports, r.comments, r.official_comments, r.participants,
                         r.median_answer_days, r.p90_answer_days) if (r := found.get(rid)) else Totals())
            for rid in round_ids}


def _upsert(model, keys: dict, values: dict, increments: dict, assign: dict | None = None):
    """INSERT ... ON CONFLICT DO UPDATE adding ``increments`` to (and setting ``assign`` on) the existing row."""
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    statement = dialect_insert(model).values(**keys, **values)
    table = model.__table__
    changes = {name: table.c[name] + delta for name, delta in increments.items()}
    return statement.on_conflict_do_update(index_elements=list(keys), set_={**changes, **(assign or {})})


def add(round_id: int | None, **deltas: int) -> None:
    """Add ``deltas`` (proposals=1, supports=-1, ...) to the round's totals, in the current transaction."""
    deltas = {k: v for k, v in deltas.items() if v}
    if round_id is None or not deltas:
        return
    unknown = set(deltas) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown round totals {sorted(unknown)}")
    start = {name: max(deltas.get(name, 0), 0) for name in COUNTERS}
    _forget(round_id)
    db.session.execute(_upsert(RoundStats, {"round_id": round_id}, {**start, "participants": 0}, deltas))


def participate(round_id: int | None, user_id: int | None, delta: int) -> None:
    """Count one contribution more (``+1``) or less (``-1``) for ``user_id`` in the round."""
    if round_id is None or user_id is None or not delta:
        return
    if delta > 0:
        now_has = db.session.execute(
            _upsert(RoundParticipant, {"round_id": round_id, "user_id": user_id}, {"contributions": delta},
                    {"contributions": delta}).returning(RoundParticipant.contributions)
        ).scalar_one()
        change = 1 if now_has == delta else 0  # the row is new: one participant more
    else:
        now_has = db.session.execute(
            update(RoundParticipant).where(RoundParticipant.round_id == round_id, RoundParticipant.user_id == user_id)
            .values(contributions=RoundParticipant.contributions + delta).returning(RoundParticipant.contributions)
        ).scalar_one_or_none()
        change = 0
        if now_has is not None and now_has <= 0:  # that was their last contribution
            db.session.execute(delete(RoundParticipant).where(RoundParticipant.round_id == round_id,
                                                              RoundParticipant.user_id == user_id))
            change = -1
    if change:
        _forget(round_id)
        db.session.execute(_upsert(RoundStats, {"round_id": round_id},
                                   {**{name: 0 for name in COUNTERS}, "participants": max(change, 0)},
                                   {"participants": change}))


def set_answer_times(round_id: int, median: float | None, p90: float | None) -> None:
    """Store the median and 90th-percentile days to a final answer (engage.feedback computes them)."""
    values = {"median_answer_days": median, "p90_answer_days": p90}
    _forget(round_id)
    db.session.execute(_upsert(RoundStats, {"round_id": round_id},
                               {**{name: 0 for name in COUNTERS}, "participants": 0, **values}, {}, assign=values))


@summary("round totals")
def rebuild(round_ids: list[int] | None = None) -> None:
    """Recount the totals and participants of ``round_ids`` (default: every round) from the rows."""
    if round_ids is None:
        round_ids = list(db.session.scalars(select(Round.id)))
    if not round_ids:
        return
    kept = {row.round_id: (row.median_answer_days, row.p90_answer_days)
            for row in db.session.scalars(select(RoundStats).where(RoundStats.round_id.in_(round_ids)))}
    db.session.execute(delete(RoundParticipant).where(RoundParticipant.round_id.in_(round_ids)))
    db.session.execute(delete(RoundStats).where(RoundStats.round_id.in_(round_ids)))
    if _SOURCES:
        every = union_all(*(fn() for fn in _SOURCES)).subquery()
        db.session.execute(insert(RoundParticipant).from_select(
            ["round_id", "user_id", "contributions"],
            select(every.c.round_id, every.c.user_id, func.count())
            .where(every.c.round_id.in_(round_ids), every.c.user_id.is_not(None))
            .group_by(every.c.round_id, every.c.user_id),
        ))
    rows = {rid: {"round_id": rid, **{name: 0 for name in COUNTERS}, "participants": 0,
                  "median_answer_days": kept.get(rid, (None, None))[0], "p90_answer_days": kept.get(rid, (None, None))[1]}
            for rid in round_ids}
    for column, fn in _TOTALS.items():
        counted = fn().subquery()
        first, second = counted.c
        for rid, value in db.session.execute(select(first, second).where(first.in_(round_ids))):
            rows[rid][column] = int(value or 0)
    for rid, people in db.session.execute(
        select(RoundParticipant.round_id, func.count()).where(RoundParticipant.round_id.in_(round_ids))
        .group_by(RoundParticipant.round_id)
    ):
        rows[rid]["participants"] = people
    db.session.execute(insert(RoundStats), list(rows.values()))
    db.session.flush()
    for rid in round_ids:
        _forget(rid)
