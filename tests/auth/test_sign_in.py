"""Sign-in, sign-out, remember me, deactivation and rate limits."""
from engage.extensions import db
from engage.auth.models import User


def test_sign_in_and_out(browser, create_user):
    person = create_user()
    response = browser.sign_in(person)
    assert response.headers["Location"] == "/"
    page = browser.get("/account/").get_data(as_text=True)
    assert person.email in page
    browser.sign_out()
    assert browser.get("/account/").status_code == 302


def test_sign_in_follows_only_local_next(browser, create_user):
    person = create_user()
    response = browser.submit(
        "/account/sign-in?next=/account/", {"email": person.email, "password": person.password, "next": "/account/"}
    )
    assert response.headers["Location"] == "/account/"
    browser.sign_out()
    for evil in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = browser.submit("/account/sign-in", {"email": person.email, "password": person.password, "next": evil})
        assert response.headers["Location"] == "/", evil
        browser.sign_out()


def test_wrong_password_and_unknown_email_look_the_same(browser, create_user):
    person = create_user()
    wrong = browser.submit("/account/sign-in", {"email": person.email, "password": "not the password at all"})
    unknown = browser.submit("/account/sign-in", {"email": "nobody@example.org", "password": "not the password at all"})
    assert wrong.status_code == unknown.status_code == 200
    message = "The email address or password is not correct."
    assert message in wrong.get_data(as_text=True)
    assert message in unknown.get_data(as_text=True)
    # The email typed comes back; the password does not.
    assert f'value="{person.email}"' in wrong.get_data(as_text=True)
    assert "not the password at all" not in wrong.get_data(as_text=True)


def test_sign_in_validation_errors(browser):
    response = browser.submit("/account/sign-in", {"email": "", "password": ""})
    html = response.get_data(as_text=True)
    assert "Enter your email address." in html and "Enter your password." in html


def test_deactivated_user_is_refused(browser, create_user):
    person = create_user(active=False)
    response = browser.submit("/account/sign-in", {"email": person.email, "password": person.password})
    assert response.status_code == 200
    assert "deactivated" in response.get_data(as_text=True)
    assert browser.get("/account/").status_code == 302


def test_deactivation_ends_an_open_session(app, browser, create_user):
    person = create_user()
    browser.sign_in(person)
    assert browser.get("/account/").status_code == 200
    with app.app_context():
        user = db.session.get(User, person.id)
        user.active = False
        db.session.commit()
    assert browser.get("/account/").status_code == 302


def test_remember_me_sets_a_persistent_cookie(browser, create_user):
    person = create_user()
    response = browser.sign_in(person, remember=True)
    cookies = response.headers.getlist("Set-Cookie")
    remember = [c for c in cookies if c.startswith("remember_token=")]
    assert remember and "HttpOnly" in remember[0] and "Expires=" in remember[0]


def test_without_remember_me_no_persistent_cookie(browser, create_user):
    person = create_user()
    response = browser.sign_in(person)
    assert not [c for c in response.headers.getlist("Set-Cookie") if c.startswith("remember_token=")]


def test_sign_out_needs_post(browser, create_user):
    person = create_user()
    browser.sign_in(person)
    assert browser.get("/account/sign-out").status_code == 405
    assert browser.get("/account/").status_code == 200


def test_sign_in_is_rate_limited(browser, create_user):
    person = create_user()
    token = browser.csrf_token("/account/sign-in")
    statuses = [
        browser.client.post("/account/sign-in", data={"email": person.email, "password": "wrong password!", "csrf_token": token}).status_code
        for _ in range(11)
    ]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429
    # Even the right password is refused until the window passes.
    response = browser.client.post("/account/sign-in", data={"email": person.email, "password": person.password, "csrf_token": token})
    assert response.status_code == 429
    assert "Too many attempts" in response.get_data(as_text=True)
    # Reading the form is not limited.
    assert browser.get("/account/sign-in").status_code == 200
