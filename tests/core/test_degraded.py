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
