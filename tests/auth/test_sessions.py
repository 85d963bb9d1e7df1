"""Sign-ins kept on the server: ended for good on sign-out, listed and ended from the account page,
ended by a password or email change, and after an idle time or an absolute lifetime."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from engage.auth.models import UserSession
from engage.extensions import db
from tests.conftest import Browser, english_client, path_of

NEW = "linden trees along the dnipro"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36"


def device(app, user_agent=FIREFOX, address="203.0.113.7"):
    return Browser(english_client(app, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address))


def copy_of(app, browser, *names):
    """Another browser holding copies of these cookies (as a thief would)."""
    thief = app.test_client()
    thief.environ_base.update(browser.client.environ_base)
    for name in names:
        cookie = browser.client.get_cookie(name)
        assert cookie is not None, name
        thief.set_cookie(name, cookie.value)
    return thief


def signed_in(client) -> bool:
    return client.get("/account/").status_code == 200


def test_signing_out_ends_the_session_for_good(app, create_user):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person)
    stolen = copy_of(app, laptop, "session")
    assert signed_in(stolen)
    laptop.sign_out()
    assert not signed_in(laptop.client)
    assert not signed_in(stolen), "a copy of the session cookie no longer works"


def test_signing_out_ends_a_remembered_sign_in_too(app, create_user):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person, remember=True)
    stolen = copy_of(app, laptop, "remember_token")  # the remember-me cookie alone signs in ...
    assert signed_in(stolen)
    laptop.sign_out()
    assert not signed_in(stolen), "... until the sign-in it belongs to is ended"


def test_the_account_page_lists_sign_ins_and_ends_one_or_all_others(app, create_user):
    person = create_user()
    laptop, phone, tablet = device(app), device(app, PHONE, "198.51.100.4"), device(app, PHONE, "198.51.100.5")
    for browser in (laptop, phone, tablet):
        browser.sign_in(person)
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "Firefox · Linux" in page and "Chrome · Android" in page
    assert "203.0.113.7" in page and "198.51.100.4" in page and "This device" in page
    with app.app_context():
        phone_id = db.session.scalar(select(UserSession.id).where(UserSession.ip_address == "198.51.100.4"))
    ended = laptop.submit(f"/account/sessions/{phone_id}/end", form_url="/account/sessions")
    assert ended.status_code == 302
    assert not signed_in(phone.client) and signed_in(laptop.client) and signed_in(tablet.client)
    laptop.submit("/account/sessions/end-others", form_url="/account/sessions")
    assert signed_in(laptop.client) and not signed_in(tablet.client)
    assert "198.51.100.5" not in laptop.get("/account/sessions").get_data(as_text=True)


def test_nobody_ends_another_persons_sign_in(app, create_user):
    owner, other = create_user("owner@example.org"), create_user("other@example.org")
    owners = device(app)
    owners.sign_in(owner)
    with app.app_context():
        owner_session = db.session.scalar(select(UserSession.id).where(UserSession.user_id == owner.id))
    intruder = device(app)
    intruder.sign_in(other)
    assert intruder.submit(f"/account/sessions/{owner_session}/end", form_url="/account/sessions").status_code == 404
    assert signed_in(owners.client)
    assert device(app).get("/account/sessions").status_code == 302  # visitors sign in first


def test_ending_this_devices_sign_in_signs_out(app, create_user):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person)
    with app.app_context():
        mine = db.session.scalar(select(UserSession.id))
    response = laptop.submit(f"/account/sessions/{mine}/end", form_url="/account/sessions")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert not signed_in(laptop.client)


def test_changing_the_email_ends_every_other_sign_in(app, create_user, outbox):
    person = create_user()
    laptop, phone = device(app), device(app, PHONE)
    laptop.sign_in(person)
    phone.sign_in(person)
    laptop.submit("/account/email", {"email": "new@example.org", "current_password": person.password})
    laptop.get(path_of(outbox.last_link("new@example.org", "/account/email/confirm/")))
    assert signed_in(laptop.client) and not signed_in(phone.client)


def test_a_password_reset_ends_every_sign_in(app, create_user, outbox):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person)
    other = device(app, PHONE)
    other.submit("/account/forgot-password", {"email": person.email})
    other.submit(path_of(outbox.last_link(person.email, "/account/reset-password/")), {"password": NEW, "confirm": NEW})
    assert not signed_in(laptop.client)


def _age(app, *, idle=None, age=None):
    from engage.auth.sessions import wall_clock

    with app.app_context():
        for row in db.session.scalars(select(UserSession)):
            if idle is not None:
                row.last_seen_at = wall_clock() - idle
            if age is not None:
                row.created_at = wall_clock() - age
        db.session.commit()


@pytest.mark.parametrize("roles, idle_minutes, still_in", [
    ((), 59, True), ((), 61, False), (("facilitator",), 29, True), (("facilitator",), 31, False),
    (("admin",), 31, False),
])
def test_an_idle_sign_in_ends(app, create_user, roles, idle_minutes, still_in):
    person = create_user(roles=roles)
    laptop = device(app)
    laptop.sign_in(person, remember=True)
    _age(app, idle=timedelta(minutes=idle_minutes))
    assert signed_in(laptop.client) is still_in


def test_no_sign_in_outlives_the_maximum_age(app, create_user):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person, remember=True)
    _age(app, age=timedelta(days=31), idle=timedelta(minutes=1))
    assert not signed_in(laptop.client)
    assert not signed_in(copy_of(app, laptop, "remember_token"))


def test_limits_are_settings(app, create_user):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person)
    _age(app, idle=timedelta(minutes=90))
    app.config["SESSION_IDLE_MINUTES"] = 120
    try:
        assert signed_in(laptop.client)
    finally:
        app.config["SESSION_IDLE_MINUTES"] = 60


def test_the_database_holds_no_usable_key(app, create_user):
    person = create_user()
    laptop = device(app)
    laptop.sign_in(person)
    cookie = laptop.client.get_cookie("session").value
    with app.app_context():
        row = db.session.scalar(select(UserSession))
        assert len(row.key_hash) == 64 and row.key_hash not in cookie
