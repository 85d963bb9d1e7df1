"""Endorsements a person signed, or withdrew, on an organisation's behalf."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from engage.endorsements.models import Endorsement
from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, detach, register, rows


def _endorsements(user) -> list[dict]:
    return rows(select(Endorsement).where(or_(Endorsement.created_by_id == user.id,
                                              Endorsement.withdrawn_by_id == user.id)).order_by(Endorsement.id),
                ("organisation_id", "target_type", "target_id", "statement", "signed_by", "created_at",
                 "withdrawn_at"))


def _keep_for_the_organisation(erasure: Erasure) -> None:
    """An endorsement is the organisation's: it stays, in force or withdrawn, but no longer names the
    account, nor the person as its signatory when they signed with their own name."""
    user = erasure.user
    if user.display_name:
        db.session.execute(update(Endorsement).where(Endorsement.created_by_id == user.id,
                                                     Endorsement.signed_by == user.display_name)
                           .values(signed_by="").execution_options(synchronize_session="fetch"))
    detach(Endorsement.created_by_id)(erasure)
    detach(Endorsement.withdrawn_by_id)(erasure)


register(PersonalData(
    name="endorsements", description=_l("Endorsements you signed or withdrew on behalf of an organisation."),
    columns=("endorsements.created_by_id", "endorsements.withdrawn_by_id"), export=_endorsements,
    erase=_keep_for_the_organisation,
    count=counter(Endorsement, lambda user: or_(Endorsement.created_by_id == user.id,
                                                Endorsement.withdrawn_by_id == user.id)), order=35,
))
