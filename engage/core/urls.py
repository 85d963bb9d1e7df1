"""Following ``next`` links safely, and building links outside a request."""
from __future__ import annotations

from urllib.parse import urlsplit

from contextlib import contextmanager

from flask import current_app, has_request_context, request


def local_path(default: str) -> str:
    """The ``next`` value of the request when it is a path on this site, else ``default``."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return default


@contextmanager
def url_context():
    """Allow ``url_for(..., _external=True)`` outside a request (commands, workers), using ``BASE_URL``."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["BASE_URL"]):
        yield
