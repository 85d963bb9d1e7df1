"""Security headers on every response."""
from __future__ import annotations

from flask import Flask, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
)


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def set_security_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("Referrer-Policy", "strict-origin-when-cross-origin")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if app.config.get("HSTS_ENABLED"):
            headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if "Cache-Control" not in headers and is_private(request):
            headers["Cache-Control"] = "no-store"
        return response


# Pages that are about a person (their account, tokens, notifications) or for staff: never kept by a
# browser or a shared cache, whoever asks.
PRIVATE_BLUEPRINTS = frozenset({"auth", "admin", "audit", "moderation", "notifications"})


def is_private(request) -> bool:
    """Whether a response must not be stored: every page of a signed-in person (it may show their name,
    drafts or staff tools) and every page of the private sections. Public pages for visitors carry
    their own ``Cache-Control`` (engage.core.cache); static files theirs."""
    from flask import session

    if request.endpoint == "static":
        return False
    return request.blueprint in PRIVATE_BLUEPRINTS or session.get("_user_id") is not None


def init_input_guard(app: Flask) -> None:
    """Refuse NUL characters in query strings and forms with a 400.

    Nobody types them, PostgreSQL cannot store them in text, and letting them
    through would turn a crafted request into a server error.
    """
    from flask import abort, request

    @app.before_request
    def reject_nul_characters():
        sources = [request.args]
        if request.method in ("POST", "PUT", "PATCH"):
            sources.append(request.form)
        for source in sources:
            for _, values in source.lists():
                if any("\x00" in value for value in values):
                    abort(400)
