"""A facilitator posts a progress update with evidence; a visitor sees the plan's progress change."""
from datetime import datetime, timezone

from tests.e2e.test_feedback_journey import sign_in
from tests.plans.conftest import build_plan  # noqa: F401  (fixture)


def test_progress_update_changes_the_public_plan(live_server, page, create_user, build_plan, clock):  # noqa: F811
    clock(datetime(2026, 4, 15, 9, 0, tzinfo=timezone.utc))
    built = build_plan(milestones=(("02.2026-03.2026", "in_progress"), ("04.2026-06.2026", "not_started")))
    page.goto(f"{live_server}/plans/{built['plan']}")
    assert page.get_by_text("0% of milestones completed").first.is_visible()
    overdue = page.locator(".key-counts li").filter(has_text="overdue")
    assert overdue.locator("strong").inner_text() == "1"

    facilitator = create_user(email="iryna@example.org", roles=("facilitator",), locale="en", display_name="Iryna")
    sign_in(page, live_server, facilitator.email)
    page.goto(f"{live_server}/commitments/{built['commitment']}")
    page.locator(f"#milestone-{built['milestones'][0]}").get_by_role("link", name="Post a progress update").click()
    page.get_by_label("What was done").fill("The draft regulation was published for consultation.")
    page.get_by_label("Status").select_option("completed")
    page.get_by_label("Evidence links").fill("https://kyivcity.gov.ua/draft-regulation")
    page.get_by_role("button", name="Publish the update").click()
    assert page.get_by_text("The progress update is published.").is_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server}/plans/{built['plan']}")
    assert page.get_by_text("50% of milestones completed").first.is_visible()
    assert page.locator(".key-counts li").filter(has_text="overdue").locator("strong").inner_text() == "0"
    assert page.locator(".key-counts li").filter(has_text="completed").locator("strong").inner_text() == "1"
    page.get_by_role("link", name="4. Regulation on public consultations").click()
    assert page.get_by_role("link", name="https://kyivcity.gov.ua/draft-regulation").is_visible()


def test_a_facilitator_writes_a_plan_in_the_browser_and_publishes_it(live_server, page, create_user, clock):
    clock(datetime(2026, 4, 15, 9, 0, tzinfo=timezone.utc))
    facilitator = create_user(email="oksana@example.org", roles=("facilitator",), locale="en")
    sign_in(page, live_server, facilitator.email)
    page.goto(f"{live_server}/plans/")
    page.get_by_role("link", name="New action plan").click()
    page.locator("#title_en").fill("Lviv Open Government Action Plan")
    page.get_by_label("First month").fill("2026-01")
    page.get_by_label("Last month").fill("2025-12")
    page.get_by_role("button", name="Save the plan").click()
    # The mistake is named next to its field; what was typed stays.
    assert page.get_by_text("The last month cannot come before the first.").first.is_visible()
    assert page.locator("#title_en").input_value() == "Lviv Open Government Action Plan"
    page.get_by_label("Last month").fill("2027-06")
    page.get_by_role("button", name="Save the plan").click()
    assert page.get_by_text("The plan has been created as a draft.").is_visible()

    page.get_by_role("link", name="Add a commitment").click()
    page.get_by_label("Number").fill("1")
    page.locator("#title_en").fill("Open budget data")
    page.get_by_label("Access to information").check()
    page.get_by_role("button", name="Save the commitment").click()
    page.get_by_role("link", name="Add a milestone").click()
    page.locator("#description_en").fill("Publish the first data set")
    page.get_by_label("Starts in").fill("2026-02")
    page.get_by_label("Ends in").fill("2026-03")
    page.get_by_role("button", name="Save the milestone").click()
    assert page.get_by_text("The milestone has been saved.").is_visible()
    page.get_by_role("link", name="Lviv Open Government Action Plan").first.click()
    page.get_by_role("button", name="Publish the plan").click()
    assert page.get_by_text("The plan is public.").is_visible()
    page.get_by_role("button", name="Sign out").click()

    page.goto(f"{live_server}/plans/")
    page.get_by_role("link", name="Lviv Open Government Action Plan").click()
    assert page.locator(".key-counts li").filter(has_text="overdue").locator("strong").inner_text() == "1"
    page.get_by_role("link", name="1. Open budget data").click()
    assert page.get_by_text("Publish the first data set").is_visible()
