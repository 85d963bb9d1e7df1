"""Pagination of SQLAlchemy selects, with page links that keep the other query arguments.

A page of a list of one model is read in two steps: the ids of the page, from the index that
matches the list's filter and order (deep pages skip index entries, not rows), then those rows
by primary key. So page 500 of a round with 20,000 proposals costs about what page 1 costs, and
PostgreSQL never joins every author of the round before applying the LIMIT.
"""
from __future__ import annotations

from flask import abort, current_app, request
from sqlalchemy import func, select as sa_select

from flask_sqlalchemy.pagination import SelectPagination

from engage.extensions import db


MAX_PAGE = 1_000_000  # far beyond any list; keeps the row offset inside the database's integer range


def page_number() -> int:
    """The requested page; anything that is not a positive whole number means page 1, and a page
    beyond any list (past ``MAX_PAGE``) is not found."""
    try:
        page = int(request.args.get("page", 1))
    except (TypeError, ValueError):
        return 1
    if page > MAX_PAGE:
        abort(404)
    return page if page > 0 else 1


class IdFirstPagination(SelectPagination):
    """Pagination of ``select(Model)...``: the page's ids first (from an index), then the rows."""

    def _entity(self):
        return self._query_args["select"].column_descriptions[0]["entity"]

    def _query_items(self) -> list:
        query = self._query_args["select"]
        session = self._query_args["session"]
        entity = self._entity()
        ids = list(session.scalars(query.with_only_columns(entity.id).limit(self.per_page).offset(self._query_offset)))
        if not ids:
            return []
        rows = session.scalars(sa_select(entity).where(entity.id.in_(ids)).options(*query._with_options))
        by_id = {row.id: row for row in rows}
        return [by_id[i] for i in ids if i in by_id]

    def _query_count(self) -> int:
        query = self._query_args["select"]
        ids = query.with_only_columns(self._entity().id).order_by(None).subquery()
        return self._query_args["session"].scalar(sa_select(func.count()).select_from(ids)) or 0


def paginate(select, per_page: int | None = None, page: int | None = None):
    """Return a ``Pagination`` of ``select`` (a select of one model) at the requested page.

    A page beyond the last one gives an empty page rather than an error, so a
    stale link never produces a 404 for a list that merely shrank.
    """
    return IdFirstPagination(
        select=select, session=db.session(), page=page or page_number(),
        per_page=per_page or current_app.config["PER_PAGE"], error_out=False, count=True,
    )


class _RowPagination(SelectPagination):
    """Pagination of a select whose rows have several columns (for example a GROUP BY)."""

    def _query_items(self) -> list:
        select = self._query_args["select"]
        select = select.limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].execute(select).all())


def paginate_rows(select, per_page: int | None = None):
    return _RowPagination(
        select=select, session=db.session(), page=page_number(),
        per_page=per_page or current_app.config["PER_PAGE"], error_out=False, count=True,
    )


def page_url(page: int) -> str:
    """The current URL with ``page`` replaced."""
    args = request.args.to_dict(flat=False)
    args["page"] = [str(page)]
    from urllib.parse import urlencode

    return request.path + "?" + urlencode(args, doseq=True)
