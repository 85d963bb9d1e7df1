"""A part that fails does not take the site down with it: with the rate limits' Redis unreachable,
signing in, registering and asking for a new password still work, and the limits still hold (counted
in the worker's memory meanwhile)."""
from engage import create_app
from engage.extensions import db, limiter
from tests.conftest import Browser, english_client

DEAD_REDIS = "redis://127.0.0.1:9/0"  # nothing listens on port 9


def test_sign_in_works_and_is_still_limited_when_redis_is_down(app, create_user):
    config = {key: app.config[key] for key in ("TESTING", "SQLALCHEMY_DATABASE_URI", "MAIL_BACKEND",
                                              "WTF_CSRF_ENABLED", "SERVER_NAME", "BASE_URL", "EXPORT_FOLDER",
                                              "TWO_FACTOR_REQUIRED_FOR_STAFF")}
    degraded = create_app({**config, "RATELIMIT_STORAGE_URI": DEAD_REDIS, "RATELIMIT_SIGN_IN": "5 per minute"})
    try:
        person = create_user()
        browser = Browser(english_client(degraded))
        signed_in = browser.submit("/account/sign-in", {"email": person.email, "password": person.password})
        assert signed_in.status_code == 302
        browser.sign_out()
        assert browser.submit("/account/forgot-password", {"email": person.email}).status_code == 302
        statuses = [browser.submit("/account/sign-in", {"email": person.email, "password": "not the password at all"})
                    .status_code for _ in range(6)]
        assert 500 not in statuses and statuses[-1] == 429, statuses
    finally:
        with degraded.app_context():
            db.engine.dispose()
        limiter.init_app(app)  # the limiter is one object: give it back the suite's own storage


# --- Every Redis role down, then back --------------------------------------------------------------

import shutil  # noqa: E402
import socket  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402

import pytest  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class RedisServer:
    """A redis-server of the test's own, to stop and start again on the same port."""

    def __init__(self, port: int):
        self.port, self.process = port, None

    def start(self):
        self.process = subprocess.Popen(["redis-server", "--port", str(self.port), "--save", "", "--appendonly", "no"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


@pytest.fixture
def own_redis():
    if shutil.which("redis-server") is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(_free_port())
    server.start()
    yield server
    if server.process.poll() is None:
        server.stop()


def test_with_every_redis_down_the_site_works_and_recovers_when_it_returns(app, create_user, create_round,
                                                                          create_proposal, clock, own_redis):
    """Rate limits, the page cache and the email queue all on one Redis, which stops: pages, sign-in, a
    comment and a password reset still work, the reset email waits in the outbox, /healthz says
    "degraded: redis"; Redis comes back and the site uses it again."""
    from redis import Redis

    from engage.core.outbox import OutboxMessage

    url = f"redis://127.0.0.1:{own_redis.port}/0"
    config = {key: app.config[key] for key in ("TESTING", "SQLALCHEMY_DATABASE_URI", "MAIL_BACKEND",
                                              "WTF_CSRF_ENABLED", "SERVER_NAME", "BASE_URL", "EXPORT_FOLDER",
                                              "TWO_FACTOR_REQUIRED_FOR_STAFF")}
    site = create_app({**config, "RATELIMIT_STORAGE_URI": url, "REDIS_URL": url, "CACHE_REDIS_URL": url,
                       "CACHE_TYPE": "RedisCache"})
    try:
        author = create_user()
        round_id = create_round(facilitators=[create_user(roles=("facilitator",))])
        proposal_id = create_proposal(round_id, author)
        clock.to_phase("call_for_proposals")
        visitor = english_client(site)
        assert visitor.get(f"/rounds/{round_id}").status_code == 200
        assert Redis.from_url(url).dbsize() > 0  # the cache and the limits are in Redis

        own_redis.stop()
        assert visitor.get(f"/rounds/{round_id}").status_code == 200
        assert visitor.get(f"/proposals/{proposal_id}").status_code == 200
        browser = Browser(english_client(site))
        assert browser.sign_in(create_user()).status_code == 302
        replied = browser.submit(f"/proposals/{proposal_id}/comments", {"body": "A remark written while Redis is down."})
        assert replied.status_code == 302
        forgetful = create_user()
        assert browser.submit("/account/forgot-password", {"email": forgetful.email}).status_code == 302
        health = visitor.get("/healthz")
        assert health.status_code == 200 and health.get_json()["status"] == "degraded"
        assert health.get_json()["failing"] == ["redis"]
        with site.app_context():
            assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == 1
            waiting = db.session.scalars(db.select(OutboxMessage.status)).all()
        assert waiting == ["pending"]  # the reset link: not queued through RQ, kept for the outbox worker

        own_redis.start()
        health = visitor.get("/healthz")
        assert health.status_code == 200 and health.get_json()["status"] == "ok"
        assert visitor.get(f"/proposals/{proposal_id}").status_code == 200
        assert Redis.from_url(url).dbsize() > 0  # in use again
    finally:
        with site.app_context():
            db.engine.dispose()
        limiter.init_app(app)


from engage.comments.models import Comment  # noqa: E402
