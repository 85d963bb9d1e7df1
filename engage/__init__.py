"""Engage: co-creation and public consultation for cities and governments."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from engage.config import from_environment
from engage.core.features import init_features
from engage.extensions import babel, csrf, db, limiter, migrate

ROOT = Path(__file__).resolve().parent.parent

# The features, each a package whose manifest (``feature`` in its __init__.py, engage.core.features)
# says what it brings. Lower layers first: models are mapped, permission rules and page sections
# registered, and demo data loaded in this order.
FEATURES = (
    "engage.core",
    "engage.auth",
    "engage.admin",
    "engage.audit",
    "engage.rounds",
    "engage.proposals",
    "engage.comments",
    "engage.feedback",
    "engage.surveys",
    "engage.moderation",
    "engage.organisations",
    "engage.endorsements",
    "engage.forum",
    "engage.meetings",
    "engage.plans",
    "engage.notifications",
    "engage.privacy",
    "engage.backup",
    "engage.api",
    "engage.main",
)


class Engage(Flask):
    """Flask, with every absolute link built on ``BASE_URL``.

    ``url_for(..., _external=True)`` (links in emails, the API, feeds, files) ignores the request's
    ``Host`` and ``X-Forwarded-Host``: a forged header cannot have a reset link mailed to a victim
    pointing at someone else's site."""

    def url_for(self, /, endpoint: str, *, _anchor: str | None = None, _method: str | None = None,
                _scheme: str | None = None, _external: bool | None = None, **values) -> str:
        from flask import has_request_context

        from engage.core.urls import external_url

        if _external and has_request_context():
            return external_url(super().url_for(endpoint, _anchor=_anchor, _method=_method, **values))
        return super().url_for(endpoint, _anchor=_anchor, _method=_method, _scheme=_scheme,
                               _external=_external, **values)


def create_app(config: dict | None = None) -> Flask:
    """Build the application. ``config`` overrides settings read from the environment."""
    app = Engage(
        __name__,
        template_folder=str(ROOT / "templates"),
        instance_path=str(ROOT / "instance"),
    )
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(from_environment(app.instance_path))
    if config:
        app.config.update(config)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(ROOT / "translations")
    _configure_logging(app)

    if app.config["TRUSTED_PROXIES"]:
        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]

    from engage.core.urls import bounded_int_converter

    app.url_map.converters["int"] = bounded_int_converter()
    _init_extensions(app)
    _init_transactions(app)
    init_features(app, FEATURES)

    from engage.core.errors import init_error_handlers
    from engage.core.security import init_input_guard, init_security_headers

    from engage.core.assets import init_assets

    init_error_handlers(app)
    init_assets(app)
    init_security_headers(app)
    init_input_guard(app)
    return app


def _configure_logging(app: Flask) -> None:
    if not logging.getLogger("engage").handlers and not app.testing:
        logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("engage").setLevel(logging.INFO)


def _init_extensions(app: Flask) -> None:
    from engage.auth.session import init_login
    from engage.core import outbox
    from engage.core.cache import init_cache
    from engage.core.replica import init_replica
    from engage.core.i18n import select_locale, select_timezone

    from engage.core import database  # (SQLite connection settings)

    database.init_app(app)
    db.init_app(app)
    outbox.init_app(app)
    init_replica(app)
    init_cache(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"), render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    babel.init_app(app, locale_selector=select_locale, timezone_selector=select_timezone)
    limiter.init_app(app)
    init_login(app)


def _init_transactions(app: Flask) -> None:
    """One transaction per request: services flush, the request commits here, once."""

    @app.after_request
    def commit_session(response):
        if not db.session.registry.has():  # nothing touched the database (a page served from the cache)
            return response
        if response.status_code < 400:
            db.session.commit()
        else:
            db.session.rollback()
        return response
