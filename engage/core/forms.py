"""Form pieces every feature shares."""
from __future__ import annotations

from flask import abort
from flask_wtf import FlaskForm


class ActionForm(FlaskForm):
    """A button that changes something (publish, delete, follow): only the CSRF token is checked."""


def check_action_form() -> None:
    """Refuse a button press whose form did not come from this site (or has expired)."""
    if not ActionForm().validate_on_submit():
        abort(400)
