"""Flags a person raised, and moderation decisions they took."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from engage.moderation.models import Flag, ModerationAction
from engage.privacy.registry import Erasure, PersonalData, counter, records, register, rows


def _flags(user) -> list[dict]:
    return rows(select(Flag).where(Flag.user_id == user.id).order_by(Flag.id),
                ("target_type", "target_id", "reason", "details", "created_at", "resolved_at", "resolution"))


def _keep_flags(erasure: Erasure) -> None:
    """Flags stay, on the anonymised account: one per person and item is what the moderation counts and
    the automatic hiding rely on."""


register(PersonalData(
    name="flags", description=_l("Contributions you flagged for moderators, with your reason."),
    columns=("flags.user_id",), export=_flags, erase=_keep_flags,
    count=counter(Flag, lambda user: Flag.user_id == user.id), order=50,
))

records(ModerationAction, ModerationAction.moderator_id, ("target_type", "target_id", "action", "reason", "created_at"),
        name="moderation_decisions", description=_l("Moderation decisions you took."))
