"""The organisations register: EDRPOU codes, registration, verification, editing, the directory, representatives."""
from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest
from sqlalchemy import func, select

from engage.extensions import db
from engage.organisations.kinds import edrpou_is_valid, with_check_digit
from engage.organisations.models import Decision, Invitation, Organisation, Representative

from tests.conftest import path_of

VALID_CODES = ("14360570", "40075815", "00022527")


# --- Helpers -------------------------------------------------------------------------------


def form_data(**overrides) -> dict:
    """A complete registration form for an NGO, with a valid EDRPOU code."""
    data = {
        "name_uk": "ГО «Відкрите місто»", "name_en": "Open City", "kind": "ngo", "edrpou": "14360570",
        "website": "https://opencity.example.org", "email": "hello@opencity.example.org",
        "areas": ["transparency", "digital"], "districts": ["podilskyi"],
        "description": "We publish the city's data and teach people to read it.",
    }
    data.update(overrides)
    return data


def register(browser, **overrides):
    return browser.submit("/organisations/new", form_data(**overrides))


def field_error(html: str, field_id: str) -> str:
    """The error shown right next to a field ('' when there is none)."""
    match = re.search(rf'<p class="field-error" id="{re.escape(field_id)}-error">(.*?)</p>', html, re.S)
    return match.group(1) if match else ""


def chosen(html: str, value: str) -> bool:
    """Whether the option or checkbox with ``value`` is selected in the page's form."""
    for tag in re.findall(r"<(?:option|input)\b[^>]*>", html):
        if f'value="{value}"' in tag and re.search(r"\b(selected|checked)\b", tag):
            return True
    return False


def shown_count(html: str) -> int:
    """The number of organisations the directory says it found."""
    match = re.search(r'class="result-count" role="status">(\d+) organisations?<', html)
    assert match, "no result count on the page"
    return int(match.group(1))


def only_organisation(app) -> Organisation:
    with app.app_context():
        organisations = db.session.scalars(select(Organisation)).all()
        assert len(organisations) == 1
        organisation = organisations[0]
        organisation.representative_ids  # load while the session is open
        organisation.area_codes, organisation.district_codes
        return organisation


@pytest.fixture
def make_org(app):
    """An organisation with a chosen English name: ``make_org(rep, "Open City", kind=..., verified=...)``."""
    from engage.auth.models import User
    from engage.organisations import services

    counter = {"n": 0}

    def make(representative, name, *, kind="ngo", verified=True, areas=("participation",), districts=(), edrpou=None):
        counter["n"] += 1
        if edrpou is None:
            edrpou = with_check_digit(f"{2100000 + counter['n']:07d}") if kind in ("ngo", "charity", "business") else ""
        with app.app_context():
            organisation = services.register(services.Details(
                name_uk=f"ГО «{name}»", name_en=name, kind=kind, edrpou=edrpou, areas=list(areas),
                districts=list(districts)), db.session.get(User, representative.id))
            if verified:
                organisation.status = Organisation.VERIFIED
            db.session.commit()
            return organisation.id

    return make


def decide(browser, organisation_id, decision, reason=""):
    return browser.submit(f"/admin/organisations/{organisation_id}", {"decision": decision, "reason": reason})


def notifications_of(app, person):
    from engage.notifications.models import Notification

    with app.app_context():
        return [(n.kind, dict(n.params), n.path) for n in
                db.session.scalars(select(Notification).where(Notification.user_id == person.id).order_by(Notification.id))]


# --- The EDRPOU check digit --------------------------------------------------------------------


@pytest.mark.parametrize("code", VALID_CODES)
def test_real_edrpou_codes_are_valid(code):
    assert edrpou_is_valid(code)
    assert with_check_digit(code[:7]) == code


@pytest.mark.parametrize("code", VALID_CODES)
def test_any_other_last_digit_is_a_wrong_check_digit(code):
    for last in "0123456789":
        if last != code[-1]:
            assert not edrpou_is_valid(code[:7] + last), code[:7] + last


@pytest.mark.parametrize("code", [
    "", "1436057", "143605700", "1436057a", "a4360570", "1436-570", " 14360570", "14360570 ", "-1436057",
    "１４３６０５７０",  # full-width digits are digits to str.isdigit, but not to the register
    "١٤٣٦٠٥٧٠",  # Arabic-Indic digits likewise
])
def test_codes_that_are_not_eight_ascii_digits_are_invalid(code):
    assert not edrpou_is_valid(code)


