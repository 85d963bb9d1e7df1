"""People and the roles they hold."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.models import TimestampMixin
from engage.core.permissions import Role
from engage.core.time import UTCDateTime
from engage.extensions import db
from sqlalchemy import inspect as inspect_row
from engage.core.cache import invalidated_by


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"
    # The administrators' list of accounts, newest first, a page at a time among half a million.
    __table_args__ = (Index("ix_users_created_at_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True, index=True)
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    locale: Mapped[str] = mapped_column(String(8), default="uk")
    bio: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(default=True)
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    privacy_accepted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Part of the session identifier: changing it signs the person out everywhere.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)

    # Loaded when asked (the signed-in person's permissions), not with every author shown in a list.
    roles: Mapped[list["UserRole"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="select",
        foreign_keys="UserRole.user_id",
    )

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"

    # Flask-Login
    @property
    def is_active(self) -> bool:  # type: ignore[override]
        return self.active

    def get_id(self) -> str:
        return f"{self.id}:{self.session_token}"

    @property
    def is_confirmed(self) -> bool:
        return self.email_confirmed_at is not None

    @property
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    @property
    def all_roles(self) -> list[Role]:
        """Resident first, then the granted roles in a stable order."""
        names = self.role_names
        return [Role.RESIDENT] + [r for r in Role.grantable() if r.value in names]


class UserRole(db.Model):
    __tablename__ = "user_roles"
    __table_args__ = (UniqueConstraint("user_id", "role", name="uq_user_roles_user_id_role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    granted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="roles", foreign_keys=[user_id])
    granted_by: Mapped[User | None] = relationship(foreign_keys=[granted_by_id])


@invalidated_by(User)
def _user_tags(user: User):
    # Names are shown on every page; sign-ins and settings are not.
    state = inspect_row(user)
    if state.deleted or state.attrs.display_name.history.deleted:
        yield "site"
