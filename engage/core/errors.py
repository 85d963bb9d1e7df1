"""Translated error pages for the errors a person can meet."""
from __future__ import annotations

import logging

from flask import Flask, redirect, render_template, request, url_for
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError
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
    503: (_l("Unable to save right now"),
          _l("The site cannot reach its database at the moment. Please try again in a minute.")),
}

# The database answered "busy" (SQLite's write lock still taken after SQLITE_BUSY_TIMEOUT), or could not
# be used at all: unreachable, restarting, read-only, or out of space. Both are a 503 "try again" page.
BUSY, UNAVAILABLE = "busy", "unavailable"
RETRY_AFTER = {BUSY: 5, UNAVAILABLE: 30}
UNAVAILABLE_TEXT = {
    BUSY: (_l("The site is busy"), _l("Many people are saving at this moment and yours could not be saved yet. "
                                      "Please send it again in a few seconds.")),
    UNAVAILABLE: ERRORS[503],
}
_SQLITE_BUSY = ("database is locked", "database table is locked", "database is busy")
_SQLITE_UNAVAILABLE = ("readonly database", "disk is full", "disk i/o error", "unable to open database")
# PostgreSQL: connection exceptions, read-only transaction, insufficient resources (disk full), operator
# intervention (shutdown, restart), system errors.
_PG_UNAVAILABLE = ("08", "25006", "53", "57P", "58")
# Form fields never written back into a page.
_SECRET_FIELDS = ("password", "csrf_token", "code", "token")


API_PREFIX = "/api/"
# Where the API says it better than the pages do.
API_DETAILS = {404: _l("Nothing was found at this address.")}

# Machine-readable names of the statuses, in every problem document of the API.
PROBLEM_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
                 413: "too_large", 429: "too_many_requests", 500: "server_error", 503: "unavailable"}


def database_trouble(exc: BaseException | None) -> str | None:
    """BUSY or UNAVAILABLE when ``exc`` (or what caused it) says the database cannot take the request now,
    None for any other error (a bug, which stays a 500)."""
    from sqlalchemy.exc import DBAPIError

    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, DBAPIError):
            if exc.connection_invalidated:
                return UNAVAILABLE
            original = exc.orig
            message = str(original).lower()
            if any(text in message for text in _SQLITE_BUSY):
                return BUSY
            if any(text in message for text in _SQLITE_UNAVAILABLE):
                return UNAVAILABLE
            state = getattr(original, "sqlstate", None) or ""
            if state.startswith(_PG_UNAVAILABLE):
                return UNAVAILABLE
            if state == "" and exc.__class__.__name__ in ("OperationalError", "InterfaceError") and \
                    "sqlite" not in type(original).__module__:
                return UNAVAILABLE  # psycopg could not connect: no state yet
            return None
        exc = exc.__cause__ or exc.__context__
        seen += 1
    return None


def _kept_fields() -> list[tuple[str, str]]:
    """What the person typed into the form that could not be saved, but for secrets and files."""
    if request.method in ("GET", "HEAD") or not request.form:
        return []
    return [(name, value) for name, value in request.form.items(multi=True)
            if not any(secret in name.lower() for secret in _SECRET_FIELDS) and len(value) <= 100_000]


def render_unavailable(kind: str):
    """The 503 page: the form's input is shown again, ready to be sent once more, with a fresh CSRF token."""
    from engage.core.database import reading_from_now

    try:
        db.session.rollback()
    except Exception:  # noqa: BLE001 - the connection may be gone; the pool replaces it
        pass
    reading_from_now()  # the page itself must not queue for the write lock again
    retry = {"Retry-After": str(RETRY_AFTER[kind])}
    if _in_api():
        return problem(503, UNAVAILABLE_TEXT[kind][1], code="database_busy" if kind == BUSY else "unavailable",
                       headers=retry)
    title, message = UNAVAILABLE_TEXT[kind]
    kept = _kept_fields()
    has_secrets = bool(kept) and any(any(secret in name.lower() for secret in _SECRET_FIELDS if secret != "csrf_token")
                                     for name in request.form)
    # The longer texts (a comment, a proposal) are shown, for the person to see they are still there.
    texts = [value for _name, value in kept if len(value) > 40 or "\n" in value]
    context = dict(code=503, title=title, message=message, kept=kept, has_secrets=has_secrets, texts=texts,
                   action=request.full_path.rstrip("?"))
    try:
        return render_template("errors/unavailable.html", **context), 503, retry
    except Exception:  # noqa: BLE001 - the full page needs the database (who is signed in): a bare one then
        return render_template("errors/unavailable_bare.html", **context), 503, retry


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

    @app.errorhandler(DBAPIError)
    def database_error(exc):
        kind = database_trouble(exc)
        if kind is not None:
            log.warning("database %s during %s %s: %s", kind, request.method, request.path, exc)
            return render_unavailable(kind)
        log.exception("database error during %s %s", request.method, request.path, exc_info=exc)
        return internal_error(exc)

    @app.errorhandler(500)
    def internal_error(exc):
        # Also what a commit that failed after the view (engage._init_transactions) arrives as.
        kind = database_trouble(getattr(exc, "original_exception", None))
        if kind is not None:
            log.warning("database %s during %s %s: %s", kind, request.method, request.path, exc.original_exception)
            return render_unavailable(kind)
        try:
            db.session.rollback()
        except Exception:  # noqa: BLE001
            pass
        return _render(500, exc=exc)