@pytest.mark.parametrize("code, why", [
    # weights 1..7: 3×7 = 21 ≡ 10 (mod 11), so weights 3..9: 3×9 = 27 ≡ 5
    ("00000035", "first pass gives 10, second pass gives 5"),
    # weights 1..7: 2×5 + 8×6 + 1×7 = 65 ≡ 10; weights 3..9: 2×7 + 8×8 + 1×9 = 87 ≡ 10, so the check digit is 0
    ("00002810", "both passes give 10, so the check digit is 0"),
    # between 30 and 60 million the weights are 7,1,2..6: 3×7 = 21 ≡ 10; then 9,3,4..8: 3×9 = 27 ≡ 5
    ("30000005", "the 30–60 million weights, first pass gives 10"),
    # 7,1,2..6: 4×7 + 4×6 = 52 ≡ 8 (with weights 1..7 it would be 4 + 4×7 = 32 ≡ 10)
    ("40000048", "the 30–60 million weights"),
])
def test_check_digit_follows_the_register_rule(code, why):
    assert edrpou_is_valid(code), why
    assert with_check_digit(code[:7]) == code, why
    others = [code[:7] + d for d in "0123456789" if d != code[-1]]
    assert not any(edrpou_is_valid(other) for other in others), why


def test_remainder_ten_is_not_simply_taken_as_zero():
    # A naive implementation would turn the first remainder 10 into 0; the register retries with weights + 2.
    assert not edrpou_is_valid("00000030")
    assert not edrpou_is_valid("30000000")


# --- Registration -----------------------------------------------------------------------------


def test_registration_with_a_valid_code_waits_for_verification(app, browser, create_user):
    registrant = create_user(display_name="Mariia Registrant")
    browser.sign_in(registrant)
    form = browser.get("/organisations/new")
    assert form.status_code == 200 and "Register an organisation" in form.get_data(as_text=True)

    response = register(browser)
    organisation = only_organisation(app)
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/organisations/{organisation.id}"
    assert organisation.status == Organisation.PENDING
    assert organisation.edrpou == "14360570" and organisation.kind == "ngo"
    assert organisation.name_uk == "ГО «Відкрите місто»" and organisation.name_en == "Open City"
    assert sorted(organisation.area_codes) == ["digital", "transparency"]
    assert organisation.district_codes == ["podilskyi"]
    assert organisation.representative_ids == {registrant.id}
    assert organisation.created_by_id == registrant.id

    # The registrant sees it, marked as waiting; the public directory does not list it.
    page = browser.get(f"/organisations/{organisation.id}")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Open City" in text and "14360570" in text and "Mariia Registrant" in text
    assert "Waiting for an administrator to verify it" in text
    directory = browser.get("/organisations/").get_data(as_text=True)
    assert shown_count(directory) == 0
    assert "Organisations you represent" in directory and f'href="/organisations/{organisation.id}"' in directory

    # Another resident and a visitor get a 404.
    browser.sign_out()
    assert browser.get(f"/organisations/{organisation.id}").status_code == 404
    browser.sign_in(create_user())
    assert browser.get(f"/organisations/{organisation.id}").status_code == 404
    assert "Open City" not in browser.get("/organisations/?q=Open").get_data(as_text=True)


def test_visitors_are_sent_to_sign_in_before_registering(app, browser):
    response = browser.get("/organisations/new")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]).startswith("/account/sign-in")
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


@pytest.mark.parametrize("code, message", [
    ("14360571", "This is not a valid EDRPOU code"),  # wrong check digit
    ("1436057", "The EDRPOU code has eight digits."),  # too short
    ("143605700", "The EDRPOU code has eight digits."),  # too long
    ("1436057O", "The EDRPOU code has eight digits."),  # a letter O instead of a zero
])
def test_an_invalid_code_is_refused_next_to_its_field_and_the_form_kept(app, browser, create_user, code, message):
    browser.sign_in(create_user())
    response = register(browser, edrpou=code)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert message in field_error(html, "edrpou")
    assert field_error(html, "name_uk") == ""
    # What the person typed and ticked is still there.
    assert 'value="ГО «Відкрите місто»"' in html and 'value="Open City"' in html and f'value="{code}"' in html
    assert 'value="https://opencity.example.org"' in html
    assert chosen(html, "ngo") and chosen(html, "transparency") and chosen(html, "digital") and chosen(html, "podilskyi")
    assert not chosen(html, "youth")
    assert "We publish the city&#39;s data" in html or "We publish the city's data" in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


