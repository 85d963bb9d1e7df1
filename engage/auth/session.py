"""How Flask-Login finds the signed-in person."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from engage.auth.models import User
from engage.extensions import db, login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Sessions hold ``<id>:<session_token>``; a rotated token or a deactivated account ends them."""
    user_id, _, token = session_id.partition(":")
    if not user_id.isdigit() or not token:
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active or user.session_token != token:
        return None
    return user


def init_login(app) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
