"""A copy of the page cache kept in each worker, told of every invalidation by Redis (pub/sub).

Reading a stored page from Redis costs a round trip per request, about as much again as serving
it. With Redis, each worker also keeps the pages it served recently and the version stamps it has
seen, and a thread of the worker listens on a Redis channel where every commit publishes the stamps
it changed (engage.core.cache.bump). A page is served from the worker's memory only while

- the listener is subscribed (from the moment it is, it hears every change; before, and after any
  error, the worker's copy is emptied and pages come from Redis as usual), and
- every tag the page depends on has a stamp the worker has heard or read, equal to the page's.

A visitor can thus see a page at most the few milliseconds a message takes to arrive after the
commit that changed it. The people who make changes are signed in and never get cached pages.
"""
from __future__ import annotations

import json
import logging
import os
import threading
import time
from collections import OrderedDict

log = logging.getLogger("engage.cache")

PAGES_LIMIT = 1000  # pages kept per worker
STAMPS_LIMIT = 200_000  # tags whose stamps a worker remembers (a round has as many as it has proposals)

_pages: OrderedDict[str, dict] = OrderedDict()
_stamps: dict[str, str] = {}
_subscribed = threading.Event()
_lock = threading.Lock()
_listener: dict[str, object] = {"pid": None, "thread": None, "channel": None, "generation": 0}


def channel(app) -> str:
    return f"{app.config.get('CACHE_KEY_PREFIX') or 'engage:'}stamps"


def enabled(app) -> bool:
    return app.config.get("CACHE_TYPE") == "RedisCache" and bool(app.config.get("CACHE_REDIS_URL"))


def active(app) -> bool:
    """Whether this worker's copy may be used for ``app``: its listener hears ``app``'s channel now."""
    return _subscribed.is_set() and _listener["channel"] == channel(app) and _listener["pid"] == os.getpid()


def ensure_listening(app) -> None:
    """Start this worker's listener (once per process: gunicorn forks workers after the app is made)."""
    if not enabled(app) or (_listener["pid"] == os.getpid() and _listener["channel"] == channel(app)):
        return
    with _lock:
        if _listener["pid"] == os.getpid() and _listener["channel"] == channel(app):
            return
        _subscribed.clear()
        forget_all()
        generation = (_listener.get("generation") or 0) + 1
        _listener.update(pid=os.getpid(), channel=channel(app), generation=generation)
        thread = threading.Thread(target=_listen, args=(app.config["CACHE_REDIS_URL"], channel(app), generation),
                                  name="engage-cache-listener", daemon=True)
        _listener["thread"] = thread
        thread.start()


def _current(generation: int) -> bool:
    return _listener.get("generation") == generation


def _listen(url: str, name: str, generation: int) -> None:
    """Hear every stamp published on ``name`` (until another app of this process takes over)."""
    import redis

    while _current(generation):
        try:
            connection = redis.Redis.from_url(url, socket_keepalive=True, health_check_interval=30)
            pubsub = connection.pubsub()
            pubsub.subscribe(name)
            for message in pubsub.listen():
                if not _current(generation):
                    pubsub.close()
                    return
                if message["type"] == "subscribe":
                    forget_all()  # what was kept before may have missed a change: start afresh
                    _subscribed.set()
                elif message["type"] == "message":
                    heard(json.loads(message["data"]))
        except Exception as exc:  # noqa: BLE001 - any trouble: stop trusting the copy, then reconnect
            log.warning("page cache listener lost Redis (%s); pages come from Redis until it is back", exc)
        if not _current(generation):
            return
        _subscribed.clear()
        forget_all()
        time.sleep(1)


def forget_all() -> None:
    """Empty this worker's copy (after an error, or when the whole cache is cleared)."""
    _pages.clear()
    _stamps.clear()


def heard(stamps: dict[str, str]) -> None:
    """New stamps published by a commit (or read from Redis: then only those not heard of yet)."""
    if len(_stamps) > STAMPS_LIMIT:
        forget_all()
    _stamps.update(stamps)


def learn(app, stamps: dict[str, str | None]) -> None:
    """Stamps read from Redis: kept where nothing newer was heard (a message may have overtaken the read)."""
    if not active(app):
        return
    for tag, stamp in stamps.items():
        if stamp is not None:
            _stamps.setdefault(tag, stamp)


def keep(app, key: str, entry: dict) -> None:
    if not active(app):
        return
    _pages[key] = entry
    _pages.move_to_end(key)
    while len(_pages) > PAGES_LIMIT:
        _pages.popitem(last=False)


def page(app, key: str) -> dict | None:
    """The stored page, if this worker has it and every stamp it depends on is the current one."""
    if not active(app):
        return None
    entry = _pages.get(key)
    if entry is None:
        return None
    if any(_stamps.get(tag) != stamp for tag, stamp in entry["versions"].items()):
        _pages.pop(key, None)
        return None
    return entry


def publish(app, stamps: dict[str, str]) -> None:
    """Tell every worker of every machine the stamps a commit has just changed."""
    from engage.extensions import cache

    heard(stamps)
    client = getattr(cache.cache, "_write_client", None)
    if client is not None:
        client.publish(channel(app), json.dumps(stamps))
