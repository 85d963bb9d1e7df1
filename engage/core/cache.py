"""Pages cached for visitors, invalidated exactly when what they show changes.

Most requests at a city's scale come from visitors who are not signed in, and every visitor in
the same language sees the same page. Such pages are kept in the cache (Redis when configured,
else files shared by the workers of one machine) and served without touching the database.

Invalidation works with *tags*. A tag names a piece of data: ``round:12`` (what was contributed in
round 12), ``proposal:7``, ``survey:3``, or a family such as ``rounds`` (the rounds' own texts and
phases). Each tag has a version stamp in the cache.

- Writing: when a transaction commits, every tag touched by it gets a new stamp. Features say which
  tags a model's rows touch with :func:`invalidated_by`; statements that bypass the ORM's unit of
  work (``UPDATE ... SET support_count = support_count + 1``) name theirs with :func:`touch`.
- Reading: a view decorated with :func:`cached_page` names the tags it depends on from its URL
  arguments; their stamps are read *before* the view reads the database and stored with the page,
  so a page is never kept with a stamp newer than its data. A view may add tags it only learns
  while rendering with :func:`depends_on`. A stored page is served only while every stamp is still
  the current one, and never longer than ``PAGE_CACHE_SECONDS`` (for what changes with the clock:
  phases opening, meetings becoming past).

Only pages of visitors are stored: no signed-in person, no message waiting to be shown, nothing that
set a cookie or rendered a CSRF token. When the cache does not answer, pages are simply rendered.
"""
from __future__ import annotations

import hashlib
import logging
import secrets
import time
from functools import wraps
from itertools import chain
from typing import Callable, Iterable

from flask import current_app, g, has_app_context, has_request_context, make_response, request, session
from sqlalchemy import event
from sqlalchemy.orm import Session

from engage.core import nearcache
from engage.extensions import cache

log = logging.getLogger("engage.cache")

SITE = "site"  # every page depends on it: names of people, anything not attributed more precisely
PENDING_KEY = "engage_cache_tags"
VERSION_PREFIX = "v:"
PAGE_PREFIX = "page:"
NEVER = 0  # Flask-Caching: no expiry

TagFn = Callable[[object], Iterable[str]]
_TAGGERS: dict[type, TagFn] = {}


def init_cache(app) -> None:
    cache.init_app(app)
    # First of all hooks, so a stored page costs neither the rate limiter's checks nor anything else.
    app.before_request_funcs.setdefault(None, []).insert(0, serve_from_cache)


def enabled() -> bool:
    return has_app_context() and current_app.config.get("CACHE_TYPE") not in (None, "NullCache", "null")


# --- Version stamps --------------------------------------------------------------


def _new_stamp() -> str:
    return secrets.token_hex(6)


def current_versions(tags: Iterable[str]) -> dict[str, str]:
    """The stamp of each tag; a tag never seen (or evicted) gets a fresh one, never an old one back."""
    tags = list(dict.fromkeys(tags))
    if not tags:
        return {}
    values = cache.get_many(*(VERSION_PREFIX + t for t in tags))
    versions = {}
    for tag, value in zip(tags, values):
        if value is None:
            cache.add(VERSION_PREFIX + tag, _new_stamp(), timeout=NEVER)
            value = cache.get(VERSION_PREFIX + tag)
        versions[tag] = value
    return versions


def clear() -> None:
    """Empty the whole cache, and this worker's copy of it."""
    cache.clear()
    nearcache.forget_all()


def bump(tags: Iterable[str]) -> None:
    """Give each tag a new stamp: every stored page that depends on one of them is out of date."""
    stamps = {t: _new_stamp() for t in set(tags)}
    if not stamps:
        return
    cache.set_many({VERSION_PREFIX + t: s for t, s in stamps.items()}, timeout=NEVER)
    if nearcache.enabled(current_app):
        nearcache.publish(current_app, stamps)  # every worker's own copy hears it at once