@pytest.mark.parametrize("kind", ["ngo", "charity", "local_governments", "business"])
def test_kinds_in_the_state_register_need_a_code(app, browser, create_user, kind):
    browser.sign_in(create_user())
    response = register(browser, kind=kind, edrpou="")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter the organisation’s EDRPOU code (eight digits)." in field_error(html, "edrpou")
    assert chosen(html, kind)
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


@pytest.mark.parametrize("kind", ["academic", "international", "other"])
def test_kinds_outside_the_register_may_have_no_code(app, browser, create_user, kind):
    browser.sign_in(create_user())
    response = register(browser, kind=kind, edrpou="", name_en="Kyiv School of Economics")
    assert response.status_code == 302
    organisation = only_organisation(app)
    assert organisation.kind == kind and organisation.edrpou is None
    assert organisation.status == Organisation.PENDING


def test_an_academic_institution_may_give_a_code_but_it_must_be_valid(app, browser, create_user):
    browser.sign_in(create_user())
    refused = register(browser, kind="academic", edrpou="00022528")
    assert refused.status_code == 422
    assert "This is not a valid EDRPOU code" in field_error(refused.get_data(as_text=True), "edrpou")
    assert register(browser, kind="academic", edrpou="00022527").status_code == 302
    assert only_organisation(app).edrpou == "00022527"


def test_a_code_already_registered_is_refused(app, browser, create_user, make_org):
    make_org(create_user(), "Already Here", edrpou="40075815", verified=False)
    browser.sign_in(create_user())
    response = register(browser, edrpou="40075815", name_en="Second Try")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "An organisation with this EDRPOU code is already registered." in field_error(html, "edrpou")
    assert 'value="Second Try"' in html and 'value="40075815"' in html
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 1
    # Spaces around the code do not get past the check either.
    assert register(browser, edrpou=" 40075815 ", name_en="Third Try").status_code == 422


def test_other_required_fields_and_choices(app, browser, create_user):
    browser.sign_in(create_user())
    response = register(browser, name_uk="  ", kind="", website="opencity.example.org", email="not-an-email",
                        areas=["transparency", "astrology"], districts=["atlantis"])
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "Enter the organisation’s name." in field_error(html, "name_uk")
    assert "Choose the kind of organisation." in field_error(html, "kind")
    assert "Enter a full web address starting with https://." in field_error(html, "website")
    assert "Enter an email address like name@example.org." in field_error(html, "email")
    assert field_error(html, "areas") and field_error(html, "districts")
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 0


# --- Verification ------------------------------------------------------------------------------


def test_admin_verifies_and_the_organisation_appears_in_the_directory(app, browser, create_user, admin, make_org):
    first, second = create_user(), create_user()
    org_id = make_org(first, "Open City", verified=False)
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        organisation.representatives.append(Representative(user_id=second.id))
        db.session.commit()

    browser.sign_in(admin)
    queue = browser.get("/admin/organisations")
    assert queue.status_code == 200
    assert "Waiting (1)" in queue.get_data(as_text=True)
    assert f'href="/admin/organisations/{org_id}"' in queue.get_data(as_text=True)
    assert browser.get(f"/admin/organisations/{org_id}").status_code == 200

    response = decide(browser, org_id, "verified")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == "/admin/organisations"
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        assert organisation.status == Organisation.VERIFIED and organisation.decided_at is not None
        decisions = db.session.scalars(select(Decision).where(Decision.organisation_id == org_id)).all()
        assert [(d.decision, d.decided_by_id) for d in decisions] == [("verified", admin.id)]
    assert "Waiting (0)" in browser.get("/admin/organisations").get_data(as_text=True)
    assert "Open City" in browser.get("/admin/organisations?status=verified").get_data(as_text=True)

    for person in (first, second):
        notes = notifications_of(app, person)
        assert len(notes) == 1
        kind, params, path = notes[0]
        assert kind == "organisation" and params["decision"] == "verified" and params["name"] == "ГО «Open City»"
        assert path == f"/organisations/{org_id}"
    assert notifications_of(app, admin) == []

    browser.sign_out()
    directory = browser.get("/organisations/").get_data(as_text=True)
    assert shown_count(directory) == 1 and "Open City" in directory
    assert browser.get(f"/organisations/{org_id}").status_code == 200


