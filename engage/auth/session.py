"""How Flask-Login finds the signed-in person: through a sign-in kept on the server (engage.auth.sessions)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from engage.auth import sessions
from engage.auth.models import User
from engage.extensions import login_manager


@login_manager.user_loader
def load_user(session_id: str) -> User | None:
    """Cookies hold ``<id>:<key>`` of an open sign-in; an ended, idle or too old one signs nobody in."""
    return sessions.load(session_id)


def init_login(app) -> None:
    from datetime import timedelta

    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"
    # A remembered sign-in lives no longer than any other (the server ends it at SESSION_MAX_DAYS).
    app.config.setdefault("REMEMBER_COOKIE_DURATION", timedelta(days=app.config["SESSION_MAX_DAYS"]))
