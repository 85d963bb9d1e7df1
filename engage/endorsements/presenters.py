"""What other pages show of endorsements: a target's panel, and endorsements described for lists."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from flask_login import current_user

from engage.core.permissions import can
from engage.endorsements import services, targets
from engage.endorsements.models import Endorsement
from engage.organisations.services import represented_by


@dataclass
class Described:
    """An endorsement with its target's title and page, for lists."""

    endorsement: Endorsement
    title: str
    url: str
    kind: str


def described(endorsements: list[Endorsement]) -> list[Described]:
    wanted: dict[str, list[int]] = {}
    for endorsement in endorsements:
        wanted.setdefault(endorsement.target_type, []).append(endorsement.target_id)
    loaded = {kind: targets.get(kind).load_all(ids) for kind, ids in wanted.items() if targets.get(kind)}
    items = []
    for endorsement in endorsements:
        target = targets.get(endorsement.target_type)
        obj = loaded.get(endorsement.target_type, {}).get(endorsement.target_id) if target else None
        if obj is None or not target.is_public(obj):
            continue
        title = target.title(obj)
        items.append(Described(endorsement, title if title is not None else _("Hidden by moderation"), target.url(obj),
                               endorsement.target_type))
    return items


def panel(target_type: str, obj) -> dict:
    """What a target's page shows: the endorsements in force, and who here could endorse or withdraw."""
    current = services.current_of(target_type, obj.id)
    mine = [o for o in represented_by(current_user) if can("endorsements.create", o)]
    endorsed_ids = {e.organisation_id for e in current}
    return {
        "reference": f"{target_type}:{obj.id}",
        "endorsements": current,
        "can_endorse": bool([o for o in mine if o.id not in endorsed_ids]) and targets.get(target_type).accepts_endorsements(obj),
    }
