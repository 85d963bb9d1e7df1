"""Admin user management: search, roles, deactivation."""
from sqlalchemy import select

from engage.auth.models import User, UserRole
from engage.extensions import db


def _roles(app, user_id):
    with app.app_context():
        return set(db.session.scalars(select(UserRole.role).where(UserRole.user_id == user_id)))


def _admin(browser, create_user):
    admin = create_user("boss@example.org", display_name="Boss", roles=("admin",))
    browser.sign_in(admin)
    return admin


def test_list_and_search(browser, create_user):
    _admin(browser, create_user)
    create_user("olena@example.org", display_name="Олена Шевченко", roles=("facilitator",))
    create_user("petro@example.org", display_name="Петро Іваненко", active=False)
    create_user("maria@example.org", display_name="María López", confirmed=False)

    html = browser.get("/admin/users").get_data(as_text=True)
    assert "4 users found" in html
    html = browser.get("/admin/users?q=шевченко").get_data(as_text=True)
    assert "Олена Шевченко" in html and "Петро" not in html and "1 user found" in html
    html = browser.get("/admin/users?q=PETRO@").get_data(as_text=True)
    assert "Петро Іваненко" in html and "Олена" not in html
    html = browser.get("/admin/users?role=facilitator").get_data(as_text=True)
    assert "Олена Шевченко" in html and "Boss" not in html
    html = browser.get("/admin/users?status=inactive").get_data(as_text=True)
    assert "Петро Іваненко" in html and "Олена" not in html
    html = browser.get("/admin/users?status=unconfirmed").get_data(as_text=True)
    assert "María López" in html and "Петро" not in html
    # Wildcards are literal, and nonsense filters do not break the page.
    html = browser.get("/admin/users?q=%25").get_data(as_text=True)
    assert "No user matches this search." in html
    assert browser.get("/admin/users?role=emperor&status=x&page=abc").status_code == 200


def test_pagination(app, browser, create_user):
    _admin(browser, create_user)
    app.config["PER_PAGE"] = 3
    try:
        for i in range(7):
            create_user(f"p{i}@example.org", display_name=f"Person number {i}")
        first = browser.get("/admin/users").get_data(as_text=True)
        third = browser.get("/admin/users?page=3").get_data(as_text=True)
        beyond = browser.get("/admin/users?page=99")
    finally:
        app.config["PER_PAGE"] = 25
    assert "8 users found" in first and 'rel="next"' in first
    assert first.count("Person number") == 3
    assert third.count("Person number") == 1 and "Boss" in third
    assert beyond.status_code == 200


def test_grant_and_revoke_role(app, browser, create_user):
    _admin(browser, create_user)
    target = create_user()
    page = f"/admin/users/{target.id}"
    response = browser.submit(f"{page}/roles/facilitator", {"grant": "1"}, form_url=page, follow_redirects=True)
    assert "is now Facilitator" in response.get_data(as_text=True)
    assert _roles(app, target.id) == {"facilitator"}
    browser.submit(f"{page}/roles/moderator", {"grant": "1"}, form_url=page)
    assert _roles(app, target.id) == {"facilitator", "moderator"}
    response = browser.submit(f"{page}/roles/facilitator", {"revoke": "1"}, form_url=page, follow_redirects=True)
    assert "is no longer Facilitator" in response.get_data(as_text=True)
    assert _roles(app, target.id) == {"moderator"}
    # Granting twice keeps one row.
    browser.submit(f"{page}/roles/moderator", {"grant": "1"}, form_url=page)
    assert _roles(app, target.id) == {"moderator"}


def test_unknown_role_is_404(browser, create_user):
    _admin(browser, create_user)
    target = create_user()
    page = f"/admin/users/{target.id}"
    assert browser.submit(f"{page}/roles/emperor", {"grant": "1"}, form_url=page).status_code == 404
    assert browser.submit(f"{page}/roles/resident", {"grant": "1"}, form_url=page).status_code == 404
    assert browser.get("/admin/users/999999").status_code == 404


def test_admin_cannot_lock_themselves_out(app, browser, create_user):
    admin = _admin(browser, create_user)
    page = f"/admin/users/{admin.id}"
    assert browser.submit(f"{page}/roles/admin", {"revoke": "1"}, form_url=page).status_code == 403
    assert browser.submit(f"{page}/deactivate", {}, form_url=page).status_code == 403
    assert _roles(app, admin.id) == {"admin"}
    html = browser.get(page).get_data(as_text=True)
    assert "You cannot remove your own administrator role." in html
    assert "Deactivate account" not in html


def test_admin_can_revoke_another_admin(app, browser, create_user):
    _admin(browser, create_user)
    other = create_user(roles=("admin",))
    page = f"/admin/users/{other.id}"
    browser.submit(f"{page}/roles/admin", {"revoke": "1"}, form_url=page)
    assert _roles(app, other.id) == set()


def test_deactivate_and_reactivate(app, browser, create_user):
    from tests.conftest import Browser

    _admin(browser, create_user)
    target = create_user()
    their_browser = Browser(app.test_client())
    their_browser.sign_in(target)
    page = f"/admin/users/{target.id}"
    response = browser.submit(f"{page}/deactivate", {}, form_url=page, follow_redirects=True)
    assert "has been deactivated" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, target.id).active is False
    # Their open session ends and they cannot sign in again.
    assert their_browser.get("/account/").status_code == 302
    refused = their_browser.submit("/account/sign-in", {"email": target.email, "password": target.password})
    assert "деактивовано" in refused.get_data(as_text=True)  # a fresh browser reads the default language, Ukrainian
    browser.submit(f"{page}/reactivate", {}, form_url=page)
    with app.app_context():
        assert db.session.get(User, target.id).active is True
    their_browser.sign_in(target)
