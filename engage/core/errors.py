"""Translated error pages for the errors a person can meet."""
from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import Forbidden, SecurityError

from engage.extensions import db

log = logging.getLogger("engage.errors")

ERRORS = {
    400: (_l("Bad request"), _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to see this page or do this action.")),
    404: (_l("Page not found"), _l("We could not find this page. It may have been moved or removed.")),
    405: (_l("Not allowed"), _l("This address does not accept this kind of request.")),
    413: (_l("Too large"), _l("What you sent is larger than we accept.")),
    429: (_l("Too many attempts"), _l("You have tried this too many times. Please wait a few minutes and try again.")),
    500: (_l("Something went wrong"), _l("An error occurred on our side. It has been logged; please try again later.")),
}


def _render(code: int, detail=None):
    title, message = ERRORS.get(code, ERRORS[500])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def init_error_handlers(app: Flask) -> None:
    for code in (400, 404, 405, 413, 429):
        app.register_error_handler(code, lambda exc, code=code: _render(code))

    @app.errorhandler(403)
    def forbidden(exc):
        # abort(403, description=...) carries a reason worth showing (e.g. the phase in force).
        detail = exc.description if exc.description != Forbidden.description else None
        return _render(403, detail)

    @app.errorhandler(401)
    def unauthorised(exc):
        return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))

    @app.errorhandler(SecurityError)
    def untrusted_host(exc):
        # A Host (or X-Forwarded-Host) outside TRUSTED_HOSTS: no page of the site is built for it (no links
        # can be made for an unknown host), only a short answer.
        return str(ERRORS[400][0]) + "\n", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return _render(400, _l("The form had expired or was sent from another site. Please reload the page and try again."))

    @app.errorhandler(OverflowError)
    def number_out_of_range(exc):
        # An id in the address too large for the database (SQLite refuses it before looking): nothing is there.
        db.session.rollback()
        return _render(404)

    @app.errorhandler(500)
    def internal_error(exc):
        db.session.rollback()
        return _render(500)
