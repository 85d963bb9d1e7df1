"""Following ``next`` links safely, and building links outside a request."""
from __future__ import annotations

from urllib.parse import urlsplit

from contextlib import contextmanager

from flask import current_app, has_request_context, request


def local_path(default: str) -> str:
    """The ``next`` value of the request when it is a path on this site, else ``default``."""
    target = request.values.get("next", "")
    try:
        parts = urlsplit(target)
    except ValueError:  # e.g. "http://[": not an address at all
        return default
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return default


def safe_next(default: str = "main.index") -> str:
    """Where to go after a form: the request's ``next`` when it is a path on this site, else ``default``."""
    from flask import url_for

    return local_path(url_for(default))


MAX_ID = 2**31 - 1  # ids are INTEGER columns


def parse_id(value) -> int | None:
    """A database id typed in a query string or a form: ASCII digits within the id range, else None."""
    import re

    text = str(value or "")
    if not re.fullmatch(r"[0-9]{1,10}", text):
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def bounded_int_converter():
    """``<int:...>`` in routes, refusing numbers beyond the id range (so they are a 404, not a database error)."""
    from werkzeug.routing import IntegerConverter

    class BoundedInteger(IntegerConverter):
        regex = r"\d{1,10}"  # longer numbers do not match at all: "not found" on every path

        def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):  # noqa: A002 - werkzeug's names
            super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)

    return BoundedInteger


def site_origin() -> str:
    """Scheme and host of ``BASE_URL``: the only origin links leaving the site are built from."""
    parts = urlsplit(current_app.config["BASE_URL"])
    return f"{parts.scheme or 'https'}://{parts.netloc}"


def external_url(path: str) -> str:
    """An absolute link to a path of this site (as ``url_for`` gives it, with any script root), on ``BASE_URL``.

    No request header (``Host``, ``X-Forwarded-Host``) changes where a link in an email or the API points."""
    return site_origin() + path


@contextmanager
def url_context():
    """Allow ``url_for(..., _external=True)`` outside a request (commands, workers), using ``BASE_URL``."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        yield
