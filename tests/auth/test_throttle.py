"""Per-account throttling: a growing wait after repeated failures, a temporary lock with an email to
the owner and a note for administrators; the same answers for addresses without an account."""
from datetime import datetime, timedelta, timezone

import pytest

from engage.extensions import db, limiter
from tests.conftest import english_client

WRONG = "not the password at all"
WAIT = "Too many failed attempts. Wait"
LOCKED = "Signing in with it is paused until"


@pytest.fixture
def wall(monkeypatch):
    """The real clock of sessions and throttling, moved by hand."""
    from engage.auth import sessions, throttle

    class Wall:
        now = datetime.now(timezone.utc)

        def __call__(self):
            return self.now

        def advance(self, **delta):
            self.now += timedelta(**delta)

    wall = Wall()
    monkeypatch.setattr(throttle, "wall_clock", wall)
    monkeypatch.setattr(sessions, "wall_clock", wall)
    return wall


def attempt(browser, email, password):
    limiter.reset()  # the per-address limit is another guard, tested on its own
    return browser.submit("/account/sign-in", {"email": email, "password": password}).get_data(as_text=True)


def fail(browser, wall, email, times):
    for _ in range(times):
        wall.advance(seconds=61)  # past any wait
        assert "The email address or password is not correct." in attempt(browser, email, WRONG)


def test_a_growing_wait_after_three_failures(browser, create_user, wall):
    person = create_user()
    fail(browser, wall, person.email, 3)
    refused = attempt(browser, person.email, person.password)  # even the right password waits
    assert "Wait 2 seconds, then try again." in refused
    wall.advance(seconds=3)
    assert "The email address or password is not correct." in attempt(browser, person.email, WRONG)
    assert "Wait 4 seconds" in attempt(browser, person.email, person.password)
    wall.advance(seconds=5)
    assert browser.submit("/account/sign-in", {"email": person.email, "password": person.password}).status_code == 302
    browser.sign_out()
    # A success starts the count again.
    fail(browser, wall, person.email, 1)
    wall.advance(seconds=0)
    assert browser.submit("/account/sign-in", {"email": person.email, "password": person.password}).status_code == 302


def test_ten_failures_lock_the_account_and_tell_its_owner(app, browser, create_user, wall, outbox):
    person = create_user()
    admin = create_user("chief@example.org", roles=("admin",))
    fail(browser, wall, person.email, 10)
    [notice] = outbox.to(person.email)
    assert notice.subject.startswith("Signing in to your account is paused")
    assert "/account/forgot-password" in notice.text
    wall.advance(minutes=5)
    assert LOCKED in attempt(browser, person.email, person.password)
    # Administrators see the lock and may lift it.
    staff = type(browser)(english_client(app))
    staff.sign_in(admin)
    page = staff.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert "Sign-in locked" in page and "After 10 failed attempts" in page
    assert staff.submit(f"/admin/users/{person.id}/unlock", form_url=f"/admin/users/{person.id}").status_code == 302
    assert "Sign-in locked" not in staff.get(f"/admin/users/{person.id}").get_data(as_text=True)
    assert browser.submit("/account/sign-in", {"email": person.email, "password": person.password}).status_code == 302


def test_a_lock_ends_by_itself(browser, create_user, wall):
    person = create_user()
    fail(browser, wall, person.email, 10)
    wall.advance(minutes=14)
    assert LOCKED in attempt(browser, person.email, person.password)
    wall.advance(minutes=2)
    assert browser.submit("/account/sign-in", {"email": person.email, "password": person.password}).status_code == 302


def test_an_address_without_an_account_gets_the_same_answers(browser, create_user, wall, outbox):
    person = create_user()
    answers = {}
    for email in (person.email, "nobody@example.org"):
        fail(browser, wall, email, 3)
        wait = attempt(browser, email, WRONG)
        fail(browser, wall, email, 7)
        locked = attempt(browser, email, WRONG)
        answers[email] = [page.replace(email, "EMAIL") for page in (wait, locked)]
        assert WAIT in wait and LOCKED in locked
    strip = lambda page: __import__("re").sub(r'value="[^"]+"|until [^;]+;', "", page)  # noqa: E731
    assert [strip(p) for p in answers[person.email]] == [strip(p) for p in answers["nobody@example.org"]]
    assert not outbox.to("nobody@example.org")


def test_every_instance_counts_the_same_failures(app, browser, create_user, wall):
    """The count lives in the database: a second app on the same database (another worker or machine)
    sees the failures made through the first."""
    from engage import create_app
    from tests.conftest import Browser

    other_app = create_app({key: app.config[key] for key in (
        "TESTING", "SQLALCHEMY_DATABASE_URI", "MAIL_BACKEND", "RATELIMIT_STORAGE_URI", "WTF_CSRF_ENABLED",
        "SERVER_NAME", "BASE_URL", "EXPORT_FOLDER")})
    person = create_user()
    fail(browser, wall, person.email, 3)
    elsewhere = Browser(english_client(other_app))
    with other_app.app_context():
        page = elsewhere.submit("/account/sign-in", {"email": person.email, "password": person.password})
        assert "Wait 2 seconds" in page.get_data(as_text=True)
        db.engine.dispose()
