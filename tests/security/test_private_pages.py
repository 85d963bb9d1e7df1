"""Pages with personal data or staff tools are never stored by a browser or a shared cache."""


def test_private_pages_send_no_store(browser, create_user, create_round, facilitator, create_meeting):
    admin = create_user("chief@example.org", roles=("admin",))
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, registration=True)
    for url in ("/account/sign-in", "/account/register", "/account/forgot-password"):
        assert browser.get(url).headers.get("Cache-Control") == "no-store", url
    browser.sign_in(admin)
    for url in ("/account/", "/account/password", "/admin/", "/admin/users", f"/admin/users/{admin.id}",
                "/moderation/", "/moderation/log", "/notifications/", "/notifications/settings",
                f"/meetings/{meeting_id}/registrations.csv", f"/rounds/{round_id}", "/", f"/rounds/{round_id}/manage"):
        response = browser.get(url)
        assert response.status_code in (200, 302), (url, response.status_code)
        assert response.headers.get("Cache-Control") == "no-store", url


def test_public_pages_for_visitors_may_be_revalidated(browser, create_round):
    round_id = create_round()
    for url in ("/", f"/rounds/{round_id}", "/privacy"):
        response = browser.get(url)
        assert "no-store" not in response.headers.get("Cache-Control", ""), url