# --- The writing side ----------------------------------------------------------------


def invalidated_by(model: type) -> Callable[[TagFn], TagFn]:
    """Register ``fn(row) -> tags``: the tags a new, changed or deleted row of ``model`` touches."""

    def decorator(fn: TagFn) -> TagFn:
        _TAGGERS[model] = fn
        return fn

    return decorator


def touch(*tags: str, session_=None) -> None:
    """Mark ``tags`` as changed by the current transaction (for writes that bypass the ORM's objects)."""
    if session_ is None:
        from engage.extensions import db

        session_ = db.session()
    session_.info.setdefault(PENDING_KEY, set()).update(t for t in tags if t)


def _tagger(obj) -> TagFn | None:
    for cls in type(obj).__mro__:
        fn = _TAGGERS.get(cls)
        if fn is not None:
            return fn
    return None


@event.listens_for(Session, "after_flush")
def _collect_tags(session, flush_context) -> None:
    tags: set[str] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        fn = _tagger(obj)
        if fn is not None:
            tags.update(t for t in fn(obj) if t)
    if tags:
        session.info.setdefault(PENDING_KEY, set()).update(tags)


@event.listens_for(Session, "after_commit")
def _bump_committed(session) -> None:
    tags = session.info.pop(PENDING_KEY, None)
    if not tags or not enabled():
        return
    try:
        bump(tags)
    except Exception as exc:  # noqa: BLE001 - a cache that does not answer must not fail a write that committed
        log.warning("could not invalidate %d cache tags (%s); pages expire after PAGE_CACHE_SECONDS", len(tags), exc)


# Tags are not dropped on a rollback: SQLAlchemy reports a SAVEPOINT's rollback the same way, and the
# rest of the transaction may still commit. Tags of a transaction rolled back as a whole only make
# the next commit of that session invalidate a little more than it changed (a request's session
# ends with the request).


# --- The reading side ------------------------------------------------------------------


def is_visitor_request() -> bool:
    """A GET by someone not signed in, with no message waiting for them and no cookie of their own.

    Only the session cookie (read below) and the language cookie (part of the key) are known not to
    change a visitor's page; any other cookie — "remember me", the browser token of an anonymous
    survey answer, or one added later — may, so such requests are rendered for the person.
    """
    if request.method not in ("GET", "HEAD"):
        return False
    from engage.core.i18n import LOCALE_COOKIE

    if not set(request.cookies) <= {current_app.config["SESSION_COOKIE_NAME"], LOCALE_COOKIE}:
        return False
    return "_user_id" not in session and "_flashes" not in session


def _visitor_locale() -> str:
    from engage.core.i18n import visitor_locale

    return visitor_locale()


# What a visitor's session may hold without changing their page (the rest is part of the key: a
# shuffled list's seed gives each visitor their own copy).
SESSION_NEUTRAL = frozenset({"csrf_token", "_fresh", "_permanent"})


def _near_key(key: str) -> str:
    return (current_app.config.get("CACHE_KEY_PREFIX") or "") + key


def _page_key() -> str:
    """The page's address and host, the visitor's language and whatever else in their session shapes it."""
    query = "&".join(sorted(request.query_string.decode("latin-1").split("&"))) if request.query_string else ""
    own = sorted((k, repr(v)) for k, v in session.items() if k not in SESSION_NEUTRAL)
    raw = f"{request.host_url}\n{_visitor_locale()}\n{request.path}\n{query}\n{own}"
    return PAGE_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:40]


def expires_at(*moments) -> None:
    """While a page to be stored is rendered: it changes by itself at the earliest of ``moments``.

    Features call it when rows whose meaning depends on the clock are loaded (a phase's start and end,
    a survey's opening, a meeting's start): the stored page is not served past that moment, so a phase
    that opens shows at once, not up to PAGE_CACHE_SECONDS later.
    """
    if not has_request_context() or "_cache_depends" not in g:
        return
    from engage.core.time import now

    current = now()
    future = [m for m in moments if m is not None and m > current]
    if future:
        earliest = min(future)
        known = g.get("_cache_until")
        g._cache_until = earliest if known is None else min(known, earliest)


