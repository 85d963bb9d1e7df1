"""Two-factor sign-in: staff must enrol before any staff page, residents may; codes are single-use and
throttled; recovery codes work once; sensitive changes ask for the password and a code again."""
import re
import time

import pyotp
import pytest
from sqlalchemy import select

from engage.auth.models import User
from engage.extensions import db, limiter
from tests.conftest import Browser, english_client

QR = re.compile(r"<svg[^>]*>")
SECRET_RE = re.compile(r'<code class="secret-key">([A-Z2-7]+)</code>')


@pytest.fixture
def required(app):
    app.config["TWO_FACTOR_REQUIRED_FOR_STAFF"] = True
    yield
    app.config["TWO_FACTOR_REQUIRED_FOR_STAFF"] = False


def enrol(browser):
    """Enrol the signed-in person through the pages; return (secret, recovery codes)."""
    page = browser.get("/account/two-factor").get_data(as_text=True)
    assert QR.search(page), "the QR code is drawn on the page as SVG"
    secret = SECRET_RE.search(page).group(1)
    done = browser.submit("/account/two-factor", {"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10
    return secret, codes


def enrolled(app, create_user, roles):
    """A person with these roles, enrolled through the pages, signed out: (browser, person, secret, codes)."""
    person = create_user(roles=roles)
    browser = Browser(english_client(app))
    browser.sign_in(person)
    secret, codes = enrol(browser)
    browser.sign_out()
    return browser, person, secret, codes


def code_at(secret, offset_steps=0):
    return pyotp.TOTP(secret).at(time.time() + 30 * offset_steps)


def password_step(browser, person, remember=False):
    limiter.reset()
    return browser.submit("/account/sign-in", {"email": person.email, "password": person.password,
                                               "remember": "y" if remember else ""})


def test_staff_reach_nothing_before_enrolling(app, browser, create_user, required):
    moderator = create_user(roles=("moderator",))
    browser.sign_in(moderator)
    for url in ("/moderation/", "/", "/account/", "/admin/audit/"):
        response = browser.get(url)
        assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor", url
    wrong = browser.submit("/account/two-factor", {"code": "000000"})
    assert wrong.status_code == 422 and "This code is not correct" in wrong.get_data(as_text=True)
    enrol(browser)
    assert browser.get("/moderation/").status_code == 200
    with app.app_context():
        assert db.session.get(User, moderator.id).has_two_factor


def test_a_resident_given_a_staff_role_enrols_next(app, browser, create_user, required):
    resident = create_user("taras@example.org")
    browser.sign_in(resident)
    assert browser.get("/account/").status_code == 200  # residents need not
    from engage.auth import services
    from engage.core.permissions import Role

    with app.app_context():
        services.grant_role(db.session.get(User, resident.id), Role.FACILITATOR)
        db.session.commit()
    assert browser.get("/account/").headers["Location"] == "/account/two-factor"


def test_signing_in_asks_for_a_code_that_works_once(app, create_user, required):
    first, person, secret, _ = enrolled(app, create_user, ("facilitator",))
    response = password_step(first, person)
    assert response.headers["Location"] == "/account/sign-in/code"
    assert first.get("/account/").status_code == 302, "not signed in after the password alone"
    wrong = first.submit("/account/sign-in/code", {"code": "123456"})
    assert "This code is not correct" in wrong.get_data(as_text=True)
    code = code_at(secret, +1)  # the next step: the enrolment used this one
    assert first.submit("/account/sign-in/code", {"code": code}).status_code == 302
    assert first.get("/account/").status_code == 200
    # The same code does not sign in a second browser.
    second = Browser(english_client(app))
    password_step(second, person)
    again = second.submit("/account/sign-in/code", {"code": code})
    assert again.status_code == 200 and second.get("/account/").status_code == 302


def test_a_recovery_code_signs_in_once(app, create_user, required):
    browser, person, _, codes = enrolled(app, create_user, ("admin",))
    password_step(browser, person)
    assert browser.submit("/account/sign-in/code", {"code": codes[0].upper()}).status_code == 302
    browser.sign_out()
    password_step(browser, person)
    assert browser.submit("/account/sign-in/code", {"code": codes[0]}).status_code == 200
    assert "8 recovery codes left." in _signed_in_with(browser, codes[1]).get("/account/two-factor").get_data(as_text=True)
    from engage.audit.models import AuditEvent

    with app.app_context():
        assert db.session.scalar(select(db.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "two_factor.recovery_used")) == 2


def _signed_in_with(browser, code):
    assert browser.submit("/account/sign-in/code", {"code": code}).status_code == 302
    return browser


def test_wrong_codes_are_throttled_like_passwords(app, create_user, required):
    browser, person, secret, _ = enrolled(app, create_user, ("facilitator",))
    password_step(browser, person)
    for _ in range(3):
        limiter.reset()
        browser.submit("/account/sign-in/code", {"code": "111111"})
    limiter.reset()
    held = browser.submit("/account/sign-in/code", {"code": code_at(secret, +1)})
    assert "Too many failed attempts" in held.get_data(as_text=True)
    assert browser.get("/account/").status_code == 302


def test_the_code_step_expires(app, create_user, required):
    browser, person, secret, _ = enrolled(app, create_user, ("facilitator",))
    password_step(browser, person)
    with browser.client.session_transaction() as session:
        session["two_factor"] = dict(session["two_factor"], since=time.time() - 301)
    response = browser.submit("/account/sign-in/code", {"code": code_at(secret, +1)}, form_url="/account/sign-in")
    assert response.status_code == 302 and response.headers["Location"] == "/account/sign-in"


def test_residents_may_turn_it_on_and_off_with_password_and_code(app, browser, create_user):
    person = create_user()
    browser.sign_in(person)
    secret, _ = enrol(browser)
    without_code = browser.submit("/account/two-factor/disable", {"current_password": person.password, "code": ""},
                                  form_url="/account/two-factor")
    assert without_code.status_code == 422
    wrong_password = browser.submit("/account/two-factor/disable",
                                    {"current_password": "not my password", "code": code_at(secret, +1)},
                                    form_url="/account/two-factor")
    assert "The current password is not correct." in wrong_password.get_data(as_text=True)
    # A wrong password does not use up the code typed with it.
    off = browser.submit("/account/two-factor/disable", {"current_password": person.password,
                                                         "code": code_at(secret, +1)},
                         form_url="/account/two-factor")
    assert off.status_code == 302
    with app.app_context():
        assert not db.session.get(User, person.id).has_two_factor


def test_staff_cannot_turn_it_off(app, browser, create_user, required):
    person = create_user(roles=("moderator",))
    browser.sign_in(person)
    secret, _ = enrol(browser)
    browser.submit("/account/two-factor/disable", {"current_password": person.password, "code": code_at(secret, +1)},
                   form_url="/account/two-factor")
    with app.app_context():
        assert db.session.get(User, person.id).has_two_factor


def test_changing_the_email_needs_a_code_when_it_is_on(app, browser, create_user, outbox):
    person = create_user()
    browser.sign_in(person)
    secret, _ = enrol(browser)
    refused = browser.submit("/account/email", {"email": "new@example.org", "current_password": person.password,
                                                "code": "000000"})
    assert "This code is not correct" in refused.get_data(as_text=True) and not outbox.to("new@example.org")
    browser.submit("/account/email", {"email": "new@example.org", "current_password": person.password,
                                      "code": code_at(secret, +1)})
    assert outbox.to("new@example.org")


def test_granting_a_role_needs_a_recent_proof_of_identity(app, browser, create_user):
    admin = create_user("chief@example.org", roles=("admin",))
    person = create_user("taras@example.org")
    browser.sign_in(admin)
    with browser.client.session_transaction() as session:
        session["reauth_at"] = time.time() - 11 * 60
    url = f"/admin/users/{person.id}"
    asked = browser.submit(f"{url}/roles/facilitator", {"grant": "1"}, form_url=url)
    assert asked.status_code == 302 and "/account/confirm-identity" in asked.headers["Location"]
    with app.app_context():
        assert not db.session.get(User, person.id).role_names
    confirmed = browser.submit("/account/confirm-identity", {"current_password": admin.password, "next": url})
    assert confirmed.headers["Location"] == url
    browser.submit(f"{url}/roles/facilitator", {"grant": "1"}, form_url=url)
    with app.app_context():
        assert db.session.get(User, person.id).role_names == {"facilitator"}


def test_demo_staff_get_codes_from_the_command(app, runner):
    result = runner.invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    from engage.core.demo import DEMO_TOTP_SECRET

    code = runner.invoke(args=["demo", "code", "admin@example.org"])
    assert code.exit_code == 0 and code.output.strip() in {code_at(DEMO_TOTP_SECRET, n) for n in (-1, 0, 1)}
    assert runner.invoke(args=["demo", "code", "someone@example.org"]).exit_code != 0
    app.config["ENGAGE_ENV"] = "production"
    try:
        assert runner.invoke(args=["demo", "code", "admin@example.org"]).exit_code != 0
    finally:
        app.config["ENGAGE_ENV"] = "testing"


def test_new_recovery_codes_replace_the_old_ones(app, create_user):
    browser, person, secret, old = enrolled(app, create_user, ())
    password_step(browser, person)
    assert browser.submit("/account/sign-in/code", {"code": code_at(secret, +1)}).status_code == 302
    refused = browser.submit("/account/two-factor/recovery-codes", {"current_password": person.password, "code": ""},
                             form_url="/account/two-factor")
    assert refused.status_code == 422 and "This code is not correct" in refused.get_data(as_text=True)
    # The app's next code is not due yet (the sign-in used it): a recovery code confirms as well.
    made = browser.submit("/account/two-factor/recovery-codes",
                          {"current_password": person.password, "code": old[1]}, form_url="/account/two-factor")
    new = re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", made.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)
    browser.sign_out()
    password_step(browser, person)
    assert browser.submit("/account/sign-in/code", {"code": old[0]}).status_code == 200  # the old ones are gone
    assert browser.submit("/account/sign-in/code", {"code": new[0]}).status_code == 302
