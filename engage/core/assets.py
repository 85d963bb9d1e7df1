"""Static files under names that change with their content, so browsers may keep them for a year.

Templates write ``static_url('css/engage.css')``, which gives ``/static/css/engage.<hash>.css``;
the static view serves that name from ``css/engage.css`` with ``Cache-Control: immutable``. A new
release changes the hash, so nobody keeps an old stylesheet.
"""
from __future__ import annotations

import hashlib
import os
import re

from flask import Flask, url_for

FINGERPRINTED = re.compile(r"^(?P<stem>.+)\.(?P<digest>[0-9a-f]{10})(?P<ext>\.[A-Za-z0-9]+)$")
ONE_YEAR = 365 * 24 * 3600


def init_assets(app: Flask) -> None:
    digests: dict[str, tuple[float, str]] = {}

    def digest_of(filename: str) -> str | None:
        path = os.path.join(app.static_folder or "", filename)
        try:
            modified = os.stat(path).st_mtime
        except OSError:
            return None
        known = digests.get(filename)
        if known is None or known[0] != modified:
            with open(path, "rb") as file:
                known = (modified, hashlib.sha256(file.read()).hexdigest()[:10])
            digests[filename] = known
        return known[1]

    def static_url(filename: str) -> str:
        digest = digest_of(filename)
        if digest is None:
            return url_for("static", filename=filename)
        stem, ext = os.path.splitext(filename)
        return url_for("static", filename=f"{stem}.{digest}{ext}")

    plain_static = app.view_functions["static"]

    def static(filename: str):
        match = FINGERPRINTED.match(filename)
        if match is None:
            return plain_static(filename=filename)
        original = match["stem"] + match["ext"]
        response = plain_static(filename=original)
        if match["digest"] == digest_of(original):
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = ONE_YEAR
            response.cache_control.immutable = True
        return response

    app.view_functions["static"] = static
    app.jinja_env.globals["static_url"] = static_url
