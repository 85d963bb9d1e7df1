"""The audit log: entries about a person, or of what they did."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from engage.audit.models import AuditEvent
from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, register, rows


def _about(user):
    return or_(AuditEvent.actor_id == user.id,
               (AuditEvent.target_type == "user") & (AuditEvent.target_id == user.id))


def _entries(user) -> list[dict]:
    return rows(select(AuditEvent).where(_about(user)).order_by(AuditEvent.id),
                ("created_at", "action", "actor_id", "target_type", "target_id", "target_label", "details",
                 "ip_address"))


def _anonymise_entries(erasure: Erasure) -> None:
    """The security record stays (what happened, when, to which account id, by which account id) without
    the person's name or address."""
    user = erasure.user
    label = erasure.placeholder
    db.session.execute(update(AuditEvent).where(AuditEvent.actor_id == user.id).values(actor_name=label)
                       .execution_options(synchronize_session=False))
    db.session.execute(update(AuditEvent).where(AuditEvent.target_type == "user", AuditEvent.target_id == user.id)
                       .values(target_label=label).execution_options(synchronize_session=False))
    # Failed sign-ins record the address typed, for this account or before it existed.
    db.session.execute(update(AuditEvent).where(AuditEvent.details == user.email).values(details="")
                       .execution_options(synchronize_session=False))


register(PersonalData(
    name="audit_log", description=_l("Entries of the security log about your account or of what you did (sign-in failures, roles, two-factor sign-in, staff actions)."),
    columns=("audit_events.actor_id",), export=_entries, erase=_anonymise_entries,
    count=counter(AuditEvent, _about), order=99,
))
