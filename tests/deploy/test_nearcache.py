"""Each worker's own copy of the page cache (engage.core.nearcache): served without asking Redis, and
dropped as soon as another machine's commit publishes new stamps."""
from __future__ import annotations

import json
import time
import uuid

import pytest

URL = "redis://127.0.0.1:6379/5"  # the tests' own database (bench/ uses 11-13)


@pytest.fixture
def redis_site(app, tmp_path):
    import redis

    try:
        redis.Redis.from_url(URL, socket_connect_timeout=1).ping()
    except Exception:  # noqa: BLE001
        pytest.skip("Redis does not answer at 127.0.0.1:6379")
    from engage import create_app
    from engage.core import nearcache
    from engage.extensions import db

    site = create_app({
        "TESTING": True, "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "MAIL_BACKEND": "log",
        "RATELIMIT_STORAGE_URI": "memory://", "SERVER_NAME": None, "CACHE_TYPE": "RedisCache",
        "CACHE_REDIS_URL": URL, "CACHE_KEY_PREFIX": f"engage-near-{uuid.uuid4().hex[:8]}:",
        "EXPORT_FOLDER": str(tmp_path / "exports"),
    })
    with site.app_context():
        nearcache.ensure_listening(site)
    deadline = time.monotonic() + 5
    while not nearcache._subscribed.is_set() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert nearcache._subscribed.is_set(), "the listener did not subscribe"
    yield site
    with site.app_context():
        from engage.core.cache import clear

        clear()
        db.session.remove()
        db.engine.dispose()


def test_a_worker_serves_its_copy_until_another_machine_changes_the_data(redis_site, create_round, monkeypatch):
    import redis

    from engage.core import nearcache
    from engage.extensions import cache

    round_id = create_round()
    visitor = redis_site.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    assert visitor.get(f"/rounds/{round_id}").headers["X-Cache"] == "miss"
    asked = []
    original = cache.get_many
    monkeypatch.setattr(cache, "get_many", lambda *keys: asked.append(keys) or original(*keys))
    assert visitor.get(f"/rounds/{round_id}").headers["X-Cache"] == "hit"
    assert asked == []  # from the worker's own copy: Redis was not asked
    # Another machine commits a change of this round: it sets the tag's stamp in Redis and publishes it.
    with redis_site.app_context():
        original(f"v:round:{round_id}")  # (the key exists)
        cache.set(f"v:round:{round_id}", "changed-elsewhere", timeout=0)
    redis.Redis.from_url(URL).publish(nearcache.channel(redis_site),
                                      json.dumps({f"round:{round_id}": "changed-elsewhere"}))
    deadline = time.monotonic() + 2
    while nearcache._stamps.get(f"round:{round_id}") != "changed-elsewhere" and time.monotonic() < deadline:
        time.sleep(0.01)
    assert visitor.get(f"/rounds/{round_id}").headers["X-Cache"] == "miss"  # rendered afresh
    assert asked, "Redis was asked: the worker's copy was dropped"


def test_a_lost_connection_empties_the_copy(redis_site, create_round):
    from engage.core import nearcache

    round_id = create_round()
    visitor = redis_site.test_client()
    visitor.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    visitor.get(f"/rounds/{round_id}")
    assert nearcache._pages
    nearcache._subscribed.clear()  # what the listener does when Redis goes away
    assert nearcache.page(redis_site, next(iter(nearcache._pages))) is None
    nearcache._subscribed.set()
