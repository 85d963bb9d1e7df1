"""Registration and email confirmation."""
from sqlalchemy import select

from engage.auth.models import User
from engage.extensions import db
from tests.conftest import path_of

GOOD = {
    "display_name": "Оксана Петренко",
    "email": "Oksana@Example.org",
    "password": "chestnut tram on khreshchatyk",
    "locale": "uk",
    "accept_privacy": "y",
}


def _user(app, email):
    with app.app_context():
        return db.session.scalar(select(User).where(User.email == email))


def test_register_creates_unconfirmed_account_and_sends_link(app, browser, outbox):
    response = browser.submit("/account/register", GOOD)
    assert response.status_code == 302
    assert "/account/check-email" in response.headers["Location"]
    user = _user(app, "oksana@example.org")
    assert user is not None and user.email_confirmed_at is None
    assert user.privacy_accepted_at is not None
    assert user.password_hash.startswith("scrypt:")
    assert user.locale == "uk"
    [message] = outbox.to("oksana@example.org")
    # The message is written in the person's chosen language.
    assert message.subject.startswith("Підтвердьте адресу")
    assert "/account/confirm/" in message.text


def test_confirmation_link_confirms_then_sign_in_works(app, browser, outbox):
    browser.submit("/account/register", GOOD)
    link = outbox.last_link("oksana@example.org", "/account/confirm/")
    response = browser.get(path_of(link))
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/sign-in")
    assert _user(app, "oksana@example.org").email_confirmed_at is not None
    response = browser.submit("/account/sign-in", {"email": "oksana@example.org", "password": GOOD["password"]})
    assert response.status_code == 302


def test_unconfirmed_account_cannot_sign_in(browser, outbox):
    browser.submit("/account/register", GOOD)
    response = browser.submit("/account/sign-in", {"email": "oksana@example.org", "password": GOOD["password"]})
    assert response.status_code == 200
    assert "confirm your email address first" in response.get_data(as_text=True)


def test_tampered_or_expired_confirmation_link_is_refused(app, browser, outbox):
    browser.submit("/account/register", GOOD)
    link = outbox.last_link("oksana@example.org", "/account/confirm/")
    response = browser.get(path_of(link) + "x", follow_redirects=True)
    assert "not valid" in response.get_data(as_text=True)
    app.config["CONFIRM_TOKEN_MAX_AGE"] = -1
    try:
        response = browser.get(path_of(link), follow_redirects=True)
    finally:
        app.config["CONFIRM_TOKEN_MAX_AGE"] = 48 * 3600
    assert "expired" in response.get_data(as_text=True)
    assert _user(app, "oksana@example.org").email_confirmed_at is None


def test_resend_confirmation(browser, outbox):
    browser.submit("/account/register", GOOD)
    response = browser.submit("/account/confirm", {"email": "oksana@example.org"})
    assert response.status_code == 302
    assert len(outbox.to("oksana@example.org")) == 2


def _errors_for(response):
    return response.get_data(as_text=True)


def test_every_validation_error_keeps_the_input(browser):
    cases = [
        ({"display_name": ""}, "Enter a display name."),
        ({"display_name": "x"}, "The display name must be between 2 and 80 characters."),
        ({"email": ""}, "Enter your email address."),
        ({"email": "not-an-email"}, "Enter a valid email address"),
        ({"password": ""}, "Enter a password."),
        ({"password": "short"}, "The password must be between 10 and 128 characters."),
        ({"password": "x" * 129}, "The password must be between 10 and 128 characters."),
        ({"password": "password123"}, "This password is too common."),
        ({"accept_privacy": ""}, "You need to agree to the privacy notice"),
        ({"locale": "xx"}, "Not a valid choice"),
    ]
    for change, expected in cases:
        data = dict(GOOD, **change)
        response = browser.submit("/account/register", data)
        html = response.get_data(as_text=True)
        assert response.status_code == 200, change
        assert expected in html, (change, expected)
        assert "There is a problem" in html
        assert 'aria-invalid="true"' in html
        # What the person typed comes back (except the password).
        if "display_name" not in change:
            assert "Оксана Петренко" in html
        if "email" not in change:
            assert 'value="oksana@example.org"' in html
        assert GOOD["password"] not in html


def test_error_message_is_tied_to_its_field(browser):
    response = browser.submit("/account/register", dict(GOOD, email="nope"))
    html = response.get_data(as_text=True)
    assert 'aria-describedby="email-error"' in html
    assert 'id="email-error"' in html


def test_registering_an_existing_email_reveals_nothing(app, browser, outbox, create_user):
    existing = create_user("taken@example.org")
    fresh = browser.submit("/account/register", dict(GOOD, email="new@example.org"))
    taken = browser.submit("/account/register", dict(GOOD, email="taken@example.org"))
    assert fresh.status_code == taken.status_code == 302
    assert fresh.headers["Location"].split("?")[0] == taken.headers["Location"].split("?")[0]
    # The owner of the address is told instead, and nothing else changes.
    [notice] = outbox.to("taken@example.org")
    assert "/account/forgot-password" in notice.text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.email == "taken@example.org")).id == existing.id
        assert db.session.scalar(select(db.func.count(User.id)).where(User.email == "taken@example.org")) == 1


def test_registering_an_existing_email_costs_the_same_work(app, browser, create_user, monkeypatch):
    # Hashing the password is nearly all the time a registration takes: it is done for a known address
    # too, so the answer's timing does not tell whether an account exists.
    from engage.auth import services

    calls = []
    real = services.hash_password
    monkeypatch.setattr(services, "hash_password", lambda password: calls.append(password) or real(password))
    create_user("taken@example.org")
    calls.clear()
    browser.submit("/account/register", dict(GOOD, email="new@example.org"))
    browser.submit("/account/register", dict(GOOD, email="taken@example.org"))
    assert calls == [GOOD["password"], GOOD["password"]]
