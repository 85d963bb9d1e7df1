"""People and the roles they hold."""
from __future__ import annotations

import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from engage.core.models import TimestampMixin
from engage.core.permissions import Role
from engage.core.time import UTCDateTime
from engage.extensions import db
from sqlalchemy import inspect as inspect_row
from engage.core.cache import invalidated_by


def new_session_token() -> str:
    return secrets.token_urlsafe(16)


# The start of the address a deleted account is left with (never an address: it has no "@").
DELETED_EMAIL_PREFIX = "deleted-"

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
    # Changed with the password: reset links sent before no longer work.
    session_token: Mapped[str] = mapped_column(String(32), default=new_session_token)
    # Two-factor sign-in (engage.auth.twofactor): the TOTP secret once enrolled, and the last time step
    # a code was accepted for (a code is never accepted twice).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    totp_last_step: Mapped[int | None] = mapped_column(BigInteger)

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

    # The sign-in this request belongs to (engage.auth.sessions), set when the person signs in or is loaded.
    session_key = None  # str | None; a plain attribute, not a column

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"

    @property
    def has_two_factor(self) -> bool:
        return self.totp_enabled_at is not None and bool(self.totp_secret)

    @property
    def is_deleted(self) -> bool:
        """What deleting an account leaves (engage.privacy): deactivated, its address replaced by a marker."""
        return not self.active and self.email.startswith(DELETED_EMAIL_PREFIX) and "@" not in self.email

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


class UserSession(db.Model):
    """One sign-in of a person on one device: ended on the server when they sign out, change their
    password or email, end it from their account page, or it goes idle or too old.

    The browser's signed cookie holds a random key; only its SHA-256 is stored, so a copy of the
    database does not sign anyone in."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    remember: Mapped[bool] = mapped_column(default=False)
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    user_agent: Mapped[str] = mapped_column(String(255), default="")

    user: Mapped[User] = relationship()


class RecoveryCode(db.Model):
    """A single-use code for signing in without the authenticator; only its keyed hash is stored."""

    __tablename__ = "recovery_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    code_hash: Mapped[str] = mapped_column(String(64))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class SignInThrottle(db.Model):
    """Failed sign-ins for one email address (known or not: the answers must not tell them apart).

    Kept in the database, so every worker and every machine counts the same failures."""

    __tablename__ = "sign_in_throttles"

    email_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(default=0)
    last_failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


@invalidated_by(User)
def _user_tags(user: User):
    # Names are shown on every page; sign-ins and settings are not.
    state = inspect_row(user)
    if state.deleted or state.attrs.display_name.history.deleted:
        yield "site"
