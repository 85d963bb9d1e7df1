"""Endorsing, withdrawing, and reading endorsements. Functions flush; the request commits."""
from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from engage.auth.models import User
from engage.core.time import utcnow
from engage.endorsements.models import Endorsement
from engage.endorsements.targets import TargetType
from engage.extensions import db
from engage.organisations.models import Organisation


class EndorsementError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def in_force():
    """Conditions of an endorsement that counts: not withdrawn, by an organisation that is verified now
    (one rejected or sent back for verification stops counting until it is verified again)."""
    return (Endorsement.withdrawn_at.is_(None),
            Endorsement.organisation_id.in_(select(Organisation.id).where(Organisation.status == Organisation.VERIFIED)))


def current_of(target_type: str, target_id: int) -> list[Endorsement]:
    """Endorsements in force of a target, oldest first (withdrawn ones are history, not shown)."""
    return list(db.session.scalars(
        select(Endorsement).where(Endorsement.target_type == target_type, Endorsement.target_id == target_id, *in_force())
        .order_by(Endorsement.created_at, Endorsement.id)
    ))


def count_of(target_type: str, target_id: int) -> int:
    return db.session.scalar(select(func.count(Endorsement.id)).where(
        Endorsement.target_type == target_type, Endorsement.target_id == target_id, *in_force())) or 0


def count_of_all(target_type: str, target_ids: list[int]) -> int:
    """Endorsements in force of several targets of one type, in one query."""
    if not target_ids:
        return 0
    return db.session.scalar(select(func.count(Endorsement.id)).where(
        Endorsement.target_type == target_type, Endorsement.target_id.in_(target_ids), *in_force())) or 0


def by_organisation(organisation: Organisation, *, include_withdrawn: bool = False) -> list[Endorsement]:
    query = select(Endorsement).where(Endorsement.organisation_id == organisation.id)
    if not include_withdrawn:
        query = query.where(Endorsement.withdrawn_at.is_(None))
    return list(db.session.scalars(query.order_by(Endorsement.created_at.desc(), Endorsement.id.desc())))


def current_for(organisation: Organisation, target_type: str, target_id: int) -> Endorsement | None:
    return db.session.scalar(select(Endorsement).where(
        Endorsement.organisation_id == organisation.id, Endorsement.target_type == target_type,
        Endorsement.target_id == target_id, Endorsement.withdrawn_at.is_(None)))


def endorse(organisation: Organisation, target: TargetType, obj, by: User, *, signed_by: str,
            statement: str = "") -> Endorsement:
    """Endorse ``obj`` on behalf of ``organisation``. The caller has checked ``endorsements.create``."""
    if not target.accepts_endorsements(obj):
        raise EndorsementError(_("This can no longer be endorsed."))
    if current_for(organisation, target.name, obj.id) is not None:
        raise EndorsementError(_("%(organisation)s already endorses this.", organisation=organisation.name))
    endorsement = Endorsement(organisation_id=organisation.id, target_type=target.name, target_id=obj.id,
                              signed_by=signed_by.strip(), statement=statement.strip(), created_by_id=by.id,
                              created_at=utcnow())
    try:
        # The INSERT must happen inside the savepoint, so a duplicate rolls back only this.
        with db.session.begin_nested():
            db.session.add(endorsement)
            db.session.flush()
    except IntegrityError:  # another representative endorsed at the same moment
        raise EndorsementError(_("%(organisation)s already endorses this.", organisation=organisation.name)) from None
    return endorsement


def withdraw(endorsement: Endorsement, by: User) -> None:
    if endorsement.withdrawn_at is None:
        endorsement.withdrawn_at = utcnow()
        endorsement.withdrawn_by_id = by.id
        db.session.flush()
