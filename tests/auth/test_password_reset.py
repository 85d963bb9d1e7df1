"""Password reset by emailed token."""
from tests.conftest import path_of

NEW = "linden trees along the dnipro"


def test_reset_flow(browser, create_user, outbox):
    person = create_user()
    response = browser.submit("/account/forgot-password", {"email": person.email}, follow_redirects=True)
    assert f"If an account exists for {person.email}" in response.get_data(as_text=True)
    link = path_of(outbox.last_link(person.email, "/account/reset-password/"))
    assert browser.get(link).status_code == 200
    response = browser.submit(link, {"password": NEW, "confirm": NEW})
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/sign-in")
    # Old password no longer works, new one does.
    old = browser.submit("/account/sign-in", {"email": person.email, "password": person.password})
    assert old.status_code == 200
    new = browser.submit("/account/sign-in", {"email": person.email, "password": NEW})
    assert new.status_code == 302


def test_reset_link_works_only_once(browser, create_user, outbox):
    person = create_user()
    browser.submit("/account/forgot-password", {"email": person.email})
    link = path_of(outbox.last_link(person.email, "/account/reset-password/"))
    browser.submit(link, {"password": NEW, "confirm": NEW})
    response = browser.get(link, follow_redirects=True)
    assert "expired or was already used" in response.get_data(as_text=True)


def test_reset_link_expires(app, browser, create_user, outbox):
    person = create_user()
    browser.submit("/account/forgot-password", {"email": person.email})
    link = path_of(outbox.last_link(person.email, "/account/reset-password/"))
    app.config["RESET_TOKEN_MAX_AGE"] = -1
    try:
        response = browser.get(link, follow_redirects=True)
    finally:
        app.config["RESET_TOKEN_MAX_AGE"] = 3600
    assert "expired or was already used" in response.get_data(as_text=True)


def test_reset_validation_errors(browser, create_user, outbox):
    person = create_user()
    browser.submit("/account/forgot-password", {"email": person.email})
    link = path_of(outbox.last_link(person.email, "/account/reset-password/"))
    cases = [
        ({"password": "", "confirm": ""}, "Enter a password."),
        ({"password": "tiny", "confirm": "tiny"}, "between 10 and 128"),
        ({"password": "qwertyuiop", "confirm": "qwertyuiop"}, "too common"),
        ({"password": NEW, "confirm": NEW + "x"}, "The two passwords do not match."),
    ]
    for data, expected in cases:
        response = browser.submit(link, data)
        assert response.status_code == 200
        assert expected in response.get_data(as_text=True), expected


def test_reset_never_reveals_whether_an_account_exists(browser, create_user, outbox):
    person = create_user()
    known = browser.submit("/account/forgot-password", {"email": person.email}, follow_redirects=True)
    unknown = browser.submit("/account/forgot-password", {"email": "ghost@example.org"}, follow_redirects=True)
    assert known.status_code == unknown.status_code == 200
    strip = lambda r, e: r.get_data(as_text=True).replace(e, "EMAIL")  # noqa: E731
    import re

    def body(r, e):
        return re.sub(r'value="[^"]+"', "", strip(r, e))

    assert body(known, person.email) == body(unknown, "ghost@example.org")
    assert outbox.to(person.email) and not outbox.to("ghost@example.org")


def test_reset_is_rate_limited(browser, create_user):
    token = browser.csrf_token("/account/forgot-password")
    statuses = [
        browser.client.post("/account/forgot-password", data={"email": "a@example.org", "csrf_token": token}).status_code
        for _ in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
