"""An optional PostgreSQL read replica for visitors' public pages (``DATABASE_REPLICA_URL``).

When it is set, a GET or HEAD of a public page (a view decorated with ``cached_page``) by someone
not signed in reads from the replica; everything else — every write, every statement flushed by
the ORM, every page of a signed-in person — uses the primary database. A replica lags by a moment,
which a visitor reading a public page does not notice; a person who just wrote something is signed
in and reads the primary.
"""
from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy import Delete, Insert, TextClause, Update, create_engine

EXTENSION_KEY = "engage_replica"


def _is_write(clause) -> bool:
    if isinstance(clause, (Insert, Update, Delete)):
        return True
    if isinstance(clause, TextClause):
        return not clause.text.lstrip().upper().startswith(("SELECT", "WITH"))
    return False


class RoutingSession(FlaskSession):
    """The session of ``db``: reads of visitors' public pages go to the replica, when there is one."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and not self._flushing and not _is_write(clause) and reads_from_replica():
            engine = current_app.extensions.get(EXTENSION_KEY)
            if engine is not None:
                return engine
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def reads_from_replica() -> bool:
    return has_request_context() and bool(g.get("_use_replica"))


def init_replica(app: Flask) -> None:
    url = app.config.get("DATABASE_REPLICA_URL")
    if not url:
        return
    app.extensions[EXTENSION_KEY] = create_engine(url, **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}))

    @app.before_request
    def route_visitors_to_the_replica():
        from engage.core.cache import is_visitor_request

        view = app.view_functions.get(request.endpoint or "")
        if getattr(view, "public_read", False) and is_visitor_request():
            g._use_replica = True
