"""Queries and changes behind the admin pages."""
from __future__ import annotations

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from engage.auth.models import User, UserRole
from engage.core.database import contains_pattern


def search_users(query: str = "", role: str = "", status: str = "") -> Select:
    """Users matching a name/email fragment, a role and a status, newest first."""
    stmt = select(User)
    query = (query or "").strip()
    if query:
        pattern = contains_pattern(query.lower())
        stmt = stmt.where(
            or_(
                func.lower(User.email).like(pattern, escape="\\"),
                func.lower(User.display_name).like(pattern, escape="\\"),
            )
        )
    if role:
        stmt = stmt.where(User.id.in_(select(UserRole.user_id).where(UserRole.role == role)))
    if status == "active":
        stmt = stmt.where(User.active.is_(True))
    elif status == "inactive":
        stmt = stmt.where(User.active.is_(False))
    elif status == "unconfirmed":
        stmt = stmt.where(User.email_confirmed_at.is_(None))
    return stmt.order_by(User.created_at.desc(), User.id.desc()).options(selectinload(User.roles))
