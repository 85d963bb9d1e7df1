"""Links that leave the site come from BASE_URL, and production answers only its own host names."""
import pytest

from engage import create_app

FORGED = {"Host": "attacker.example", "X-Forwarded-Host": "attacker.example"}


@pytest.fixture
def without_csrf(app):
    # A forged Host gets no cookies from the test client, so no session for the CSRF token: the check is
    # not what these tests are about.
    app.config["WTF_CSRF_ENABLED"] = False
    yield
    app.config["WTF_CSRF_ENABLED"] = True


def test_a_reset_link_points_at_the_site_whatever_the_host_header(browser, create_user, outbox, without_csrf):
    person = create_user()
    response = browser.client.post("/account/forgot-password", data={"email": person.email}, headers=FORGED)
    assert response.status_code == 302
    link = outbox.last_link(person.email, "/account/reset-password/")
    assert link.startswith("http://localhost/account/reset-password/"), link
    assert "attacker" not in outbox.to(person.email)[-1].text


def test_a_confirmation_link_points_at_the_site_whatever_the_host_header(browser, outbox, without_csrf):
    data = {"display_name": "Olena", "email": "olena@example.org", "password": "linden trees along the dnipro",
            "locale": "en", "accept_privacy": "y"}
    browser.client.post("/account/register", data=data, headers=FORGED)
    link = outbox.last_link("olena@example.org", "/account/confirm/")
    assert link.startswith("http://localhost/account/confirm/"), link


def test_an_email_change_link_points_at_the_site(app, browser, create_user, outbox):
    person = create_user()
    browser.sign_in(person)
    app.config["WTF_CSRF_ENABLED"] = False
    # The session cookie belongs to localhost: send it along with the forged host by hand.
    cookie = browser.client.get_cookie("session")
    by_hand = app.test_client(use_cookies=False)
    by_hand.post("/account/email", data={"email": "new@example.org", "current_password": person.password},
                 headers={**FORGED, "Cookie": f"session={cookie.value}"})
    app.config["WTF_CSRF_ENABLED"] = True
    link = outbox.last_link("new@example.org", "/account/email/confirm/")
    assert link.startswith("http://localhost/account/email/confirm/"), link


def test_api_links_ignore_the_host_header(browser, create_round):
    create_round()
    data = browser.get("/api/v1/rounds", headers=FORGED).get_json()
    assert data["items"] and all(item["url"].startswith("http://localhost/rounds/") for item in data["items"])
    document = browser.get("/api/v1/openapi.json", headers=FORGED).get_json()
    assert document["servers"][0]["url"].startswith("http://localhost/")


def _production(monkeypatch, tmp_path, **env):
    monkeypatch.setenv("ENGAGE_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "a-long-production-secret")
    monkeypatch.setenv("BASE_URL", "https://engage.kyiv.example")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/p.sqlite"}).test_client()


def test_production_answers_only_the_host_of_base_url(monkeypatch, tmp_path):
    client = _production(monkeypatch, tmp_path)
    assert client.get("/privacy", base_url="https://engage.kyiv.example").status_code == 200
    refused = client.get("/privacy", base_url="https://attacker.example")
    assert refused.status_code == 400 and "attacker" not in refused.get_data(as_text=True)
    assert client.get("/account/forgot-password", base_url="https://attacker.example").status_code == 400


def test_a_forwarded_host_outside_the_list_is_refused(monkeypatch, tmp_path):
    client = _production(monkeypatch, tmp_path, TRUSTED_PROXIES="1")
    ok = client.get("/privacy", base_url="https://engage.kyiv.example",
                    headers={"X-Forwarded-Host": "engage.kyiv.example"})
    assert ok.status_code == 200
    forged = client.get("/privacy", base_url="https://engage.kyiv.example",
                        headers={"X-Forwarded-Host": "attacker.example"})
    assert forged.status_code == 400


def test_trusted_hosts_can_name_several_and_subdomains(monkeypatch, tmp_path):
    client = _production(monkeypatch, tmp_path, TRUSTED_HOSTS="engage.kyiv.example, .kyivcity.example")
    assert client.get("/privacy", base_url="https://engage.kyiv.example").status_code == 200
    assert client.get("/privacy", base_url="https://consult.kyivcity.example").status_code == 200
    assert client.get("/privacy", base_url="https://kyivcity.example.attacker.example").status_code == 400
