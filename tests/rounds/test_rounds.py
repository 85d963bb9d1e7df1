"""Facilitators prepare rounds; everyone reads the published ones."""
import io
import zipfile

import pytest

from tests.conftest import T0, DAY


def round_form(**overrides):
    data = {
        "default_locale": "en", "organiser": "Kyiv City State Administration", "district": "",
        "topics": "Transparency\nParticipation",
        "title_en": "Open budget consultation", "summary_en": "How should the city publish its budget?",
        "description_en": "We ask **residents** to help.",
        "title_uk": "", "summary_uk": "", "description_uk": "", "title_es": "", "summary_es": "", "description_es": "",
    }
    data.update(overrides)
    return data


def test_facilitator_creates_a_draft_round(browser, create_user):
    facilitator = create_user(roles=("facilitator",))
    browser.sign_in(facilitator)
    response = browser.submit("/rounds/new", round_form())
    assert response.status_code == 302
    manage_url = response.headers["Location"]
    page = browser.get(manage_url).get_data(as_text=True)
    assert "Open budget consultation" in page
    assert "Draft" in page
    # The creator is the round's facilitator and sees the draft page.
    round_url = manage_url.replace("/manage", "")
    shown = browser.get(round_url).get_data(as_text=True)
    assert "<strong>residents</strong>" in shown
    assert "Transparency, Participation" in shown


def test_round_form_errors_keep_input(browser, create_user):
    browser.sign_in(create_user(roles=("facilitator",)))
    response = browser.submit("/rounds/new", round_form(title_en="", organiser="", title_es="Consulta abierta"))
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Enter a title." in page
    assert "Enter a summary." in page  # Spanish started, so its summary is required too
    assert 'value="Consulta abierta"' in page
    assert "How should the city publish its budget?" in page


def test_drafts_are_seen_only_by_their_facilitators_and_admins(browser, create_user, create_round):
    owner = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[owner], published=False, title="Secret draft round")
    assert browser.get(f"/rounds/{round_id}").status_code == 404
    assert "Secret draft round" not in browser.get("/rounds/").get_data(as_text=True)
    for person, status in [
        (create_user(), 404),
        (create_user(roles=("moderator",)), 404),
        (create_user(roles=("facilitator",)), 404),
        (owner, 200),
        (create_user(roles=("admin",)), 200),
    ]:
        browser.sign_in(person)
        assert browser.get(f"/rounds/{round_id}").status_code == status, person
        browser.sign_out()


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("resident", 403), ("moderator", 403), ("other_facilitator", 403),
    ("round_facilitator", 200), ("admin", 200),
])
def test_who_may_edit_a_round(browser, create_user, create_round, who, status):
    owner = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[owner])
    people = {
        "resident": lambda: create_user(), "moderator": lambda: create_user(roles=("moderator",)),
        "other_facilitator": lambda: create_user(roles=("facilitator",)), "round_facilitator": lambda: owner,
        "admin": lambda: create_user(roles=("admin",)),
    }
    if who != "anonymous":
        browser.sign_in(people[who]())
    for path in ("edit", "manage"):
        response = browser.get(f"/rounds/{round_id}/{path}")
        assert response.status_code == status
        if status == 302:
            assert "/account/sign-in" in response.headers["Location"]
    if status != 200:
        token = browser.csrf_token("/")
        refused = browser.client.post(f"/rounds/{round_id}/unpublish", data={"csrf_token": token})
        assert refused.status_code == status


def test_residents_cannot_create_rounds(browser, create_user):
    browser.sign_in(create_user())
    assert browser.get("/rounds/new").status_code == 403
    assert browser.submit("/rounds/new", round_form(), form_url="/").status_code == 403


def test_phases_cannot_overlap_and_publishing_needs_one(browser, create_user, create_round):
    owner = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[owner], phases=[], published=False)
    browser.sign_in(owner)
    manage = f"/rounds/{round_id}/manage"
    refused = browser.submit(f"/rounds/{round_id}/publish", form_url=manage, follow_redirects=True)
    assert "Add at least one phase before publishing the round." in refused.get_data(as_text=True)

    added = browser.submit(f"/rounds/{round_id}/phases", {
        "type": "call_for_proposals", "starts_at": "2026-03-01T09:00", "ends_at": "2026-03-20T18:00", "note": "Send ideas",
    }, form_url=manage)
    assert added.status_code == 302
    overlapping = browser.submit(f"/rounds/{round_id}/phases", {
        "type": "deliberation", "starts_at": "2026-03-20T12:00", "ends_at": "2026-03-30T18:00", "note": "",
    }, form_url=manage)
    assert overlapping.status_code == 422
    page = overlapping.get_data(as_text=True)
    assert "This phase overlaps" in page and "Call for proposals" in page
    assert 'value="2026-03-30T18:00"' in page  # what was typed comes back

    backwards = browser.submit(f"/rounds/{round_id}/phases", {
        "type": "deliberation", "starts_at": "2026-04-20T12:00", "ends_at": "2026-04-01T18:00",
    }, form_url=manage)
    assert "The phase must end after it starts." in backwards.get_data(as_text=True)

    published = browser.submit(f"/rounds/{round_id}/publish", form_url=manage, follow_redirects=True)
    assert "The round is published" in published.get_data(as_text=True)


def test_phase_times_are_read_in_kyiv_time(app, browser, create_user, create_round):
    owner = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[owner], phases=[], published=False)
    browser.sign_in(owner)
    browser.submit(f"/rounds/{round_id}/phases", {
        "type": "information", "starts_at": "2026-07-07T10:00", "ends_at": "2026-07-08T10:00",
    }, form_url=f"/rounds/{round_id}/manage")
    with app.app_context():
        from engage.rounds.services import get_round

        phase = get_round(round_id).phases[0]
        assert phase.starts_at.isoformat() == "2026-07-07T07:00:00+00:00"  # Kyiv is UTC+3 in summer


