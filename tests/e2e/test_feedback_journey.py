"""A facilitator answers three proposals from the queue; the author sees the answer and the notification."""
from tests.conftest import PASSWORD


def sign_in(page, live_server, email):
    page.goto(live_server + "/account/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_facilitator_answers_from_the_queue_and_the_author_is_told(live_server, page, create_user, create_round,
                                                                 create_proposal, clock):
    facilitator = create_user(email="iryna@example.org", roles=("facilitator",), locale="en")
    round_id = create_round(facilitators=[facilitator])
    author = create_user(email="olha@example.org", locale="en", display_name="Olha Author")
    titles = ["Weekly open data on budget contracts", "Evening opening hours for hubs", "Plain-language forms"]
    ids = [create_proposal(round_id, author, title=t) for t in titles]
    clock.to_phase("drafting")

    sign_in(page, live_server, facilitator.email)
    page.goto(f"{live_server}/rounds/{round_id}/feedback")
    assert page.get_by_text("3 proposals wait for a final answer").is_visible()

    answers = [("accepted", "It becomes milestone 2.3 of the plan."),
               ("partially_accepted", "Two hubs will open on Saturdays."),
               ("merged", "The same idea as the first proposal.")]
    for proposal_id, (outcome, reason) in zip(ids, answers):
        item = page.locator(f"#proposal-{proposal_id}")
        item.get_by_label("Outcome").select_option(outcome)
        if outcome == "merged":
            item.get_by_label("Merged into proposal no.").fill(str(ids[0]))
        item.get_by_label("Reason").fill(reason)
        item.get_by_role("button", name="Publish the answer").click()
        assert page.get_by_role("status").filter(has_text="is published").first.is_visible()
        assert page.url.endswith(f"/rounds/{round_id}/feedback")
    assert page.get_by_text("Every proposal of this round has a final answer. Thank you!").is_visible()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server, author.email)
    page.get_by_role("link", name="Notifications").click()
    notice = page.get_by_role("link", name="The organisers answered your proposal “Weekly open data on budget contracts”: Accepted.")
    assert notice.is_visible()
    notice.click()
    assert page.get_by_role("heading", name="Answer from the organisers").is_visible()
    assert page.get_by_text("It becomes milestone 2.3 of the plan.").is_visible()
    page.goto(f"{live_server}/rounds/{round_id}/report")
    assert page.locator("#coverage").inner_text() == "100%"
