"""A newcomer's first visit, in a real browser: register, confirm, sign in, switch language, sign out."""
import os

import pytest

pytestmark = pytest.mark.e2e


def test_register_confirm_sign_in_switch_language_sign_out(live_server, page, outbox):
    page.goto(live_server + "/")
    page.get_by_role("link", name="Register").first.click()

    # A mistake first: the form comes back with the error and what was typed.
    page.get_by_label("Display name").fill("Nadiia Bondar")
    page.get_by_label("Email address").fill("nadiia@example.org")
    page.get_by_label("Password").fill("short")
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert page.get_by_label("Display name").input_value() == "Nadiia Bondar"

    page.get_by_label("Password").fill("sunflowers over podil square")
    page.get_by_label("Preferred language").select_option("en")
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()

    from tests.conftest import path_of

    link = outbox.last_link("nadiia@example.org", "/account/confirm/")  # on BASE_URL; the test server is elsewhere
    page.goto(live_server + path_of(link))
    assert "Your email address is confirmed" in page.content()

    page.get_by_label("Email address").fill("nadiia@example.org")
    page.get_by_label("Password").fill("sunflowers over podil square")
    page.get_by_role("button", name="Sign in").click()
    assert "Welcome, Nadiia Bondar" in page.content()

    page.get_by_role("button", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("button", name="Cerrar sesión").is_visible()
    if os.environ.get("ENGAGE_SCREENSHOTS"):
        page.screenshot(path=os.path.join(os.environ["ENGAGE_SCREENSHOTS"], "journey-es.png"), full_page=True)

    page.get_by_role("button", name="Cerrar sesión").click()
    assert page.get_by_role("link", name="Iniciar sesión").first.is_visible()
    page.goto(live_server + "/account/")
    assert "/account/sign-in" in page.url
