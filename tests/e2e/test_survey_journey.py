"""A resident answers a survey, corrects a validation error on the way, then reads the results."""
from tests.conftest import DAY, T0
from tests.e2e.test_feedback_journey import sign_in
from tests.surveys.conftest import build_survey  # noqa: F401  (fixture)


def test_answer_with_a_correction_then_see_the_results(live_server, page, create_user, build_survey, clock):  # noqa: F811
    built = build_survey(visibility="live", demographics=True)
    clock(T0 + DAY)
    resident = create_user(email="mykola@example.org", locale="en")
    sign_in(page, live_server, resident.email)
    page.goto(f"{live_server}/rounds/{built.round_id}")
    page.get_by_role("link", name="Open data in Kyiv").click()

    transport = page.locator(f"#q{built.q['transport']}")
    services = page.locator(f"#q{built.q['services']}")
    # Three services where two at most are allowed, and the required question forgotten.
    services.get_by_label("Kyiv Digital").check()
    services.get_by_label("City website").check()
    services.get_by_label("Open data portal").check()
    page.locator(f"#q{built.q['rating']}").get_by_label("4").check()
    page.get_by_label("Your idea").fill("Send reminders before each consultation")
    page.get_by_role("button", name="Send my answer").click()

    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert transport.get_by_text("Answer this question.").is_visible()
    assert services.get_by_text("Choose at most 2 options.").is_visible()
    # What was chosen and typed is still there.
    assert page.locator(f"#q{built.q['rating']}").get_by_label("4").is_checked()
    assert page.get_by_label("Your idea").input_value() == "Send reminders before each consultation"
    assert services.get_by_label("Open data portal").is_checked()

    transport.get_by_label("Metro").check()
    services.get_by_label("Open data portal").uncheck()
    page.get_by_role("button", name="Send my answer").click()
    assert page.get_by_role("heading", name="Thank you for answering").is_visible()

    page.get_by_role("link", name="See the results").click()
    assert page.locator("#respondents").inner_text() == "1"
    result = page.locator(f"#q{built.q['transport']}-result")
    assert result.get_by_role("row", name="Metro").inner_text().split() == ["Metro", "1", "100.0%"]
    assert result.locator("svg[role=img]").count() == 1
    assert page.get_by_text("Send reminders before each consultation").is_visible()
