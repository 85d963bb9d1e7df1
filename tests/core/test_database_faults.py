"""When the database is busy, read-only, restarting or gone: a "try again" page that keeps what was typed,
a /healthz that names the part, and nothing saved twice or lost.

SQLite's writers queue (WAL, a long busy timeout, BEGIN IMMEDIATE for writes); a reader that must
write after another writer committed takes the lock then, instead of failing at once.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from contextlib import contextmanager
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import event, func, select, text

from engage.extensions import db

COMMENT = "Прошу додати до плану відкриті дані про бюджет району.\nДругий рядок."


@pytest.fixture
def setting(create_round, create_user, create_proposal, clock):
    round_id = create_round(facilitators=[create_user(roles=("facilitator",))])
    proposal_id = create_proposal(round_id, create_user())
    clock.to_phase("call_for_proposals")
    return round_id, proposal_id


def sqlite_only(app):
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "sqlite":
        pytest.skip("SQLite's locking")


def sqlite_path(app) -> str:
    with app.app_context():
        return db.engine.url.database


def comments(app) -> list[str]:
    from engage.comments.models import Comment

    with app.app_context():
        return list(db.session.scalars(select(Comment.body).order_by(Comment.id)))


@pytest.fixture
def short_busy_timeout(app):
    from engage.core import database

    with app.app_context():
        saved = database._settings["busy_timeout_ms"]
        database._settings["busy_timeout_ms"] = 150
        db.engine.dispose()  # new connections take the short wait
    yield
    with app.app_context():
        database._settings["busy_timeout_ms"] = saved
        db.engine.dispose()


def hold_write_lock(path: str):
    """Another process's writer: takes SQLite's write lock and keeps it until closed."""
    other = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    return other


def resend_kept_form(browser, response):
    """Press "Send again" on the 503 page: post back the form it holds, as a browser would."""
    from werkzeug.datastructures import MultiDict

    action, fields = kept_form(response)
    return browser.client.post(action, data=MultiDict(fields))


def kept_form(response):
    """The address and the fields of the form on the 503 page that sends the input again."""
    page = response.get_data(as_text=True)
    found = re.search(r'<form method="post" action="([^"]+)" class="stack kept-form">(.*?)</form>', page, re.S)
    fields = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', found.group(2))
    return unescape(found.group(1)), [(unescape(n), unescape(v)) for n, v in fields]


# --- SQLite: writers queue ---------------------------------------------------------------


def test_sqlite_uses_wal_and_waits_thirty_seconds_for_the_write_lock(app):
    sqlite_only(app)
    with app.app_context():
        assert db.session.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert db.session.execute(text("PRAGMA busy_timeout")).scalar() == 30_000


def test_a_page_that_writes_after_another_writer_committed_still_saves(app, create_user):
    """A GET reads first; another writer commits; the GET then writes (marking things read, say).
    SQLite refuses such a reader the write lock outright ("database is locked"); here it is taken anew."""
    sqlite_only(app)
    from engage.auth.models import User

    person = create_user(display_name="Before")
    with app.test_request_context("/", method="GET"):
        user = db.session.get(User, person.id)  # the reading transaction begins
        other = sqlite3.connect(sqlite_path(app), isolation_level=None)
        other.execute("UPDATE users SET bio = 'written meanwhile' WHERE id = ?", (person.id,))
        other.close()
        user.display_name = "After"
        db.session.commit()
    with app.app_context():
        saved = db.session.get(User, person.id)
        assert (saved.display_name, saved.bio) == ("After", "written meanwhile")


def test_a_writer_waits_for_another_instead_of_failing(app, browser, create_user, setting):
    sqlite_only(app)
    _, proposal_id = setting
    browser.sign_in(create_user())
    csrf = browser.csrf_token(f"/proposals/{proposal_id}")
    other = hold_write_lock(sqlite_path(app))
    threading.Timer(0.4, other.commit).start()  # the other writer finishes a moment later
    response = browser.client.post(f"/proposals/{proposal_id}/comments", data={"csrf_token": csrf, "body": COMMENT})
    other.close()
    assert response.status_code == 302
    assert comments(app) == [COMMENT]


def test_still_busy_after_the_wait_gives_a_try_again_page_that_keeps_the_text(app, browser, create_user, setting,
                                                                              short_busy_timeout):
    sqlite_only(app)
    _, proposal_id = setting
    browser.sign_in(create_user())
    csrf = browser.csrf_token(f"/proposals/{proposal_id}")
    other = hold_write_lock(sqlite_path(app))
    try:
        response = browser.client.post(f"/proposals/{proposal_id}/comments", data={"csrf_token": csrf, "body": COMMENT})
    finally:
        other.close()
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "5"
    assert "The site is busy" in page and "Nothing you typed is lost" in page
    assert COMMENT.split("\n")[0] in unescape(page)
    _, fields = kept_form(response)
    assert sorted(name for name, _ in fields) == ["body", "csrf_token"]  # the text, and a token for this page
    assert dict(fields)["body"] == COMMENT
    assert comments(app) == []

    again = resend_kept_form(browser, response)
    assert again.status_code == 302
    assert comments(app) == [COMMENT]


# --- Read-only, unreachable, restarted ---------------------------------------------------


def _refuse_writes(dbapi_connection, _record):
    if isinstance(dbapi_connection, sqlite3.Connection):
        dbapi_connection.execute("PRAGMA query_only=1")
    else:
        dbapi_connection.execute("SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY")
        dbapi_connection.commit()


@contextmanager
def writes_refused(app):
    """Every new connection of the site may read but not write (a replica promoted wrongly, a full disk)."""
    with app.app_context():
        engine = db.engine
        event.listen(engine, "connect", _refuse_writes)
        engine.dispose()
    try:
        yield
    finally:
        event.remove(engine, "connect", _refuse_writes)
        engine.dispose()


@pytest.fixture
def read_only(app):
    with writes_refused(app):
        yield


def test_a_read_only_database_still_serves_pages_and_healthz_names_the_write(app, browser, setting, read_only):
    _, proposal_id = setting
    assert browser.get(f"/proposals/{proposal_id}").status_code == 200  # reading still works
    health = browser.get("/healthz")
    body = health.get_json()
    assert health.status_code == 503 and body["status"] == "unavailable"
    assert body["failing"] == ["database_write"] and body["checks"]["database_read"]["ok"] is True


def test_a_read_only_database_refuses_a_signed_in_write_with_the_page(app, create_user, setting):
    """Signed in before the database became read-only, a person's comment is refused with the page,
    in their language, and goes in once it is sent again."""
    from tests.conftest import Browser

    _, proposal_id = setting
    browser = Browser(app.test_client())
    browser.sign_in(create_user(locale="uk"))
    csrf = browser.csrf_token(f"/proposals/{proposal_id}")

    with writes_refused(app):
        response = browser.client.post(f"/proposals/{proposal_id}/comments",
                                       data={"csrf_token": csrf, "body": COMMENT})
    page = response.get_data(as_text=True)
    assert response.status_code == 503 and response.headers["Retry-After"] == "30"
    assert "Помилка 503" in page and COMMENT.split("\n")[0] in unescape(page)
    assert comments(app) == []
    assert resend_kept_form(browser, response).status_code == 302
    assert comments(app) == [COMMENT]


@pytest.mark.parametrize("url", ["sqlite:///{tmp}/missing/dir/x.sqlite",
                                 "postgresql://postgres@127.0.0.1:1/engage_nowhere"])
def test_an_unreachable_database_gives_503_pages_problems_and_health(tmp_path, url):
    from engage import create_app

    broken = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": url.format(tmp=tmp_path),
                         "RATELIMIT_STORAGE_URI": "memory://"})
    client = broken.test_client()
    page = client.get("/", headers={"Accept-Language": "uk"})
    assert page.status_code == 503 and page.headers["Retry-After"] == "30"
    assert "Помилка 503" in page.get_data(as_text=True)
    api = client.get("/api/v1/rounds")
    assert api.status_code == 503 and api.mimetype == "application/problem+json"
    assert api.get_json()["code"] == "unavailable"
    health = client.get("/healthz")
    assert health.status_code == 503
    assert health.get_json()["failing"][:2] == ["database_read", "database_write"]


def test_after_postgresql_drops_every_connection_the_next_request_works(app, browser, setting):
    """A PostgreSQL restart ends every connection in the pool; pre-ping replaces them unseen."""
    with app.app_context():
        dialect = db.engine.dialect.name
    if dialect != "postgresql":
        pytest.skip("PostgreSQL restarts")
    _, proposal_id = setting
    assert browser.get(f"/proposals/{proposal_id}").status_code == 200
    import psycopg

    with app.app_context():
        url = db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = current_database() AND pid <> pg_backend_pid()").fetchone()[0]
    assert ended >= 1
    assert browser.get(f"/proposals/{proposal_id}").status_code == 200
    assert browser.get("/healthz").status_code == 200


# --- /healthz ------------------------------------------------------------------------------


def test_healthz_reports_every_part(browser):
    response = browser.get("/healthz")
    body = response.get_json()
    assert response.status_code == 200 and body["status"] == "ok" and body["failing"] == []
    assert set(body["checks"]) == {"database_read", "database_write", "outbox", "redis"}
    assert response.headers["Cache-Control"] == "no-store"


def test_healthz_is_degraded_not_down_when_redis_is(app, browser):
    saved = app.config["REDIS_URL"]
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = browser.get("/healthz")
        strict = browser.get("/healthz?strict=1")
    finally:
        app.config["REDIS_URL"] = saved
    assert response.status_code == 200
    assert response.get_json()["status"] == "degraded" and response.get_json()["failing"] == ["redis"]
    assert strict.status_code == 503


def test_healthz_tells_when_emails_wait_too_long(app, browser):
    from engage.core.outbox import OutboxMessage
    from engage.core.time import utcnow

    with app.app_context():
        late = utcnow() - timedelta(minutes=app.config["OUTBOX_BACKLOG_ALERT_MINUTES"] + 5)
        db.session.add(OutboxMessage(to="a@example.org", subject="s", text="t", status="pending", attempts=0,
                                     next_attempt_at=late, created_at=late))
        db.session.commit()
    body = browser.get("/healthz").get_json()
    assert body["status"] == "degraded" and body["failing"] == ["outbox"]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
