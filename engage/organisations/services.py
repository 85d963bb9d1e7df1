"""The rules and changes of the organisations register. Functions flush; the request commits."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy import update as sql_update  # this module's update() saves an organisation
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from engage.auth.models import User
from engage.core import outbox
from engage.core.cache import touch
from engage.core.districts import DISTRICTS
from engage.core.database import contains_pattern, insert_ignoring_duplicates
from engage.core.tokens import ExpiredToken, InvalidToken, make_token, read_token
from engage.core.time import utcnow
from engage.extensions import db
from engage.organisations.kinds import AREAS, KINDS, KINDS_WITH_CODE, edrpou_is_valid
from engage.organisations.models import (
    Decision, Invitation, Organisation, OrganisationArea, OrganisationDistrict, Representative,
)

INVITATION_PURPOSE = "organisation-invitation"
INVITATION_MAX_AGE = 14 * 24 * 3600


class OrganisationError(Exception):
    """A change refused by a rule; the message is translated and shown next to ``field``."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Details:
    name_uk: str
    kind: str
    name_en: str = ""
    edrpou: str = ""
    website: str = ""
    email: str = ""
    description: str = ""
    areas: list[str] = field(default_factory=list)
    districts: list[str] = field(default_factory=list)


# --- Loading ---------------------------------------------------------------------


def get_organisation(organisation_id: int) -> Organisation | None:
    return db.session.get(Organisation, organisation_id)


def verified_choices(locale: str) -> list[tuple[str, str]]:
    """``(id, name)`` of every verified organisation, for a select field (names as ``Organisation.name_in``)."""
    rows = db.session.execute(select(Organisation.id, Organisation.name_uk, Organisation.name_en)
                              .where(Organisation.status == Organisation.VERIFIED).order_by(Organisation.name_uk))
    return [(str(i), uk if locale == "uk" or not en else en) for i, uk, en in rows]


def represented_by(user) -> list[Organisation]:
    """The organisations ``user`` represents, verified or not."""
    if not getattr(user, "is_authenticated", False):
        return []
    return list(db.session.scalars(
        select(Organisation).join(Representative).where(Representative.user_id == user.id).order_by(Organisation.name_uk)
    ))


def is_representative(user, organisation: Organisation) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.id in organisation.representative_ids


@dataclass
class DirectoryFilters:
    q: str = ""
    kind: str = ""
    area: str = ""
    district: str = ""


def directory_query(filters: DirectoryFilters, *, status: str = Organisation.VERIFIED) -> Select:
    """Organisations with ``status`` matching the filters, by name."""
    query = select(Organisation).where(Organisation.status == status)
    if filters.q:
        words = contains_pattern(filters.q.lower())
        query = query.where(or_(func.lower(Organisation.name_uk).like(words, escape="\\"),
                                func.lower(Organisation.name_en).like(words, escape="\\"),
                                Organisation.edrpou == filters.q.strip()))
    if filters.kind:
        query = query.where(Organisation.kind == filters.kind)
    if filters.area:
        query = query.where(exists().where(OrganisationArea.organisation_id == Organisation.id,
                                           OrganisationArea.area == filters.area))
    if filters.district:
        query = query.where(exists().where(OrganisationDistrict.organisation_id == Organisation.id,
                                           OrganisationDistrict.district == filters.district))
    return query.options(selectinload(Organisation.areas), selectinload(Organisation.districts)).order_by(
        Organisation.name_uk, Organisation.id)


def pending_count() -> int:
    return db.session.scalar(select(func.count(Organisation.id)).where(Organisation.status == Organisation.PENDING)) or 0


def decisions_of(organisation: Organisation) -> list[Decision]:
    return list(db.session.scalars(
        select(Decision).where(Decision.organisation_id == organisation.id).order_by(Decision.id.desc())
    ))


# --- Registering and editing --------------------------------------------------------


