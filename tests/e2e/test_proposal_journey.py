"""A resident submits a proposal, another comments and replies, a third supports it during prioritisation."""
from tests.conftest import PASSWORD


def sign_in(page, live_server, email):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_propose_discuss_support(live_server, page, create_user, create_round, clock):
    round_id = create_round(title="Open budget consultation")
    author = create_user(email="author@example.org", locale="en")
    commenter = create_user(email="commenter@example.org", locale="en")
    supporter = create_user(email="supporter@example.org", locale="en")

    # During the call for proposals, the author submits, previewing first.
    clock.to_phase("call_for_proposals")
    sign_in(page, live_server, author.email)
    page.goto(f"{live_server}/rounds/{round_id}")
    page.get_by_role("link", name="Submit a proposal").first.click()
    page.get_by_label("Title").fill("Too short")
    page.get_by_label("Your proposal").fill("Publish every contract of the city budget as open data, each week.")
    page.get_by_label("Topic").select_option(label="Transparency")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("alert").filter(has_text="There is a problem").is_visible()
    assert page.get_by_label("Your proposal").input_value().startswith("Publish every contract")
    page.get_by_label("Title").fill("Weekly open data on budget contracts")
    page.get_by_role("button", name="Preview").click()
    assert page.get_by_role("heading", name="Preview").is_visible()
    page.get_by_role("button", name="Submit proposal").click()
    assert page.get_by_role("heading", name="Weekly open data on budget contracts").is_visible()
    proposal_url = page.url
    sign_out(page)

    # During deliberation, someone comments and the author replies.
    clock.to_phase("deliberation")
    sign_in(page, live_server, commenter.email)
    page.goto(proposal_url)
    page.get_by_role("link", name="Write a comment").click()
    page.get_by_label("Your comment").fill("Yes, and in a machine-readable format please.")
    page.get_by_label("Your position on the proposal (optional)").select_option("for")
    page.get_by_role("button", name="Publish comment").click()
    assert page.get_by_text("Yes, and in a machine-readable format please.").is_visible()
    sign_out(page)

    sign_in(page, live_server, author.email)
    page.goto(proposal_url)
    page.get_by_role("link", name="Reply").first.click()
    page.get_by_label("Your comment").fill("Agreed: CSV and JSON, every Monday.")
    page.get_by_role("button", name="Publish comment").click()
    reply = page.locator(".comment-replies").get_by_text("Agreed: CSV and JSON, every Monday.")
    assert reply.is_visible()
    sign_out(page)

    # During prioritisation, a third resident supports it.
    clock.to_phase("prioritisation")
    sign_in(page, live_server, supporter.email)
    page.goto(proposal_url)
    assert page.locator("#support-count").inner_text() == "0"
    page.get_by_role("button", name="Support this proposal").click()
    assert page.locator("#support-count").inner_text() == "1"
    assert page.get_by_role("button", name="Withdraw my support").is_visible()
    page.goto(f"{live_server}/rounds/{round_id}/proposals?sort=supported")
    assert page.get_by_text("1 support ·").first.is_visible()