def test_a_rejection_needs_a_reason(app, browser, create_user, admin, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City", verified=False)
    browser.sign_in(admin)
    for reason in ("", "   "):
        response = decide(browser, org_id, "rejected", reason)
        assert response.status_code == 422
        assert "Give the reason for the rejection" in field_error(response.get_data(as_text=True), "reason")
    assert decide(browser, org_id, "maybe").status_code == 422
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == Organisation.PENDING
        assert db.session.scalar(select(func.count(Decision.id))) == 0
    assert notifications_of(app, representative) == []


def test_a_rejection_is_recorded_and_explained_to_the_representative(app, browser, create_user, admin, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City", verified=False)
    browser.sign_in(admin)
    reason = "The EDRPOU code belongs to another organisation."
    assert decide(browser, org_id, "rejected", reason).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == Organisation.REJECTED
        decision = db.session.scalars(select(Decision)).one()
        assert (decision.organisation_id, decision.decision, decision.reason, decision.decided_by_id) == (
            org_id, "rejected", reason, admin.id)
    assert "Open City" in browser.get("/admin/organisations?status=rejected").get_data(as_text=True)
    assert "Open City" not in browser.get("/admin/organisations?status=pending").get_data(as_text=True)
    browser.sign_out()

    [(kind, params, path)] = notifications_of(app, representative)
    assert kind == "organisation" and params["decision"] == "rejected" and params["reason"] == reason
    assert path == f"/organisations/{org_id}"

    assert browser.get(f"/organisations/{org_id}").status_code == 404
    assert "Open City" not in browser.get("/organisations/").get_data(as_text=True)
    browser.sign_in(representative)
    page = browser.get(f"/organisations/{org_id}")
    assert page.status_code == 200
    assert f"Reason: {reason}" in page.get_data(as_text=True)
    listing = browser.get("/notifications/").get_data(as_text=True)
    assert "was not verified" in listing and reason in listing


def test_correcting_a_rejected_organisation_sends_it_back_for_verification(app, browser, create_user, admin, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City", verified=False)
    browser.sign_in(admin)
    decide(browser, org_id, "rejected", "Add a website.")
    browser.sign_out()
    browser.sign_in(representative)
    data = form_data(name_en="Open City", name_uk="ГО «Open City»", edrpou=only_organisation(app).edrpou)
    response = browser.submit(f"/organisations/{org_id}/edit", data)
    assert response.status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == Organisation.PENDING
    page = browser.get(f"/organisations/{org_id}").get_data(as_text=True)
    assert "Waiting for an administrator to verify it." in page and "Add a website." not in page


@pytest.mark.parametrize("role", [(), ("facilitator",), ("moderator",)])
def test_only_admins_verify(app, browser, create_user, make_org, role):
    org_id = make_org(create_user(), "Open City", verified=False)
    browser.sign_in(create_user(roles=role))
    assert browser.get("/admin/organisations").status_code == 403
    assert browser.get("/admin/organisations?status=rejected").status_code == 403
    assert browser.get(f"/admin/organisations/{org_id}").status_code == 403
    token = browser.csrf_token("/")
    response = browser.client.post(f"/admin/organisations/{org_id}", data={"csrf_token": token, "decision": "verified"})
    assert response.status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == Organisation.PENDING
        assert db.session.scalar(select(func.count(Decision.id))) == 0


def test_visitors_are_sent_to_sign_in_from_verification(app, browser, create_user, make_org):
    org_id = make_org(create_user(), "Open City", verified=False)
    for url in ("/admin/organisations", f"/admin/organisations/{org_id}"):
        response = browser.get(url)
        assert response.status_code == 302
        assert path_of(response.headers["Location"]).startswith("/account/sign-in?next=")
    token = browser.csrf_token("/")
    response = browser.client.post(f"/admin/organisations/{org_id}", data={"csrf_token": token, "decision": "verified"})
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == Organisation.PENDING


def test_an_admin_sees_a_pending_organisation(browser, create_user, admin, make_org):
    org_id = make_org(create_user(), "Open City", verified=False)
    browser.sign_in(admin)
    page = browser.get(f"/organisations/{org_id}")
    assert page.status_code == 200 and "Open City" in page.get_data(as_text=True)


# --- Editing -----------------------------------------------------------------------------------


def _current_form(app, org_id, **overrides) -> dict:
    with app.app_context():
        o = db.session.get(Organisation, org_id)
        data = {"name_uk": o.name_uk, "name_en": o.name_en, "kind": o.kind, "edrpou": o.edrpou or "",
                "website": o.website, "email": o.email, "description": o.description,
                "areas": o.area_codes, "districts": o.district_codes}
    data.update(overrides)
    return data


def test_the_edit_form_is_filled_with_the_current_details(app, browser, create_user, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City", areas=("youth", "digital"), districts=("obolonskyi",))
    browser.sign_in(representative)
    page = browser.get(f"/organisations/{org_id}/edit")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert 'value="Open City"' in html and 'value="ГО «Open City»"' in html
    assert chosen(html, "ngo") and chosen(html, "youth") and chosen(html, "digital") and chosen(html, "obolonskyi")
    assert not chosen(html, "transparency")
    assert "Changing the name, kind or EDRPOU code sends the organisation back for verification." in html


@pytest.mark.parametrize("change", [
    {"name_uk": "ГО «Нове місто»"}, {"name_en": "New City"}, {"kind": "charity"}, {"edrpou": "40075815"},
])
def test_changing_the_identity_of_a_verified_organisation_sends_it_back_to_pending(app, browser, create_user, make_org,
                                                                                   change):
    representative = create_user()
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    response = browser.submit(f"/organisations/{org_id}/edit", _current_form(app, org_id, **change))
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/organisations/{org_id}"
    page = browser.get(f"/organisations/{org_id}").get_data(as_text=True)
    assert "The changes go to an administrator for verification again." in page
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        assert organisation.status == Organisation.PENDING and organisation.decided_at is None
        for key, value in change.items():
            assert getattr(organisation, key) == value
    browser.sign_out()
    assert browser.get(f"/organisations/{org_id}").status_code == 404
    assert shown_count(browser.get("/organisations/").get_data(as_text=True)) == 0


def test_other_details_change_without_a_new_verification(app, browser, create_user, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City", areas=("participation",))
    browser.sign_in(representative)
    data = _current_form(app, org_id, website="https://new.example.org", description="Now also in Obolon.",
                         areas=["participation", "youth"], districts=["obolonskyi"])
    response = browser.submit(f"/organisations/{org_id}/edit", data)
    assert response.status_code == 302
    assert "The organisation’s details have been saved." in browser.get(f"/organisations/{org_id}").get_data(as_text=True)
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        assert organisation.status == Organisation.VERIFIED
        assert organisation.website == "https://new.example.org" and organisation.description == "Now also in Obolon."
        assert sorted(organisation.area_codes) == ["participation", "youth"]
        assert organisation.district_codes == ["obolonskyi"]
    # Saving again with the very same details changes nothing either.
    assert browser.submit(f"/organisations/{org_id}/edit", _current_form(app, org_id)).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).status == Organisation.VERIFIED


def test_editing_keeps_the_rules_of_registration(app, browser, create_user, make_org):
    representative = create_user()
    make_org(create_user(), "Somebody Else", edrpou="40075815")
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    for change, message in [({"edrpou": "40075815"}, "An organisation with this EDRPOU code is already registered."),
                            ({"edrpou": "40075816"}, "This is not a valid EDRPOU code"),
                            ({"edrpou": ""}, "Enter the organisation’s EDRPOU code (eight digits).")]:
        response = browser.submit(f"/organisations/{org_id}/edit", _current_form(app, org_id, **change))
        assert response.status_code == 422, change
        assert message in field_error(response.get_data(as_text=True), "edrpou"), change
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        assert organisation.status == Organisation.VERIFIED and organisation.edrpou != "40075815"


def test_only_representatives_and_admins_edit(app, browser, create_user, admin, make_org):
    org_id = make_org(create_user(), "Open City")
    browser.sign_in(create_user())
    assert browser.get(f"/organisations/{org_id}/edit").status_code == 403
    token = browser.csrf_token("/")
    refused = browser.client.post(f"/organisations/{org_id}/edit",
                                  data={**_current_form(app, org_id, description="Hijacked"), "csrf_token": token})
    assert refused.status_code == 403
    browser.sign_out()
    assert browser.get(f"/organisations/{org_id}/edit").status_code == 302
    browser.sign_in(admin)
    assert browser.submit(f"/organisations/{org_id}/edit",
                          _current_form(app, org_id, description="Checked by the city.")).status_code == 302
    with app.app_context():
        assert db.session.get(Organisation, org_id).description == "Checked by the city."


# --- The directory -------------------------------------------------------------------------------


@pytest.fixture
def directory(create_user, make_org):
    rep = create_user()
    ids = {
        "open_city": make_org(rep, "Open City", kind="ngo", areas=("transparency", "digital"), districts=("podilskyi",),
                              edrpou="14360570"),
        "youth_hub": make_org(rep, "Youth Hub", kind="ngo", areas=("youth",), districts=("obolonskyi", "podilskyi")),
        "kse": make_org(rep, "Kyiv School of Economics", kind="academic", areas=("research", "economy")),
        "undp": make_org(rep, "UNDP Ukraine", kind="international", areas=("digital",), districts=("pecherskyi",)),
        "pending": make_org(rep, "Pending Digital Club", kind="ngo", areas=("digital",), districts=("podilskyi",),
                            verified=False),
    }
    return ids


def names_in(browser, query="") -> set[str]:
    html = browser.get("/organisations/" + query).get_data(as_text=True)
    everyone = ["Open City", "Youth Hub", "Kyiv School of Economics", "UNDP Ukraine", "Pending Digital Club"]
    return {name for name in everyone if f">{name}</a></h2>" in html}


def test_directory_lists_verified_organisations_only(browser, directory):
    page = browser.get("/organisations/")
    assert page.status_code == 200
    assert shown_count(page.get_data(as_text=True)) == 4
    assert names_in(browser) == {"Open City", "Youth Hub", "Kyiv School of Economics", "UNDP Ukraine"}


@pytest.mark.parametrize("query, expected", [
    ("?kind=ngo", {"Open City", "Youth Hub"}),
    ("?kind=academic", {"Kyiv School of Economics"}),
    ("?kind=charity", set()),
    ("?area=digital", {"Open City", "UNDP Ukraine"}),
    ("?area=youth", {"Youth Hub"}),
    ("?district=podilskyi", {"Open City", "Youth Hub"}),
    ("?district=pecherskyi", {"UNDP Ukraine"}),
    ("?kind=ngo&area=digital&district=podilskyi", {"Open City"}),
    ("?kind=international&district=podilskyi", set()),
    ("?q=school", {"Kyiv School of Economics"}),
    ("?q=HUB", {"Youth Hub"}),
    ("?" + urlencode({"q": "го «k"}), {"Kyiv School of Economics"}),  # the Ukrainian name, in other letter case
    ("?q=14360570", {"Open City"}),
    ("?q=1436", set()),  # the code matches whole, not by its beginning
    ("?q=digital", set()),  # the pending club is never listed
    ("?kind=spaceship", {"Open City", "Youth Hub", "Kyiv School of Economics", "UNDP Ukraine"}),  # unknown: ignored
])
def test_directory_filters(browser, directory, query, expected):
    assert names_in(browser, query) == expected


def test_directory_keeps_the_filters_in_its_form(browser, directory):
    html = browser.get("/organisations/?kind=ngo&area=youth&district=obolonskyi&q=hub").get_data(as_text=True)
    assert 'value="hub"' in html
    assert chosen(html, "ngo") and chosen(html, "youth") and chosen(html, "obolonskyi")
    assert shown_count(html) == 1


def test_an_empty_search_says_so(browser, directory):
    html = browser.get("/organisations/?q=nothing+like+this").get_data(as_text=True)
    assert "No verified organisation matches this search." in html and shown_count(html) == 0


def test_directory_search_treats_wildcards_as_text(browser, directory):
    assert names_in(browser, "?q=%25") == set()
    assert names_in(browser, "?q=_") == set()


def test_directory_is_paginated(app, create_user, browser):
    from engage.auth.models import User
    from engage.organisations import services

    rep = create_user()
    with app.app_context():
        user = db.session.get(User, rep.id)
        per_page = app.config["PER_PAGE"]
        for n in range(per_page + 2):
            organisation = services.register(services.Details(
                name_uk=f"Організація {n:03d}", name_en=f"Organisation {n:03d}", kind="academic"), user)
            organisation.status = Organisation.VERIFIED
        db.session.commit()
    first = browser.get("/organisations/").get_data(as_text=True)
    assert shown_count(first) == per_page + 2
    assert "Organisation 000" in first and f"Organisation {per_page - 1:03d}" in first
    assert f"Organisation {per_page:03d}" not in first
    second = browser.get("/organisations/?page=2").get_data(as_text=True)
    assert f"Organisation {per_page:03d}" in second and f"Organisation {per_page + 1:03d}" in second
    assert "Organisation 000" not in second


# --- Representatives and invitations -------------------------------------------------------------------


def invite(browser, org_id, email):
    return browser.submit(f"/organisations/{org_id}/representatives", {"email": email})


def test_an_invited_colleague_accepts_and_becomes_a_representative(app, browser, create_user, outbox, make_org):
    representative = create_user(display_name="Mariia Founder")
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    assert browser.get(f"/organisations/{org_id}/representatives").status_code == 200
    response = invite(browser, org_id, "Taras@Example.org")
    assert response.status_code == 302
    people = browser.get(f"/organisations/{org_id}/representatives").get_data(as_text=True)
    assert "taras@example.org" in people and "An invitation has been sent to taras@example.org" in people
    link = outbox.last_link("taras@example.org", "/organisations/invitations/")
    assert len(outbox.to("taras@example.org")) == 1
    browser.sign_out()

    # Without an account yet: the link asks to sign in (or register) and comes back.
    response = browser.get(path_of(link))
    assert response.status_code == 302
    assert path_of(response.headers["Location"]).startswith("/account/sign-in?next=")

    colleague = create_user("taras@example.org", display_name="Taras Colleague")
    browser.sign_in(colleague)
    page = browser.get(path_of(link))
    assert page.status_code == 200 and "You are invited to represent Open City." in page.get_data(as_text=True)
    accepted = browser.submit(path_of(link))
    assert accepted.status_code == 302
    assert path_of(accepted.headers["Location"]) == f"/organisations/{org_id}"
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        assert organisation.representative_ids == {representative.id, colleague.id}
        invitation = db.session.scalars(select(Invitation)).one()
        assert invitation.accepted_by_id == colleague.id and invitation.accepted_at is not None
    shown = browser.get(f"/organisations/{org_id}").get_data(as_text=True)
    assert "You now represent Open City." in shown and "Taras Colleague" in shown
    # The new representative can now do what representatives do.
    assert browser.get(f"/organisations/{org_id}/edit").status_code == 200
    assert browser.get(f"/organisations/{org_id}/representatives").status_code == 200
    # The used invitation no longer waits for an answer.
    assert "No open invitations." in browser.get(f"/organisations/{org_id}/representatives").get_data(as_text=True)


def test_an_invitation_can_only_be_accepted_by_the_invited_address(app, browser, create_user, outbox, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    invite(browser, org_id, "taras@example.org")
    link = path_of(outbox.last_link("taras@example.org", "/organisations/invitations/"))
    browser.sign_out()

    intruder = create_user("someone.else@example.org")
    browser.sign_in(intruder)
    refused = browser.submit(link)
    assert refused.status_code == 400
    assert ("This invitation was sent to taras@example.org. Sign in with that address to accept it."
            in refused.get_data(as_text=True))
    with app.app_context():
        assert db.session.get(Organisation, org_id).representative_ids == {representative.id}
        assert db.session.scalars(select(Invitation)).one().accepted_at is None
    browser.sign_out()

    # It still works for the right person afterwards; then it is used up for everyone else.
    taras = create_user("taras@example.org")
    browser.sign_in(taras)
    assert browser.submit(link).status_code == 302
    browser.sign_out()
    browser.sign_in(intruder)
    again = browser.submit(link)
    assert again.status_code == 400 and "This invitation has already been accepted." in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Organisation, org_id).representative_ids == {representative.id, taras.id}


def test_a_revoked_invitation_no_longer_works(app, browser, create_user, outbox, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    invite(browser, org_id, "taras@example.org")
    link = path_of(outbox.last_link("taras@example.org", "/organisations/invitations/"))
    with app.app_context():
        invitation_id = db.session.scalars(select(Invitation)).one().id
    revoked = browser.submit(f"/organisations/invitations/{invitation_id}/revoke",
                             form_url=f"/organisations/{org_id}/representatives")
    assert revoked.status_code == 302
    assert "No open invitations." in browser.get(f"/organisations/{org_id}/representatives").get_data(as_text=True)
    browser.sign_out()

    taras = create_user("taras@example.org")
    browser.sign_in(taras)
    page = browser.get(link)
    assert page.status_code == 400 and "This invitation has been withdrawn." in page.get_data(as_text=True)
    assert browser.client.post(link, data={"csrf_token": browser.csrf_token("/")}).status_code == 400
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).revoked_at is not None
        assert db.session.get(Organisation, org_id).representative_ids == {representative.id}


def test_a_forged_invitation_link_is_refused(browser, create_user):
    browser.sign_in(create_user())
    page = browser.get("/organisations/invitations/not-a-real-token")
    assert page.status_code == 400 and "This invitation link is not valid." in page.get_data(as_text=True)


def test_only_representatives_invite_and_revoke(app, browser, create_user, outbox, make_org):
    representative = create_user()
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    invite(browser, org_id, "taras@example.org")
    with app.app_context():
        invitation_id = db.session.scalars(select(Invitation)).one().id
    browser.sign_out()

    browser.sign_in(create_user())
    assert browser.get(f"/organisations/{org_id}/representatives").status_code == 403
    token = browser.csrf_token("/")
    assert browser.client.post(f"/organisations/{org_id}/representatives",
                               data={"csrf_token": token, "email": "friend@example.org"}).status_code == 403
    assert browser.client.post(f"/organisations/invitations/{invitation_id}/revoke",
                               data={"csrf_token": token}).status_code == 403
    assert outbox.to("friend@example.org") == []
    with app.app_context():
        assert db.session.get(Invitation, invitation_id).revoked_at is None
        assert db.session.scalar(select(func.count(Invitation.id))) == 1


def test_inviting_needs_an_address_and_someone_new(app, browser, create_user, outbox, make_org):
    representative = create_user("founder@example.org")
    org_id = make_org(representative, "Open City")
    browser.sign_in(representative)
    bad = invite(browser, org_id, "not an address")
    assert bad.status_code == 422
    assert "Enter an email address like name@example.org." in field_error(bad.get_data(as_text=True), "email")
    already = invite(browser, org_id, "Founder@example.org")
    assert already.status_code == 422
    assert "This person already represents the organisation." in field_error(already.get_data(as_text=True), "email")
    assert outbox == []
    with app.app_context():
        assert db.session.scalar(select(func.count(Invitation.id))) == 0


def test_the_last_representative_cannot_leave(app, browser, create_user, outbox, make_org):
    founder = create_user()
    org_id = make_org(founder, "Open City")
    browser.sign_in(founder)
    response = browser.submit(f"/organisations/{org_id}/leave", form_url=f"/organisations/{org_id}/representatives")
    assert response.status_code == 302
    assert path_of(response.headers["Location"]) == f"/organisations/{org_id}/representatives"
    page = browser.get(f"/organisations/{org_id}/representatives").get_data(as_text=True)
    assert "You are the only representative. Invite someone else before you leave." in page
    with app.app_context():
        assert db.session.get(Organisation, org_id).representative_ids == {founder.id}

    # With a colleague on board, the founder may step down.
    invite(browser, org_id, "taras@example.org")
    link = path_of(outbox.last_link("taras@example.org", "/organisations/invitations/"))
    browser.sign_out()
    taras = create_user("taras@example.org")
    browser.sign_in(taras)
    browser.submit(link)
    browser.sign_out()
    browser.sign_in(founder)
    left = browser.submit(f"/organisations/{org_id}/leave", form_url=f"/organisations/{org_id}/representatives")
    assert left.status_code == 302 and path_of(left.headers["Location"]) == "/organisations/"
    with app.app_context():
        assert db.session.get(Organisation, org_id).representative_ids == {taras.id}
    assert browser.get(f"/organisations/{org_id}/edit").status_code == 403


def test_someone_who_is_not_a_representative_cannot_leave(app, browser, create_user, make_org):
    founder = create_user()
    org_id = make_org(founder, "Open City")
    browser.sign_in(create_user())
    token = browser.csrf_token("/")
    assert browser.client.post(f"/organisations/{org_id}/leave", data={"csrf_token": token}).status_code == 403
    with app.app_context():
        assert db.session.get(Organisation, org_id).representative_ids == {founder.id}


# --- The open-data API (only once it exists) ----------------------------------------------------------


def test_api_lists_verified_organisations_with_the_directory_filters(browser, directory):
    response = browser.get("/api/v1/organisations")
    if response.status_code == 404:
        pytest.skip("/api/v1/organisations does not exist yet")
    assert response.status_code == 200
    body = response.get_json()
    assert body["total"] == 4
    names = {item["name"]["en"] for item in body["items"]}
    assert names == {"Open City", "Youth Hub", "Kyiv School of Economics", "UNDP Ukraine"}
    open_city = next(item for item in body["items"] if item["name"]["en"] == "Open City")
    assert open_city["edrpou"] == "14360570" and open_city["kind"] == "ngo"
    assert sorted(open_city["areas"]) == ["digital", "transparency"] and open_city["districts"] == ["podilskyi"]
    assert open_city["url"].endswith(f"/organisations/{directory['open_city']}")
    filtered = browser.get("/api/v1/organisations?area=digital&district=pecherskyi").get_json()
    assert [item["name"]["en"] for item in filtered["items"]] == ["UNDP Ukraine"]


def test_a_code_registered_at_the_same_moment_is_refused_cleanly(app, browser, create_user, make_org, monkeypatch):
    from engage.organisations import services

    make_org(create_user(), "Already Here", edrpou="40075815", verified=False)
    browser.sign_in(create_user())
    # This request's check ran a moment before the other registration was committed: it saw no duplicate.
    # (The details are otherwise valid: a correct code, a known kind and area.)
    monkeypatch.setattr(services, "_check", lambda details, organisation: None)
    response = register(browser, edrpou="40075815", name_en="Second Try")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "An organisation with this EDRPOU code is already registered." in field_error(html, "edrpou")
    with app.app_context():
        assert db.session.scalar(select(func.count(Organisation.id))) == 1
