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


API_PREFIX = "/api/"
# Where the API says it better than the pages do.
API_DETAILS = {404: _l("Nothing was found at this address.")}

# Machine-readable names of the statuses, in every problem document of the API.
PROBLEM_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large", 429: "too_many_requests", 500: "server_error"}


def problem(status: int, detail=None, *, code: str | None = None, headers=None):
    """An API error as RFC 9457 problem details (``application/problem+json``): type, title, status,
    detail, and ``code``, a stable name for programs."""
    import json

    from flask import current_app

    title, message = ERRORS.get(status, ERRORS[500])
    body = {"type": "about:blank", "title": str(title), "status": status,
            "detail": str(detail or API_DETAILS.get(status) or message),
            "code": code or PROBLEM_CODES.get(status, "error")}
    response = current_app.response_class(json.dumps(body, ensure_ascii=False), status=status,
                                          mimetype="application/problem+json")
    response.headers["Access-Control-Allow-Origin"] = "*"
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def _in_api() -> bool:
    return request.path.startswith(API_PREFIX)


def _render(code: int, detail=None, exc=None):
    if _in_api():
        headers = {}
        if code == 405 and getattr(exc, "valid_methods", None):
            headers["Allow"] = ", ".join(sorted(exc.valid_methods))
        return problem(code, detail, headers=headers)
    title, message = ERRORS.get(code, ERRORS[500])
    response = render_template("errors/error.html", code=code, title=title, message=detail or message), code
    if code == 405 and getattr(exc, "valid_methods", None):
        return response[0], code, {"Allow": ", ".join(sorted(exc.valid_methods))}
    return response


def init_error_handlers(app: Flask) -> None:
    for code in (400, 404, 405, 413, 429):
        app.register_error_handler(code, lambda exc, code=code: _render(code, exc=exc))

    @app.errorhandler(403)
    def forbidden(exc):
        # abort(403, description=...) carries a reason worth showing (e.g. the phase in force).
        detail = exc.description if exc.description != Forbidden.description else None
        return _render(403, detail, exc=exc)

    @app.errorhandler(401)
    def unauthorised(exc):
        if _in_api():  # the API is public and read-only: nothing there needs signing in
            return problem(403)
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
        return _render(500, exc=exc)
