"""Following ``next`` links safely."""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import request


def local_path(default: str) -> str:
    """The ``next`` value of the request when it is a path on this site, else ``default``."""
    target = request.values.get("next", "")
    parts = urlsplit(target)
    if target.startswith("/") and not target.startswith("//") and not parts.scheme and not parts.netloc and "\\" not in target:
        return target
    return default