def _check(details: Details, organisation: Organisation | None) -> None:
    if details.kind not in KINDS:
        raise OrganisationError(_("Choose the kind of organisation."), "kind")
    if details.edrpou:
        if not edrpou_is_valid(details.edrpou):
            raise OrganisationError(
                _("This is not a valid EDRPOU code: it has eight digits and the last one is a check digit."), "edrpou")
        taken = db.session.scalar(select(Organisation.id).where(
            Organisation.edrpou == details.edrpou,
            Organisation.id != (organisation.id if organisation is not None else -1)))
        if taken is not None:
            raise OrganisationError(_("An organisation with this EDRPOU code is already registered."), "edrpou")
    elif details.kind in KINDS_WITH_CODE:
        raise OrganisationError(_("Enter the organisation’s EDRPOU code (eight digits)."), "edrpou")
    if any(a not in AREAS for a in details.areas):
        raise OrganisationError(_("Choose areas of work from the list."), "areas")


def _apply(organisation: Organisation, details: Details) -> None:
    organisation.name_uk = details.name_uk
    organisation.name_en = details.name_en
    organisation.kind = details.kind
    organisation.edrpou = details.edrpou or None
    organisation.website = details.website
    organisation.email = details.email
    organisation.description = details.description
    organisation.areas = [OrganisationArea(area=a) for a in dict.fromkeys(details.areas)]
    organisation.districts = [OrganisationDistrict(district=d) for d in dict.fromkeys(details.districts)]


def register(details: Details, by: User) -> Organisation:
    """Register an organisation for verification; ``by`` becomes its first representative."""
    _check(details, None)
    organisation = Organisation(status=Organisation.PENDING, created_by_id=by.id)
    _apply(organisation, details)
    organisation.representatives.append(Representative(user_id=by.id))
    try:
        # The INSERT must happen inside the savepoint, so a duplicate code rolls back only this.
        with db.session.begin_nested():
            db.session.add(organisation)
            db.session.flush()
    except IntegrityError:  # the same code registered a moment ago by someone else
        raise OrganisationError(_("An organisation with this EDRPOU code is already registered."), "edrpou") from None
    return organisation


# Once verified, what the organisation is (name, kind, code) changes only through a new verification.
IDENTITY_FIELDS = ("name_uk", "name_en", "kind", "edrpou")


def update(organisation: Organisation, details: Details) -> bool:
    """Save the details. Changing the identity of a verified or rejected organisation sends it back
    for verification; returns True when that happened."""
    _check(details, organisation)
    identity_changed = any(getattr(organisation, f) != (getattr(details, f) or (None if f == "edrpou" else ""))
                           for f in IDENTITY_FIELDS)
    resubmitted = organisation.status != Organisation.PENDING and (
        identity_changed or organisation.status == Organisation.REJECTED)
    try:
        with db.session.begin_nested():
            _apply(organisation, details)
            if resubmitted:
                organisation.status = Organisation.PENDING
                organisation.decided_at = None
            db.session.flush()
    except IntegrityError:  # the same code saved a moment ago for another organisation
        raise OrganisationError(_("An organisation with this EDRPOU code is already registered."), "edrpou") from None
    return resubmitted


# --- Verification -------------------------------------------------------------------


def decide(organisation: Organisation, decision: str, by: User, reason: str = "") -> Decision:
    """Verify or reject, recording who decided and why; the representatives are told."""
    if decision not in (Organisation.VERIFIED, Organisation.REJECTED):
        raise ValueError(decision)
    if decision == Organisation.REJECTED and not reason.strip():
        raise OrganisationError(_("Give the reason for the rejection: the representatives will read it."), "reason")
    organisation.status = decision
    organisation.decided_at = utcnow()
    record = Decision(organisation_id=organisation.id, decision=decision, reason=reason.strip(), decided_by_id=by.id)
    db.session.add(record)
    db.session.flush()
    from engage.core.signals import organisation_decided

    from engage.audit.services import record as audit

    audit("organisation.decided", organisation, details=f"{decision}: {record.reason}".rstrip(": "), actor=by)
    organisation_decided.send(organisation, decision=decision, reason=record.reason)
    return record


