"""Engage: co-creation and public consultation for cities and governments."""
from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from engage.config import from_environment
from engage.extensions import babel, csrf, db, limiter, migrate

ROOT = Path(__file__).resolve().parent.parent


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
    _register_blueprints(app)
    _register_template_helpers(app)
    _register_cli(app)

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
    # Import models so that Alembic and the mappers see every table.
    import engage.core.health  # noqa: F401  (the row /healthz writes)
    import engage.core.outbox  # noqa: F401
    import engage.audit.models  # noqa: F401
    import engage.auth.models  # noqa: F401
    import engage.comments.models  # noqa: F401
    import engage.endorsements.models  # noqa: F401
    import engage.feedback.models  # noqa: F401
    import engage.forum.models  # noqa: F401
    import engage.meetings.models  # noqa: F401
    import engage.moderation.models  # noqa: F401
    import engage.notifications.models  # noqa: F401
    import engage.organisations.models  # noqa: F401
    import engage.plans.models  # noqa: F401
    import engage.proposals.models  # noqa: F401
    import engage.rounds.models  # noqa: F401
    import engage.surveys.models  # noqa: F401

    # Permission rules register themselves when their module is imported.
    import engage.audit.permissions  # noqa: F401
    import engage.comments.permissions  # noqa: F401
    import engage.endorsements.permissions  # noqa: F401
    import engage.endorsements.targets  # noqa: F401  (proposals can be endorsed)
    import engage.feedback.permissions  # noqa: F401
    import engage.forum.permissions  # noqa: F401
    import engage.meetings.permissions  # noqa: F401
    import engage.moderation.permissions  # noqa: F401

    # Notifications listen to the events other features announce.
    import engage.notifications.handlers  # noqa: F401
    import engage.organisations.permissions  # noqa: F401
    import engage.plans.permissions  # noqa: F401
    import engage.privacy.permissions  # noqa: F401
    import engage.privacy.sources  # noqa: F401  (what each feature keeps about a person)
    import engage.proposals.permissions  # noqa: F401
    import engage.rounds.permissions  # noqa: F401
    import engage.surveys.permissions  # noqa: F401


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


def _register_blueprints(app: Flask) -> None:
    from engage.admin.views import bp as admin_bp
    from engage.audit.views import bp as audit_bp
    from engage.api.views import bp as api_bp
    from engage.api.views import downloads as downloads_bp
    from engage.auth.views import bp as auth_bp
    from engage.comments.views import bp as comments_bp
    from engage.endorsements.views import bp as endorsements_bp
    from engage.feedback.views import bp as feedback_bp
    from engage.forum.views import bp as forum_bp
    from engage.main.views import bp as main_bp
    from engage.meetings.views import bp as meetings_bp
    from engage.moderation.views import bp as moderation_bp
    from engage.notifications.views import bp as notifications_bp
    from engage.organisations.views import bp as organisations_bp
    from engage.plans.views import bp as plans_bp
    from engage.privacy.views import bp as privacy_bp
    from engage.proposals.views import bp as proposals_bp
    from engage.rounds.views import bp as rounds_bp
    from engage.surveys.views import bp as surveys_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(rounds_bp)
    app.register_blueprint(proposals_bp)
    app.register_blueprint(comments_bp)
    app.register_blueprint(feedback_bp)
    app.register_blueprint(surveys_bp)
    app.register_blueprint(meetings_bp)
    app.register_blueprint(forum_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(endorsements_bp)
    app.register_blueprint(plans_bp)
    app.register_blueprint(privacy_bp)
    app.register_blueprint(moderation_bp)
    app.register_blueprint(notifications_bp)
    app.register_blueprint(api_bp)
    app.register_blueprint(downloads_bp)


def _register_template_helpers(app: Flask) -> None:
    from flask_babel import get_locale

    from engage.core.districts import district_label
    from engage.feedback.outcomes import outcome_label
    from engage.forum.sectors import role_label as member_role_label, sector_label
    from engage.meetings.kinds import meeting_kind_label
    from engage.organisations.kinds import area_label, kind_label as organisation_kind_label
    from engage.plans.kinds import milestone_status_label, milestone_status_names, ogp_value_label, plan_status_label
    from engage.core.i18n import language_choices, language_name
    from engage.rounds.phases import phase_label
    from engage.core.markdown import render_markdown
    from engage.core.pagination import page_url
    from engage.core.permissions import can, role_label
    from engage.core.time import format_datetime

    app.jinja_env.filters["datetime"] = format_datetime
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.globals.update(
        can=can, role_label=role_label, page_url=page_url, language_choices=language_choices,
        language_name=language_name, district_label=district_label, phase_label=phase_label,
        outcome_label=outcome_label, sector_label=sector_label, member_role_label=member_role_label,
        meeting_kind_label=meeting_kind_label, area_label=area_label, organisation_kind_label=organisation_kind_label,
        milestone_status_label=milestone_status_label, milestone_status_names=milestone_status_names,
        ogp_value_label=ogp_value_label, plan_status_label=plan_status_label,
    )

    @app.context_processor
    def inject_locale():
        return {"current_locale": str(get_locale())}

    @app.context_processor
    def inject_unread_notifications():
        from flask_login import current_user

        from engage.notifications.services import unread_count

        from sqlalchemy.exc import SQLAlchemyError

        if not getattr(current_user, "is_authenticated", False):
            return {"unread_notifications": 0}
        try:
            return {"unread_notifications": unread_count(current_user)}
        except SQLAlchemyError:  # an error page must still render when the database does not answer
            return {"unread_notifications": 0}


def _register_cli(app: Flask) -> None:
    from engage.audit.cli import audit_cli
    from engage.auth.cli import users_cli
    from engage.backup.cli import backup_cli
    from engage.cli import translate_cli
    from engage.core.exports import exports_cli
    from engage.core.summaries import summaries_cli
    from engage.demo import demo_cli
    from engage.maintenance import maintenance_cli
    from engage.notifications.cli import outbox_cli
    from engage.plans.cli import plans_cli

    app.cli.add_command(users_cli)
    app.cli.add_command(audit_cli)
    app.cli.add_command(translate_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(plans_cli)
    app.cli.add_command(exports_cli)
    app.cli.add_command(summaries_cli)
    app.cli.add_command(backup_cli)
    app.cli.add_command(maintenance_cli)
