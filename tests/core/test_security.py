"""Security baseline: headers, cookies and CSRF."""
from engage import create_app


def test_security_headers_on_every_response(browser):
    for url in ("/", "/account/sign-in", "/nope", "/healthz", "/static/css/engage.css"):
        response = browser.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in csp, (url, directive)
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"]
        assert "Strict-Transport-Security" not in response.headers  # development


def test_production_adds_hsts_and_secure_cookies(monkeypatch, tmp_path):
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret")
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"})
    assert app.config["SESSION_COOKIE_SECURE"] and app.config["REMEMBER_COOKIE_SECURE"]
    assert app.config["SESSION_COOKIE_HTTPONLY"] and app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
    response = app.test_client().get("/privacy")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_production_needs_a_secret_key(monkeypatch):
    import pytest

    from engage.config import ConfigError

    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError):
        create_app()


def test_session_cookie_flags(browser, create_user):
    person = create_user()
    response = browser.sign_in(person)
    session_cookie = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("session=")][0]
    assert "HttpOnly" in session_cookie and "SameSite=Lax" in session_cookie


def test_post_without_csrf_token_is_rejected(browser, create_user):
    person = create_user()
    response = browser.client.post("/account/sign-in", data={"email": person.email, "password": person.password})
    assert response.status_code == 400
    assert "The form had expired" in response.get_data(as_text=True)
    response = browser.client.post("/account/sign-in", data={"email": person.email, "password": person.password, "csrf_token": "forged"})
    assert response.status_code == 400


def test_csrf_on_every_state_changing_form(browser, create_user):
    admin = create_user(roles=("admin",))
    target = create_user()
    browser.sign_in(admin)
    for url in (
        "/account/", "/account/password", "/account/email", "/account/sign-out", "/language",
        f"/admin/users/{target.id}/roles/facilitator", f"/admin/users/{target.id}/deactivate",
    ):
        response = browser.client.post(url, data={"locale": "es", "grant": "1", "display_name": "x y"})
        assert response.status_code == 400, url
    # Nothing changed.
    assert browser.get("/account/").status_code == 200


def test_nul_characters_are_refused_not_crashing(browser, create_user):
    """PostgreSQL cannot store NUL in text; such input gets a 400, never a 500."""
    browser.sign_in(create_user())
    assert browser.get("/rounds/?q=a%00b").status_code == 400
    response = browser.submit("/account/", {"display_name": "Name\x00", "locale": "en", "bio": ""})
    assert response.status_code == 400
    assert "The request could not be understood." in response.get_data(as_text=True)
