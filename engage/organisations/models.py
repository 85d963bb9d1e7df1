"""Organisations, the people who represent them, invitations, and verification decisions."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.auth.models import User
from engage.core.models import TimestampMixin
from engage.core.time import UTCDateTime, utcnow
from engage.extensions import db
from engage.core.cache import invalidated_by


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"

    PENDING, VERIFIED, REJECTED = "pending", "verified", "rejected"

    id: Mapped[int] = mapped_column(primary_key=True)
    name_uk: Mapped[str] = mapped_column(String(300))
    name_en: Mapped[str] = mapped_column(String(300), default="")
    kind: Mapped[str] = mapped_column(String(30), index=True)
    # EDRPOU: eight digits with a check digit; none for kinds outside Ukraine's state register.
    edrpou: Mapped[str | None] = mapped_column(String(8), unique=True)
    website: Mapped[str] = mapped_column(String(300), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    description: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default=PENDING, index=True)
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    # Loaded when asked for (the directory asks for areas in its query); endorsement lists never need them.
    areas: Mapped[list["OrganisationArea"]] = relationship(cascade="all, delete-orphan")
    districts: Mapped[list["OrganisationDistrict"]] = relationship(cascade="all, delete-orphan")
    representatives: Mapped[list["Representative"]] = relationship(
        back_populates="organisation", cascade="all, delete-orphan", order_by="Representative.id"
    )

    def __repr__(self) -> str:
        return f"<Organisation {self.id}>"

    def name_in(self, locale: str) -> str:
        return self.name_uk if locale == "uk" or not self.name_en else self.name_en

    @property
    def name(self) -> str:
        from flask_babel import get_locale

        return self.name_in(str(get_locale()))

    @property
    def is_verified(self) -> bool:
        return self.status == self.VERIFIED

    @property
    def area_codes(self) -> list[str]:
        return [a.area for a in self.areas]

    @property
    def district_codes(self) -> list[str]:
        return [d.district for d in self.districts]

    @property
    def representative_ids(self) -> set[int]:
        return {r.user_id for r in self.representatives}


class OrganisationArea(db.Model):
    __tablename__ = "organisation_areas"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    area: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class OrganisationDistrict(db.Model):
    __tablename__ = "organisation_districts"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    district: Mapped[str] = mapped_column(String(40), primary_key=True, index=True)


class Representative(db.Model):
    """A person who acts for the organisation (endorses on its behalf, invites others)."""

    __tablename__ = "organisation_representatives"
    __table_args__ = (UniqueConstraint("organisation_id", "user_id", name="uq_organisation_representatives_org_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    organisation: Mapped[Organisation] = relationship(back_populates="representatives")
    user: Mapped[User] = relationship(lazy="joined")


class Invitation(db.Model):
    """An emailed invitation to become a representative; the link carries a signed token naming it."""

    __tablename__ = "organisation_invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    organisation: Mapped[Organisation] = relationship()

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None


class Decision(db.Model):
    """An administrator's verification decision, kept as history (the organisation holds the one in force)."""

    __tablename__ = "organisation_decisions"
    __table_args__ = (Index("ix_organisation_decisions_org_id_id", "organisation_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(String(1000), default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    decided_by: Mapped[User | None] = relationship(lazy="joined")


@invalidated_by(Organisation)
@invalidated_by(OrganisationArea)
@invalidated_by(OrganisationDistrict)
@invalidated_by(Representative)
@invalidated_by(Decision)
def _organisation_tags(row):
    yield "organisations"