# --- Representatives and invitations --------------------------------------------------------


def invite(organisation: Organisation, email: str, by: User, locale: str) -> Invitation:
    email = email.strip().lower()
    if any(r.user.email.lower() == email for r in organisation.representatives):
        raise OrganisationError(_("This person already represents the organisation."), "email")
    invitation = Invitation(organisation_id=organisation.id, email=email, invited_by_id=by.id)
    db.session.add(invitation)
    db.session.flush()
    token = make_token(INVITATION_PURPOSE, invitation.id)
    outbox.queue_template(email, "organisation_invitation", locale, organisation=organisation, inviter=by,
                          url=url_for("organisations.accept_invitation", token=token, _external=True))
    return invitation


def open_invitations(organisation: Organisation) -> list[Invitation]:
    return list(db.session.scalars(select(Invitation).where(
        Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None),
        Invitation.revoked_at.is_(None)).order_by(Invitation.id)))


def invitation_from_token(token: str) -> Invitation:
    try:
        invitation_id = read_token(INVITATION_PURPOSE, token, INVITATION_MAX_AGE)
    except ExpiredToken:
        raise OrganisationError(_("This invitation has expired. Ask for a new one.")) from None
    except InvalidToken:
        raise OrganisationError(_("This invitation link is not valid.")) from None
    invitation = db.session.get(Invitation, invitation_id) if isinstance(invitation_id, int) else None
    if invitation is None or invitation.revoked_at is not None:
        raise OrganisationError(_("This invitation has been withdrawn."))
    return invitation


def accept(invitation: Invitation, user: User) -> Organisation:
    """The invited person (signed in with the invited email address) becomes a representative."""
    organisation = invitation.organisation
    if invitation.accepted_at is not None:
        if invitation.accepted_by_id == user.id:
            return organisation
        raise OrganisationError(_("This invitation has already been accepted."))
    if user.email.lower() != invitation.email.lower():
        raise OrganisationError(_("This invitation was sent to %(email)s. Sign in with that address to accept it.",
                                  email=invitation.email))
    # Only the first of two simultaneous acceptances goes on; the person is a representative either way.
    taken = db.session.execute(
        sql_update(Invitation).where(Invitation.id == invitation.id, Invitation.accepted_at.is_(None))
        .values(accepted_at=utcnow(), accepted_by_id=user.id).execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(invitation)
    if taken:
        db.session.execute(insert_ignoring_duplicates(Representative).values(
            organisation_id=organisation.id, user_id=user.id, created_at=utcnow()))
        touch("organisations")
        db.session.expire(organisation, ["representatives"])
    return organisation


def revoke(invitation: Invitation) -> None:
    if invitation.is_open:
        invitation.revoked_at = utcnow()
        db.session.flush()


def leave(organisation: Organisation, user: User) -> None:
    """A representative steps down; the last one cannot, so the organisation is never left without one."""
    # Lock the organisation (PostgreSQL) so two representatives leaving at once are taken one after the
    # other; the delete itself also checks that someone else stays (SQLite runs writes one at a time).
    db.session.execute(select(Organisation.id).where(Organisation.id == organisation.id).with_for_update())
    others = select(func.count(Representative.id)).where(Representative.organisation_id == organisation.id,
                                                          Representative.user_id != user.id).scalar_subquery()
    removed = db.session.execute(
        delete(Representative).where(Representative.organisation_id == organisation.id,
                                     Representative.user_id == user.id, others > 0)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.expire(organisation, ["representatives"])
    touch("organisations")
    if not removed:
        raise OrganisationError(_("You are the only representative. Invite someone else before you leave."))


def directory_filters(args) -> DirectoryFilters:
    """The directory's filters from a query string (``request.args``); unknown values are ignored."""
    return DirectoryFilters(
        q=args.get("q", "").strip()[:100],
        kind=args.get("kind", "") if args.get("kind") in KINDS else "",
        area=args.get("area", "") if args.get("area") in AREAS else "",
        district=args.get("district", "") if args.get("district") in DISTRICTS else "",
    )
