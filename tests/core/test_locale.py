"""Locale negotiation: user preference > cookie > Accept-Language > default."""
import re

from engage.core.i18n import LOCALE_COOKIE


def lang_of(response) -> str:
    return re.search(r'<html lang="([a-z]+)"', response.get_data(as_text=True)).group(1)


def test_default_locale_is_ukrainian(app):
    client = app.test_client()
    response = client.get("/")
    assert lang_of(response) == "uk"
    assert "Увійти" in response.get_data(as_text=True)


def test_accept_language_beats_default(app):
    client = app.test_client()
    response = client.get("/", headers={"Accept-Language": "es-ES,es;q=0.9,en;q=0.5"})
    assert lang_of(response) == "es"
    assert "Iniciar sesión" in response.get_data(as_text=True)
    assert lang_of(client.get("/", headers={"Accept-Language": "fr, de"})) == "uk"


def test_cookie_beats_accept_language(app):
    client = app.test_client()
    client.set_cookie(LOCALE_COOKIE, "en")
    assert lang_of(client.get("/", headers={"Accept-Language": "es"})) == "en"
    client.set_cookie(LOCALE_COOKIE, "klingon")
    assert lang_of(client.get("/", headers={"Accept-Language": "es"})) == "es"


def test_user_preference_beats_cookie(app, create_user):
    from tests.conftest import Browser

    person = create_user(locale="es")
    browser = Browser(app.test_client())
    browser.client.set_cookie(LOCALE_COOKIE, "en")
    browser.sign_in(person)
    response = browser.get("/", headers={"Accept-Language": "uk"})
    assert lang_of(response) == "es"


def test_switcher_sets_cookie_without_javascript(browser):
    response = browser.submit("/language", {"locale": "es", "next": "/privacy"}, form_url="/")
    assert response.status_code == 302 and response.headers["Location"] == "/privacy"
    assert f"{LOCALE_COOKIE}=es" in response.headers["Set-Cookie"]
    page = browser.get("/privacy")
    assert lang_of(page) == "es"
    assert "Aviso de privacidad" in page.get_data(as_text=True)
    ukr = browser.submit("/language", {"locale": "uk", "next": "/"}, form_url="/", follow_redirects=True)
    assert lang_of(ukr) == "uk"
    assert "Сайт тепер відображається українською." in ukr.get_data(as_text=True)


def test_switcher_updates_signed_in_preference(app, browser, create_user):
    from engage.auth.models import User
    from engage.extensions import db

    person = create_user(locale="uk")
    browser.sign_in(person)
    browser.submit("/language", {"locale": "es", "next": "/"}, form_url="/")
    with app.app_context():
        assert db.session.get(User, person.id).locale == "es"
    assert lang_of(browser.get("/")) == "es"


def test_switcher_refuses_unknown_language_and_foreign_next(browser):
    response = browser.submit("/language", {"locale": "xx", "next": "https://evil.example/"}, form_url="/")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert LOCALE_COOKIE not in response.headers.get("Set-Cookie", "")


def test_every_page_has_the_switcher(browser):
    for url in ("/", "/privacy", "/terms", "/account/sign-in", "/account/register", "/does-not-exist"):
        html = browser.get(url).get_data(as_text=True)
        assert 'action="/language"' in html and 'value="es"' in html and 'value="uk"' in html, url


def test_plural_forms_follow_the_language(app, create_user):
    from tests.conftest import Browser

    admin = create_user(roles=("admin",), locale="uk")
    browser = Browser(app.test_client())
    browser.sign_in(admin)
    for n in range(2):
        create_user()
    html = browser.get("/admin/users").get_data(as_text=True)
    assert re.search(r"3 користувач", html)
