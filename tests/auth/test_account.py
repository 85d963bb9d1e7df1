"""Profile, change password, change email."""
from engage.auth.models import User
from engage.extensions import db
from tests.conftest import path_of

NEW = "poplar seeds drifting in june"


def test_account_pages_need_sign_in(browser):
    for url in ("/account/", "/account/password", "/account/email"):
        response = browser.get(url)
        assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]


def test_update_profile(app, browser, create_user):
    person = create_user()
    browser.sign_in(person)
    response = browser.submit("/account/", {"display_name": "Нове ім'я", "locale": "es", "bio": "Живу на Оболоні."})
    assert response.status_code == 302
    with app.app_context():
        user = db.session.get(User, person.id)
        assert (user.display_name, user.locale, user.bio) == ("Нове ім'я", "es", "Живу на Оболоні.")


def test_profile_validation_keeps_input(browser, create_user):
    person = create_user()
    browser.sign_in(person)
    response = browser.submit("/account/", {"display_name": "", "locale": "en", "bio": "b" * 501})
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Enter a display name." in html and "The bio can be at most 500 characters." in html
    assert "b" * 501 in html


def test_change_password(browser, create_user):
    person = create_user()
    browser.sign_in(person)
    response = browser.submit("/account/password", {"current_password": person.password, "password": NEW, "confirm": NEW})
    assert response.status_code == 302
    # This session stays signed in.
    assert browser.get("/account/").status_code == 200
    browser.sign_out()
    assert browser.submit("/account/sign-in", {"email": person.email, "password": NEW}).status_code == 302


def test_change_password_signs_out_other_sessions(app, create_user):
    from tests.conftest import Browser

    person = create_user()
    first, second = Browser(app.test_client()), Browser(app.test_client())
    first.sign_in(person)
    second.sign_in(person)
    first.submit("/account/password", {"current_password": person.password, "password": NEW, "confirm": NEW})
    assert first.get("/account/").status_code == 200
    assert second.get("/account/").status_code == 302


def test_change_password_errors(browser, create_user):
    person = create_user()
    browser.sign_in(person)
    cases = [
        ({"current_password": "wrong one here", "password": NEW, "confirm": NEW}, "The current password is not correct."),
        ({"current_password": person.password, "password": "short", "confirm": "short"}, "between 10 and 128"),
        ({"current_password": person.password, "password": NEW, "confirm": "other"}, "The two passwords do not match."),
        ({"current_password": "", "password": NEW, "confirm": NEW}, "Enter your current password."),
    ]
    for data, expected in cases:
        response = browser.submit("/account/password", data)
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True)


def test_change_email(app, browser, create_user, outbox):
    person = create_user()
    browser.sign_in(person)
    response = browser.submit("/account/email", {"email": "New.Address@example.org", "current_password": person.password})
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(User, person.id).email == person.email  # not yet
    link = path_of(outbox.last_link("new.address@example.org", "/account/email/confirm/"))
    browser.get(link)
    with app.app_context():
        assert db.session.get(User, person.id).email == "new.address@example.org"
    # The old address is told.
    assert outbox.to(person.email)


def test_change_email_errors(browser, create_user, outbox):
    person = create_user()
    other = create_user()
    browser.sign_in(person)
    response = browser.submit("/account/email", {"email": "x@example.org", "current_password": "wrong password"})
    assert "The current password is not correct." in response.get_data(as_text=True)
    assert 'value="x@example.org"' in response.get_data(as_text=True)
    response = browser.submit("/account/email", {"email": person.email, "current_password": person.password})
    assert "This is already your email address." in response.get_data(as_text=True)
    response = browser.submit("/account/email", {"email": "bad", "current_password": person.password})
    assert "Enter a valid email address" in response.get_data(as_text=True)
    # Another account's address: same answer as any other, and no link is sent.
    response = browser.submit("/account/email", {"email": other.email, "current_password": person.password})
    assert response.status_code == 302
    assert not outbox.to(other.email)
