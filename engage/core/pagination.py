"""Pagination of SQLAlchemy selects, with page links that keep the other query arguments."""
from __future__ import annotations

from flask import current_app, request

from flask_sqlalchemy.pagination import SelectPagination

from engage.extensions import db


def page_number() -> int:
    """The requested page; anything that is not a positive whole number means page 1."""
    try:
        page = int(request.args.get("page", 1))
    except (TypeError, ValueError):
        return 1
    return page if page > 0 else 1


def paginate(select, per_page: int | None = None):
    """Return a Flask-SQLAlchemy ``Pagination`` for ``select`` at the requested page.

    A page beyond the last one gives an empty page rather than an error, so a
    stale link never produces a 404 for a list that merely shrank.
    """
    return db.paginate(
        select,
        page=page_number(),
        per_page=per_page or current_app.config["PER_PAGE"],
        error_out=False,
        count=True,
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
