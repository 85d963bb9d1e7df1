"""Who may reach the admin pages: only administrators."""
import pytest

ADMIN_PAGES = ["/admin/", "/admin/users", "/admin/users?q=a&role=admin&status=active"]


def test_visitor_is_sent_to_sign_in(browser, create_user):
    target = create_user()
    for url in ADMIN_PAGES + [f"/admin/users/{target.id}"]:
        response = browser.get(url)
        assert response.status_code == 302, url
        assert "/account/sign-in" in response.headers["Location"]


@pytest.mark.parametrize("roles", [(), ("facilitator",), ("moderator",), ("facilitator", "moderator")])
def test_non_admin_roles_are_refused(browser, create_user, roles):
    person = create_user(roles=roles)
    target = create_user()
    browser.sign_in(person)
    for url in ADMIN_PAGES + [f"/admin/users/{target.id}"]:
        assert browser.get(url).status_code == 403, url
    for url in (f"/admin/users/{target.id}/roles/admin", f"/admin/users/{target.id}/deactivate", f"/admin/users/{target.id}/reactivate"):
        response = browser.submit(url, {"grant": "1"}, form_url="/")
        assert response.status_code == 403, url
    page = browser.get("/").get_data(as_text=True)
    assert "/admin/users" not in page  # no link to what is refused


def test_admin_is_allowed(browser, create_user):
    admin = create_user(roles=("admin",))
    target = create_user()
    browser.sign_in(admin)
    for url in ADMIN_PAGES + [f"/admin/users/{target.id}"]:
        assert browser.get(url).status_code in (200, 302), url
    assert browser.get("/admin/users").status_code == 200
    assert "/admin/users" in browser.get("/").get_data(as_text=True)


def test_forbidden_page_is_translated(browser, create_user):
    person = create_user(locale="es")
    browser.sign_in(person)
    response = browser.get("/admin/users")
    assert response.status_code == 403
    assert 'lang="es"' in response.get_data(as_text=True)
    assert "Acceso denegado" in response.get_data(as_text=True)
