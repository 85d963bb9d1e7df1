"""Several app servers behind one PostgreSQL and one Redis behave as one site.

Two gunicorn instances on two ports, with the production settings, share the database (PostgreSQL
from TEST_DATABASE_URL) and Redis (sign-ins are rows in the database, named by a signed cookie; rate
limits, the page cache and its invalidation live in Redis). Two outbox workers never send an email twice.
Skipped on SQLite and when Redis does not answer.
"""
from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

import pytest

from tests.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REDIS_URL = "redis://127.0.0.1:6379/8"  # the tests' own (bench/ uses 11-13)


def _redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except Exception:  # noqa: BLE001
        return False


pytestmark = [
    pytest.mark.skipif(not (os.environ.get("TEST_DATABASE_URL") or "").startswith(("postgres", "postgresql")),
                       reason="several instances share a PostgreSQL database (set TEST_DATABASE_URL)"),
    pytest.mark.skipif(not _redis_answers(), reason="Redis does not answer at 127.0.0.1:6379"),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("instances")
    prefix = f"engage-test-{uuid.uuid4().hex[:8]}:"
    env = {
        **os.environ,
        "ENGAGE_ENV": "production", "SECRET_KEY": "the-same-secret-on-every-instance",
        # The public host name every instance sees behind the load balancer (and the only one it answers).
        "BASE_URL": "https://consult.example",
        "DATABASE_URL": os.environ["TEST_DATABASE_URL"], "REDIS_URL": REDIS_URL,
        "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_SIGN_IN": "3 per minute", "CACHE_KEY_PREFIX": prefix,
        "MAIL_BACKEND": "log", "EXPORT_FOLDER": str(tmp_path / "exports"), "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        "RQ_QUEUE": prefix + "mail", "RQ_EXPORT_QUEUE": prefix + "exports",
    }
    env.pop("TEST_DATABASE_URL", None)
    yield env
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()  # this database number is the test's own


@pytest.fixture(scope="module")
def instances(environment):
    """Two app servers (two gunicorn instances with two workers each) on two ports."""
    processes, ports = [], []
    for _ in range(2):
        port = _free_port()
        processes.append(subprocess.Popen(
            [str(BIN / "gunicorn"), "--workers", "2", "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
             "wsgi:app"], cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
        ports.append(port)
    try:
        for port in ports:
            _wait_until_up(port)
        yield ports
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=20)


@pytest.fixture(autouse=True)
def _fresh_redis():
    """Each test starts with no rate-limit counters and an empty cache (this Redis database is the tests' own)."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def _wait_until_up(port: int) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if _request(port, "GET", "/healthz")[0] == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"the instance on port {port} did not start")


def _request(port, method, path, *, cookies=None, form=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20)
    body = urlencode(form) if form is not None else None
    # Behind the load balancer every instance sees the site's one public host name.
    sent = {"Host": "consult.example", "Accept-Language": "en", **(headers or {})}
    if body is not None:
        sent["Content-Type"] = "application/x-www-form-urlencoded"
    if cookies:
        sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    connection.request(method, path, body=body, headers=sent)
    response = connection.getresponse()
    data = response.read().decode("utf-8", "replace")
    # The production cookies are Secure: a browser would only send them over HTTPS, so the test keeps them itself.
    set_cookies = {}
    for name, value in response.getheaders():
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            set_cookies[key] = rest.split(";", 1)[0]
    result = (response.status, data, set_cookies, dict(response.getheaders()))
    connection.close()
    return result


def _sign_in(port, person):
    status, page, cookies, _ = _request(port, "GET", "/account/sign-in")
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    status, _, more, _ = _request(port, "POST", "/account/sign-in", cookies=cookies,
                                  form={"csrf_token": token, "email": person.email, "password": PASSWORD})
    assert status == 302, status
    return {**cookies, **more}


def _open_round(app, facilitator) -> int:
    """A published round open for proposals and comments now (the instances run on the real clock)."""
    from engage.auth.models import User
    from engage.core.time import utcnow
    from engage.extensions import db
    from engage.rounds import services
    from engage.rounds.phases import PhaseType

    with app.app_context():
        round_ = services.create_round(by=db.session.get(User, facilitator.id), default_locale="en", organiser="City",
                                       district=None, texts={"en": services.Texts("Parks of the city", "Summary")},
                                       topics=["Parks"])
        services.add_phase(round_, type=PhaseType.CALL_FOR_PROPOSALS, starts_at=utcnow() - timedelta(days=1),
                           ends_at=utcnow() + timedelta(days=10))
        services.publish(round_)
        db.session.commit()
        return round_.id


def test_a_session_started_on_one_instance_works_on_the_other(instances, create_user):
    first, second = instances
    person = create_user(display_name="Olena on two servers")
    cookies = _sign_in(first, person)
    status, page, _, _ = _request(second, "GET", "/account/", cookies=cookies)
    assert status == 200 and "Olena on two servers" in page
    # A form shown by one instance is accepted by the other (the CSRF token is part of the shared session).
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
    status, _, cleared, _ = _request(first, "POST", "/account/sign-out", cookies=cookies, form={"csrf_token": token})
    assert status == 302
    status, _, _, _ = _request(second, "GET", "/account/", cookies={**cookies, **cleared})
    assert status == 302  # signed out everywhere the browser goes


def test_rate_limits_count_across_instances(instances, create_user):
    first, second = instances
    person = create_user()
    statuses = []
    for n in range(4):  # three attempts a minute allowed in all, wherever they land
        port = (first, second)[n % 2]
        _, page, cookies, _ = _request(port, "GET", "/account/sign-in")
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        statuses.append(_request(port, "POST", "/account/sign-in", cookies=cookies,
                                 form={"csrf_token": token, "email": person.email, "password": "wrong password"})[0])
    assert statuses == [200, 200, 200, 429]


def test_a_write_on_one_instance_refreshes_the_cached_page_on_the_other(app, instances, create_user):
    first, second = instances
    facilitator = create_user(roles=("facilitator",))
    round_id = _open_round(app, facilitator)
    path = f"/rounds/{round_id}/proposals"
    assert _request(second, "GET", path)[3].get("X-Cache") == "miss"
    assert _request(second, "GET", path)[3].get("X-Cache") == "hit"
    assert _request(first, "GET", path)[3].get("X-Cache") == "hit"  # one cache for every instance
    cookies = _sign_in(first, create_user())
    _, form, _, _ = _request(first, "GET", f"/rounds/{round_id}/proposals/new", cookies=cookies)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', form).group(1)
    topic = re.search(r'<option value="(\d+)">Parks</option>', form).group(1)
    status, _, _, _ = _request(first, "POST", f"/rounds/{round_id}/proposals/new", cookies=cookies, form={
        "csrf_token": token, "title": "Drinking fountains in every park",
        "body": "Install drinking fountains at the entrances of every park.", "topic": topic, "submit": "1"})
    assert status == 302
    # Each worker keeps its own copy of recent pages; the commit's new stamps reach it over Redis
    # within milliseconds (the page is never served from the copy once it has heard them).
    deadline = time.monotonic() + 2
    while True:
        status, page, _, headers = _request(second, "GET", path)
        if "Drinking fountains in every park" in page or time.monotonic() > deadline:
            break
        time.sleep(0.01)
    assert "Drinking fountains in every park" in page


def test_two_outbox_workers_never_send_an_email_twice(app, environment):
    from sqlalchemy import insert, select

    from engage.core.time import utcnow
    from engage.extensions import db
    from engage.core.outbox import OutboxMessage

    with app.app_context():
        now = utcnow()
        db.session.execute(insert(OutboxMessage), [
            {"to": f"person{n}@example.org", "subject": f"message-{n}", "text": "Hello", "status": "pending",
             "attempts": 0, "next_attempt_at": now, "created_at": now} for n in range(600)])
        db.session.commit()

    # Two workers on the same outbox at the same moment, each taking batches until nothing is due.
    workers = [subprocess.Popen([str(BIN / "flask"), "outbox", "work", "--interval", "0", "--runs", "4"], cwd=ROOT,
                                env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    sent_by = []
    for worker in workers:
        _, log = worker.communicate(timeout=180)
        assert worker.returncode == 0, log
        sent_by.append(re.findall(r"Subject: (message-\d+)", log))
    every = [subject for batch in sent_by for subject in batch]
    assert len(every) == 600 and len(set(every)) == 600
    assert all(sent_by), "both workers took part"
    with app.app_context():
        rows = db.session.execute(select(OutboxMessage.status, OutboxMessage.attempts)).all()
        assert {tuple(r) for r in rows} == {("sent", 1)}
