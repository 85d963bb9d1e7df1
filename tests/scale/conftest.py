"""Fixtures of the scale suites: visitors' clients, an export folder of each test's own, Redis, a clock for the cache."""
from __future__ import annotations

import functools
import re
import time
import uuid

import pytest

from tests.cocreation.conftest import create_meeting  # noqa: F401  (fixture)
from tests.plans.conftest import build_plan  # noqa: F401  (fixture)
from tests.surveys.conftest import build_survey  # noqa: F401  (fixture)

PROPOSAL_LINK = re.compile(r'<h3><a href="/proposals/(\d+)"')


@pytest.fixture(autouse=True)
def export_folder(app, tmp_path, _clean_state):
    """Each test writes its downloads into a folder of its own, looked at by the export tests."""
    saved = app.config["EXPORT_FOLDER"], app.config["EXPORT_SYNC_ROWS"]
    folder = tmp_path / "exports"
    app.config["EXPORT_FOLDER"] = str(folder)
    yield folder
    _wait_for_export_threads()
    app.config["EXPORT_FOLDER"], app.config["EXPORT_SYNC_ROWS"] = saved


def _wait_for_export_threads(timeout: float = 10.0) -> None:
    """Background builds must not outlive their test (the next test empties the tables)."""
    import threading

    deadline = time.monotonic() + timeout
    for thread in threading.enumerate():
        if thread.name.startswith("export-"):
            thread.join(max(0.0, deadline - time.monotonic()))


@pytest.fixture
def visitor(app):
    """A second browser, never signed in, reading the site in English (``visitor_in("uk")`` for others)."""
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def new_visitor(app):
    """``new_visitor(language="en")``: a fresh browser with no cookies at all."""

    def make(language="en"):
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
        return client

    return make


@pytest.fixture
def cache_clock(monkeypatch):
    """Move the clock the page cache reads (``engage.core.cache`` calls ``time.time()``) forward by some seconds."""
    import engage.core.cache as page_cache

    real = page_cache.time.time
    offset = {"seconds": 0.0}
    monkeypatch.setattr(page_cache.time, "time", lambda: real() + offset["seconds"])

    def advance(seconds: float) -> None:
        offset["seconds"] += seconds

    return advance


def redis_or_skip(url: str):
    redis = pytest.importorskip("redis")
    connection = redis.Redis.from_url(url, socket_connect_timeout=1)
    try:
        connection.ping()
    except redis.exceptions.RedisError:
        pytest.skip(f"Redis tests skipped: no Redis answers at {url}")
    return connection


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@pytest.fixture(autouse=True)
def _hash_each_password_once(monkeypatch):
    """People of these suites share one password: hash it once (a real scrypt hash, salted once) to keep them fast."""
    from engage.auth import services

    monkeypatch.setattr(services, "hash_password", _hash_once())


@functools.cache
def _hash_once():
    from engage.core.passwords import hash_password

    return functools.cache(hash_password)
