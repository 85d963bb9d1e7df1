"""Endorsements of any target (proposal, commitment, action plan), kept with their withdrawals."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.time import UTCDateTime, utcnow
from engage.extensions import db
from engage.organisations.models import Organisation
from engage.core.cache import invalidated_by


class Endorsement(db.Model):
    """One organisation's endorsement of one target. A withdrawn endorsement stays, with its date.

    The target is named by a type registered in :mod:`engage.endorsements.targets` and an id,
    so new kinds of target need no new table.
    """

    __tablename__ = "endorsements"
    __table_args__ = (
        Index("ix_endorsements_target", "target_type", "target_id", "withdrawn_at"),
        # One endorsement in force per organisation and target; withdrawn ones are history.
        Index("uq_endorsements_current", "organisation_id", "target_type", "target_id", unique=True,
              sqlite_where=text("withdrawn_at IS NULL"), postgresql_where=text("withdrawn_at IS NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    target_type: Mapped[str] = mapped_column(String(30))
    target_id: Mapped[int] = mapped_column(Integer)
    statement: Mapped[str] = mapped_column(String(500), default="")
    # The person who signs for the organisation, as the plan lists them ("person, organisation").
    signed_by: Mapped[str] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    withdrawn_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    organisation: Mapped[Organisation] = relationship(lazy="joined")

    @property
    def is_current(self) -> bool:
        return self.withdrawn_at is None


@invalidated_by(Endorsement)
def _endorsement_tags(endorsement: Endorsement):
    yield "organisations"
    if endorsement.target_type == "proposal":
        yield f"proposal:{endorsement.target_id}"
    else:
        yield "plans"
