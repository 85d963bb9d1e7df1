"""Organisations a person registered, represents, was invited to, or decided on."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, or_, select, update

from engage.core.cache import touch
from engage.extensions import db
from engage.organisations.models import Decision, Invitation, Organisation, Representative
from engage.privacy.registry import Erasure, PersonalData, counter, detach, register, rows


def _organisations(user) -> list[dict]:
    return [{
        "representing": rows(select(Representative).where(Representative.user_id == user.id)
                             .order_by(Representative.id), ("organisation_id", "created_at")),
        "registered": rows(select(Organisation).where(Organisation.created_by_id == user.id).order_by(Organisation.id),
                           ("id", "name_uk", "name_en", "status", "created_at")),
        "invitations_sent": rows(select(Invitation).where(Invitation.invited_by_id == user.id).order_by(Invitation.id),
                                 ("organisation_id", "email", "created_at", "accepted_at", "revoked_at")),
        "invitations_accepted": rows(select(Invitation).where(Invitation.accepted_by_id == user.id)
                                     .order_by(Invitation.id), ("organisation_id", "created_at", "accepted_at")),
        "verification_decisions": rows(select(Decision).where(Decision.decided_by_id == user.id).order_by(Decision.id),
                                       ("organisation_id", "decision", "reason", "created_at")),
    }]


def _end_representation(erasure: Erasure) -> None:
    """No longer a representative (even the last one: the organisation stays, and an administrator can
    invite another). Invitations lose the person's address; decisions and registrations stay the site's."""
    user = erasure.user
    db.session.execute(delete(Representative).where(Representative.user_id == user.id))
    db.session.execute(update(Invitation).where(or_(Invitation.accepted_by_id == user.id,
                                                    Invitation.email == user.email))
                       .values(email="", accepted_by_id=None).execution_options(synchronize_session="fetch"))
    for column in (Invitation.invited_by_id, Organisation.created_by_id, Decision.decided_by_id):
        detach(column)(erasure)
    touch("organisations")


register(PersonalData(
    name="organisations", description=_l("Organisations you represent or registered, invitations you sent or accepted, and verification decisions you made."),
    columns=("organisation_representatives.user_id", "organisations.created_by_id", "organisation_invitations.invited_by_id",
             "organisation_invitations.accepted_by_id", "organisation_decisions.decided_by_id"),
    export=_organisations, erase=_end_representation,
    count=counter(Representative, lambda user: Representative.user_id == user.id), order=40,
))
