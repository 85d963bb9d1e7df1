"""A resident registers an organisation, an admin verifies it, the representative endorses a proposal,
and the endorsement shows on the proposal and on the organisation."""
from tests.e2e.test_feedback_journey import sign_in
from engage.organisations.kinds import with_check_digit


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_register_verify_endorse(live_server, page, create_user, create_round, create_proposal, clock):
    clock.to_phase("deliberation")
    round_id = create_round()
    author = create_user(email="author@example.org", locale="en")
    proposal_id = create_proposal(round_id, author, title="Publish council votes as open data")
    resident = create_user(email="maria@example.org", locale="en", display_name="Maria Levonova")
    admin = create_user(email="chief@example.org", locale="en", roles=("admin",))
    code = with_check_digit("4123456")

    sign_in(page, live_server, resident.email)
    page.get_by_role("link", name="Organisations").first.click()
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label("Name in Ukrainian").fill("ГО «Центр спільних дій»")
    page.get_by_label("Name in English").fill("Centre for Common Actions")
    page.get_by_label("Kind").select_option("ngo")
    page.get_by_label("EDRPOU code").fill(code[:7] + str((int(code[7]) + 1) % 10))  # a wrong check digit first
    page.get_by_label("Transparency and anti-corruption").check()
    page.get_by_role("button", name="Save").click()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert page.get_by_text("This is not a valid EDRPOU code").first.is_visible()
    assert page.get_by_label("Name in English").input_value() == "Centre for Common Actions"
    page.get_by_label("EDRPOU code").fill(code)
    page.get_by_role("button", name="Save").click()
    assert page.get_by_text("waits for verification").is_visible()
    assert page.get_by_text("Awaiting verification").first.is_visible()
    sign_out(page)

    sign_in(page, live_server, admin.email)
    page.goto(f"{live_server}/admin/organisations")
    page.get_by_role("link", name="Centre for Common Actions").click()
    page.get_by_label("Verify").check()
    page.get_by_role("button", name="Record the decision").click()
    assert page.get_by_text("is verified and appears in the public directory").is_visible()
    sign_out(page)

    sign_in(page, live_server, resident.email)
    page.goto(f"{live_server}/proposals/{proposal_id}")
    page.get_by_role("link", name="Endorse on behalf of your organisation").click()
    assert page.get_by_label("Signed by").input_value() == "Maria Levonova"
    page.get_by_label("Statement (optional)").fill("Open votes are the first step to accountability.")
    page.get_by_role("button", name="Endorse").click()
    assert page.get_by_text("now endorses this").is_visible()
    section = page.locator("#endorsements")
    assert section.get_by_role("link", name="Centre for Common Actions").is_visible()
    assert section.get_by_text("Open votes are the first step to accountability.").is_visible()
    assert section.locator(".badge-count").inner_text() == "1"

    section.get_by_role("link", name="Centre for Common Actions").click()
    endorsed = page.locator("#endorsements")
    assert endorsed.get_by_role("link", name="Publish council votes as open data").is_visible()
    assert page.get_by_text(code).is_visible()