def depends_on(*tags: str) -> None:
    """Inside a cached view: the page also shows data of ``tags`` (learnt while rendering)."""
    pending = g.get("_cache_depends")
    if pending is None:
        return
    new = [t for t in tags if t and t not in pending]
    if new:
        try:
            pending.update(current_versions(new))
        except Exception:  # noqa: BLE001 - the page will simply not be stored
            g._cache_store = False


def _storable(response) -> bool:
    if response.status_code != 200 or response.is_streamed or response.direct_passthrough:
        return False
    if "Set-Cookie" in response.headers or session.modified:
        return False
    # A CSRF token rendered into the page belongs to this visitor's session, not to everyone's.
    return current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token") not in g and g.get("_cache_store", True)


def _etag(body: bytes) -> str:
    return hashlib.blake2b(body, digest_size=12).hexdigest()


def _serve(entry: dict, status: str):
    response = make_response(entry["body"])
    response.headers["Content-Type"] = entry["content_type"]
    for name, value in entry.get("headers", ()):
        response.headers[name] = value
    return _finish(response, entry["etag"], status)


def _finish(response, etag: str, status: str):
    response.set_etag(etag)
    response.headers["Cache-Control"] = "public, no-cache"
    response.vary.update(("Accept-Language", "Cookie"))
    response.headers["X-Cache"] = status
    if request.method in ("GET", "HEAD") and etag in request.if_none_match:
        response.status_code = 304
        response.set_data(b"")
        response.headers.pop("Content-Length", None)
    return response


KEPT_HEADERS = ("Access-Control-Allow-Origin", "Content-Disposition", "Content-Language")


