"""Rounds: those a person created, facilitates, follows or took part in."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, records, register, rows
from engage.rounds.models import Round, RoundFacilitator, RoundFollower, RoundParticipant

records(Round, Round.created_by_id, ("id", "organiser", "created_at"), name="rounds_created",
        description=_l("Consultation rounds you created."))


def _rounds(user) -> list[dict]:
    return [{
        "facilitating": rows(select(RoundFacilitator).where(RoundFacilitator.user_id == user.id)
                             .order_by(RoundFacilitator.id), ("round_id",)),
        "following": rows(select(RoundFollower).where(RoundFollower.user_id == user.id).order_by(RoundFollower.id),
                          ("round_id", "created_at")),
        "contributions_per_round": [
            {"round_id": p.round_id, "contributions": p.contributions} for p in db.session.scalars(
                select(RoundParticipant).where(RoundParticipant.user_id == user.id)
                .order_by(RoundParticipant.round_id))],
    }]


def _erase_rounds(erasure: Erasure) -> None:
    """No longer a facilitator or a follower. The per-round contribution counts stay on the anonymised
    account: they keep the rounds' participant totals exact."""
    uid = erasure.user.id
    db.session.execute(delete(RoundFacilitator).where(RoundFacilitator.user_id == uid))
    db.session.execute(delete(RoundFollower).where(RoundFollower.user_id == uid))


register(PersonalData(
    name="rounds", description=_l("Rounds you facilitate or follow, and how many contributions you made in each."),
    columns=("round_facilitators.user_id", "round_followers.user_id", "round_participants.user_id"),
    export=_rounds, erase=_erase_rounds,
    count=counter(RoundFollower, lambda user: RoundFollower.user_id == user.id), order=80,
))
