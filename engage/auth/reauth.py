"""Recent proof of identity before sensitive changes (granting roles): a sign-in, or the password
(and code) typed again on /account/confirm-identity, within ``REAUTH_MINUTES``."""
from __future__ import annotations

import time

from flask import current_app, session


def confirmed() -> None:
    session["reauth_at"] = time.time()


def recent() -> bool:
    try:
        at = float(session.get("reauth_at", 0))
    except (TypeError, ValueError):
        return False
    return time.time() - at < current_app.config["REAUTH_MINUTES"] * 60