def test_index_groups_rounds_by_status(browser, create_round, clock):
    clock(T0 + 15 * DAY)
    create_round(title="Round open now")
    create_round(title="Round that starts later", phases=[("information", T0 + 100 * DAY, T0 + 110 * DAY)])
    create_round(title="Round already over", phases=[("call_for_proposals", T0 - 50 * DAY, T0 - 40 * DAY)])
    page = browser.get("/rounds/").get_data(as_text=True)
    open_at, upcoming_at, closed_at = (page.index(h) for h in ("Open now", "Upcoming</h2>", "Closed</h2>"))
    assert open_at < page.index("Round open now") < upcoming_at
    assert upcoming_at < page.index("Round that starts later") < closed_at
    assert closed_at < page.index("Round already over")


def test_round_page_marks_the_current_phase(browser, create_round, clock):
    round_id = create_round()
    clock.to_phase("deliberation")
    page = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    current = page[page.index('aria-current="step"'):][:300]
    assert "Deliberation" in current


def test_reader_sees_own_language_else_default_marked(browser, create_round):
    from engage.rounds.services import Texts

    round_id = create_round(default_locale="uk", texts={
        "uk": Texts("Консультація щодо бюджету", "Як місто має публікувати бюджет?"),
        "es": Texts("Consulta sobre el presupuesto", "¿Cómo debe publicar la ciudad su presupuesto?"),
    })
    browser.client.set_cookie("engage_locale", "es")
    spanish = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Consulta sobre el presupuesto" in spanish and "Консультація" not in spanish
    browser.client.set_cookie("engage_locale", "en")
    english = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Консультація щодо бюджету" in english
    assert "it is shown in Українська" in english


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


def test_documents_uploaded_are_checked_by_content_and_served_as_attachments(browser, create_user, create_round, app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    owner = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[owner])
    browser.sign_in(owner)
    manage = f"/rounds/{round_id}/manage"

    def upload(title, name, data):
        return browser.submit(f"/rounds/{round_id}/documents", {"title": title, "url": "", "file": (io.BytesIO(data), name)},
                              form_url=manage, content_type="multipart/form-data")

    assert upload("Action plan", "plan.pdf", b"%PDF-1.7\n%test\n").status_code == 302
    assert upload("Regulation draft", "draft.docx", _docx_bytes()).status_code == 302
    fake = upload("Not a PDF", "virus.pdf", b"<script>alert(1)</script>")
    assert fake.status_code == 422
    assert "Only PDF, ODT and DOCX documents can be uploaded." in fake.get_data(as_text=True)
    assert 'value="Not a PDF"' in fake.get_data(as_text=True)

    linked = browser.submit(f"/rounds/{round_id}/documents", {"title": "OGP page", "url": "https://www.opengovpartnership.org/"}, form_url=manage)
    assert linked.status_code == 302
    bad_link = browser.submit(f"/rounds/{round_id}/documents", {"title": "Bad", "url": "javascript:alert(1)"}, form_url=manage)
    assert bad_link.status_code == 422
    assert not any(p.name.endswith(".pdf") and b"script" in p.read_bytes() for p in tmp_path.iterdir())

    browser.sign_out()
    page = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Action plan" in page and "Regulation draft" in page and "OGP page" in page
    import re

    href = re.search(r'href="(/rounds/\d+/documents/\d+)">Action plan', page).group(1)
    download = browser.get(href)
    assert download.status_code == 200
    assert download.headers["Content-Type"] == "application/pdf"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith(b"%PDF-")


def test_uploads_over_the_limit_are_refused(browser, create_user, create_round, app, tmp_path):
    app.config["UPLOAD_FOLDER"] = str(tmp_path)
    owner = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[owner])
    browser.sign_in(owner)
    big = b"%PDF-1.7\n" + b"0" * (10 * 1024 * 1024)
    response = browser.submit(f"/rounds/{round_id}/documents", {"title": "Huge", "file": (io.BytesIO(big), "huge.pdf")},
                              form_url=f"/rounds/{round_id}/manage", content_type="multipart/form-data")
    assert response.status_code in (413, 422)
    assert list(tmp_path.iterdir()) == []


def test_facilitators_are_assigned_per_round(browser, create_user, create_round):
    owner = create_user(roles=("facilitator",))
    colleague = create_user(roles=("facilitator",), display_name="Iryna Colleague")
    resident = create_user()
    round_id = create_round(facilitators=[owner])
    browser.sign_in(owner)
    manage = f"/rounds/{round_id}/manage"
    refused = browser.submit(f"/rounds/{round_id}/facilitators", {"email": resident.email}, form_url=manage)
    assert "No active facilitator has this email address." in refused.get_data(as_text=True)
    assert browser.submit(f"/rounds/{round_id}/facilitators", {"email": colleague.email.upper()}, form_url=manage).status_code == 302
    browser.sign_out()
    browser.sign_in(colleague)
    assert browser.get(manage).status_code == 200


def test_residents_follow_and_unfollow(browser, create_user, create_round):
    round_id = create_round()
    browser.sign_in(create_user())
    followed = browser.submit(f"/rounds/{round_id}/follow", form_url=f"/rounds/{round_id}", follow_redirects=True)
    assert "You follow this round." in followed.get_data(as_text=True)
    assert "Stop following" in followed.get_data(as_text=True)
    unfollowed = browser.submit(f"/rounds/{round_id}/follow", form_url=f"/rounds/{round_id}", follow_redirects=True)
    assert "You no longer follow this round." in unfollowed.get_data(as_text=True)