def cached_page(tags: Callable[..., Iterable[str]] | Iterable[str] = ()) -> Callable:
    """Serve the view's page to visitors from the cache while the data of ``tags`` is unchanged.

    ``tags`` is a list, or a function of the view's URL arguments returning one. A stored page is
    served by :func:`serve_from_cache`, the first thing a request does (before rate limits and
    sessions are looked at); this wrapper renders and stores it when there is none.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(**view_args):
            lookup = g.pop("_cache_lookup", None)
            if lookup is None:  # the early look-up did not run (cache off, not a visitor, cache down)
                return view(**view_args)
            key, versions = lookup
            g._cache_depends = dict(versions)
            response = make_response(view(**view_args))
            if not _storable(response):
                return response
            body = response.get_data()
            entry = {
                "body": body, "content_type": response.headers.get("Content-Type", "text/html; charset=utf-8"),
                "headers": [(h, response.headers[h]) for h in KEPT_HEADERS if h in response.headers],
                "etag": _etag(body), "versions": g._cache_depends, "stored_at": time.time(),
                "until": g._cache_until.timestamp() if g.get("_cache_until") else None,
            }
            try:
                cache.set(key, entry, timeout=current_app.config["PAGE_CACHE_SECONDS"])
                nearcache.learn(current_app, entry["versions"])  # read before rendering: a newer stamp heard since wins
                nearcache.keep(current_app, _near_key(key), entry)
            except Exception as exc:  # noqa: BLE001
                log.warning("could not store a page in the cache (%s)", exc)
            _remember_learnt(key, [t for t in entry["versions"] if t not in versions])
            return _finish(response, entry["etag"], "miss")

        wrapped.public_read = True  # engage.core.replica: visitors' reads of this page may use a replica
        wrapped.cache_tags = tags
        return wrapped

    return decorator


def serve_from_cache():
    """The first ``before_request``: a visitor's page that is stored and still current is answered here.

    Otherwise it reads the tags' stamps (before the view reads any data) for the view to store its page with.
    """
    view = current_app.view_functions.get(request.endpoint or "")
    tags = getattr(view, "cache_tags", None)
    if tags is None or not enabled() or not current_app.config.get("PAGE_CACHE_SECONDS") or not is_visitor_request():
        return None
    view_args = request.view_args or {}
    page_tags = [SITE, *(tags(**view_args) if callable(tags) else tags)]
    try:
        key = _page_key()
        nearcache.ensure_listening(current_app)
        near = nearcache.page(current_app, _near_key(key))
        if near is not None and _in_time(near):
            return _serve(near, "hit")
        # The tags the page learnt while rendering last time, read in the same round trip (a guess:
        # whatever the stored page recorded is checked below in any case).
        asked = list(dict.fromkeys([*page_tags, *_LEARNT.get(key, ())]))
        found = cache.get_many(key, *(VERSION_PREFIX + t for t in asked))
        entry = found[0]
        nearcache.learn(current_app, dict(zip(asked, found[1:])))
        if entry is not None and _still_valid(entry, dict(zip(asked, found[1:])), len(asked)):
            nearcache.keep(current_app, _near_key(key), entry)
            return _serve(entry, "hit")
        g._cache_lookup = (key, current_versions(page_tags))
    except Exception as exc:  # noqa: BLE001 - no cache: the page is rendered as usual
        log.warning("page cache unavailable (%s)", exc)
    return None


# Per worker: the tags each stored page learnt while rendering (a hint for the look-up, never trusted).
_LEARNT: dict[str, tuple[str, ...]] = {}
LEARNT_LIMIT = 10000


def _remember_learnt(key: str, tags: list[str]) -> None:
    if not tags:
        _LEARNT.pop(key, None)
        return
    if len(_LEARNT) >= LEARNT_LIMIT:
        _LEARNT.clear()
    _LEARNT[key] = tuple(tags)


def _in_time(entry: dict) -> bool:
    """Neither older than PAGE_CACHE_SECONDS nor past the moment its data changes by the clock."""
    if time.time() - entry["stored_at"] > current_app.config["PAGE_CACHE_SECONDS"]:
        return False
    if entry.get("until") is not None:
        from engage.core.time import now

        if now().timestamp() >= entry["until"]:
            return False
    return True


def _still_valid(entry: dict, known: dict[str, str | None], declared: int) -> bool:
    if not _in_time(entry):
        return False
    recorded: dict[str, str] = entry["versions"]
    extra = [t for t in recorded if t not in known]  # tags the page learnt while rendering, not read yet
    if extra:
        known = {**known, **dict(zip(extra, cache.get_many(*(VERSION_PREFIX + t for t in extra))))}
    return all(known.get(tag) == stamp for tag, stamp in recorded.items())


# --- Values ---------------------------------------------------------------------------------------


def cached_value(key: str, tags: Iterable[str], compute: Callable[[], object], *, timeout: int | None = None):
    """``compute()``, kept under ``key`` while the data of ``tags`` is unchanged (for everyone, signed in or not).

    For results that take many queries and are the same for every reader, such as a plan's co-creation
    report. Like pages, the tags' stamps are read before computing, and the value is recomputed when
    the cache does not answer.
    """
    if not enabled():
        return compute()
    tags = [SITE, *tags]
    try:
        found = cache.get_many("value:" + key, *(VERSION_PREFIX + t for t in tags))
        entry = found[0]
        if entry is not None and entry["versions"] == dict(zip(tags, found[1:])):
            return entry["value"]
        versions = current_versions(tags)
    except Exception as exc:  # noqa: BLE001
        log.warning("value cache unavailable (%s)", exc)
        return compute()
    value = compute()
    try:
        cache.set("value:" + key, {"value": value, "versions": versions},
                  timeout=timeout or current_app.config.get("CACHE_DEFAULT_TIMEOUT", 300))
    except Exception as exc:  # noqa: BLE001
        log.warning("could not store a value in the cache (%s)", exc)
    return value
