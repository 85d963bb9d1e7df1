"""Home, static pages, error pages and the health check."""
import re



def test_public_pages(browser):
    for url, text in (("/", "Shape your city"), ("/privacy", "Privacy notice"), ("/terms", "Terms of use")):
        response = browser.get(url)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert text in html
        for landmark in ("<header", "<nav", "<main", "<footer", 'class="skip-link"'):
            assert landmark in html, (url, landmark)


def test_every_input_has_a_label(browser):
    for url in ("/account/register", "/account/sign-in", "/account/forgot-password", "/account/confirm"):
        html = browser.get(url).get_data(as_text=True)
        fields = re.findall(r'<(?:input|select|textarea)\b[^>]*>', html)
        checked = 0
        for tag in fields:
            if re.search(r'type="(hidden|submit)"', tag):
                continue
            field_id = re.search(r'\bid="([^"]+)"', tag).group(1)
            assert f'<label for="{field_id}"' in html, (url, field_id)
            checked += 1
        assert checked >= 1, url


def test_404_is_translated(app):
    client = app.test_client()
    es = client.get("/no-such-page", headers={"Accept-Language": "es"})
    assert es.status_code == 404 and "Página no encontrada" in es.get_data(as_text=True)
    uk = client.get("/no-such-page", headers={"Accept-Language": "uk"})
    assert "Сторінку не знайдено" in uk.get_data(as_text=True)


def test_500_is_translated(app):
    from engage import create_app

    fresh = create_app({"SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"], "PROPAGATE_EXCEPTIONS": False})

    @fresh.route("/_fails")
    def _fails():
        raise RuntimeError("internal detail that must stay in the log")

    response = fresh.test_client().get("/_fails", headers={"Accept-Language": "es"})
    assert response.status_code == 500
    assert "Algo salió mal" in response.get_data(as_text=True)
    assert "internal detail" not in response.get_data(as_text=True)


def test_healthz(browser):
    response = browser.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["failing"] == []
    assert all(check["ok"] for check in body["checks"].values())


def test_healthz_reports_an_unreachable_database(app, tmp_path):
    from engage import create_app

    broken = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/missing/dir/x.sqlite"})
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"
