"""Reasoned responses: who may answer, what an answer needs, its history, the queue."""
import re

import pytest

from tests.conftest import T0, DAY


@pytest.fixture
def setting(create_round, create_user, create_proposal):
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    author = create_user(display_name="Olha Author")
    proposal_id = create_proposal(round_id, author, title="Open data on city budget spending", topic="Transparency")
    return round_id, proposal_id, facilitator, author


def answer(browser, proposal_id, outcome, reason="", merged_into="", next_url=None):
    data = {f"p{proposal_id}-outcome": outcome, f"p{proposal_id}-reason": reason,
            f"p{proposal_id}-merged_into": merged_into}
    if next_url:
        data["next"] = next_url
    return browser.submit(f"/proposals/{proposal_id}/response", data, form_url=f"/proposals/{proposal_id}")


@pytest.mark.parametrize("who, status", [
    ("anonymous", 302), ("resident", 403), ("author", 403), ("moderator", 403), ("other_facilitator", 403),
    ("round_facilitator", 302), ("admin", 302),
])
def test_only_the_rounds_facilitators_and_admins_answer(browser, create_user, setting, who, status):
    round_id, proposal_id, facilitator, author = setting
    people = {"resident": lambda: create_user(), "author": lambda: author,
              "moderator": lambda: create_user(roles=("moderator",)),
              "other_facilitator": lambda: create_user(roles=("facilitator",)),
              "round_facilitator": lambda: facilitator, "admin": lambda: create_user(roles=("admin",))}
    if who != "anonymous":
        browser.sign_in(people[who]())
    token = browser.csrf_token("/")
    response = browser.client.post(f"/proposals/{proposal_id}/response", data={
        "csrf_token": token, f"p{proposal_id}-outcome": "accepted", f"p{proposal_id}-reason": "It becomes commitment 2."})
    assert response.status_code == status
    queue = browser.get(f"/rounds/{round_id}/feedback")
    assert queue.status_code == (302 if who == "anonymous" else 200 if status == 302 else 403)
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert ("It becomes commitment 2." in page) == (status == 302 and who != "anonymous")


@pytest.mark.parametrize("outcome", ["accepted", "partially_accepted", "not_accepted", "out_of_scope"])
def test_a_reason_is_required_for_final_outcomes(browser, setting, outcome):
    _, proposal_id, facilitator, _ = setting
    browser.sign_in(facilitator)
    refused = answer(browser, proposal_id, outcome, reason="   ")
    assert refused.status_code == 422
    assert "Explain the outcome: a written reason is required." in refused.get_data(as_text=True)
    assert 'value="' + outcome + '" selected' in refused.get_data(as_text=True) or f'selected value="{outcome}"' in refused.get_data(as_text=True)


def test_under_evaluation_needs_no_reason(app, browser, setting):
    _, proposal_id, facilitator, _ = setting
    browser.sign_in(facilitator)
    assert answer(browser, proposal_id, "under_evaluation").status_code == 302
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Under evaluation" in page and "Answered by Iryna Facilitator" in page


def test_merge_target_must_be_another_proposal_of_the_round(browser, create_round, create_user, create_proposal, setting):
    round_id, proposal_id, facilitator, author = setting
    sibling = create_proposal(round_id, author, title="Budget data every week, as CSV")
    elsewhere = create_proposal(create_round(title="Another round"), author, title="Somewhere else entirely")
    browser.sign_in(facilitator)
    for target, message in [("", "Choose the proposal of this round it was merged into."),
                            (str(elsewhere), "Choose the proposal of this round it was merged into."),
                            (str(proposal_id), "A proposal cannot be merged into itself."),
                            ("abc", "Not a valid integer value.")]:
        refused = answer(browser, proposal_id, "merged", reason="Same idea as another one.", merged_into=target)
        assert refused.status_code == 422, target
        assert message in refused.get_data(as_text=True), target
        assert "Same idea as another one." in refused.get_data(as_text=True)
    assert answer(browser, proposal_id, "merged", reason="Same idea.", merged_into=str(sibling)).status_code == 302
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert f'href="/proposals/{sibling}">Budget data every week, as CSV</a>' in page


def test_changing_an_answer_keeps_its_history(app, browser, setting, clock):
    _, proposal_id, facilitator, _ = setting
    browser.sign_in(facilitator)
    clock(T0 + 70 * DAY)
    answer(browser, proposal_id, "under_evaluation", reason="The department is checking the cost.")
    clock(T0 + 80 * DAY)
    answer(browser, proposal_id, "accepted", reason="It becomes milestone 2.3 of commitment 2.")
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    answer_box = page[page.index('id="answer-heading"'):]
    assert answer_box.index("Accepted") < answer_box.index("Under evaluation")
    assert "Updated 1 time: earlier answers" in page
    assert "The department is checking the cost." in page
    with app.app_context():
        from sqlalchemy import func, select

        from engage.extensions import db
        from engage.feedback.models import ProposalResponse
        from engage.proposals.models import Proposal

        assert db.session.scalar(select(func.count()).select_from(ProposalResponse)) == 2
        proposal = db.session.get(Proposal, proposal_id)
        assert proposal.outcome == "accepted"
        assert proposal.final_answer_at == T0 + 80 * DAY  # the first final answer, not the evaluation notice


def test_badges_and_filters_by_outcome(browser, create_user, create_proposal, setting):
    round_id, proposal_id, facilitator, author = setting
    other = create_proposal(round_id, author, title="Benches in every park of the city")
    browser.sign_in(facilitator)
    answer(browser, proposal_id, "not_accepted", reason="The data is already published.")
    listing = browser.get(f"/rounds/{round_id}/proposals").get_data(as_text=True)
    assert "outcome-not_accepted" in listing
    only = browser.get(f"/rounds/{round_id}/proposals?outcome=not_accepted").get_data(as_text=True)
    assert "Open data on city budget spending" in only and "Benches in every park" not in only
    waiting = browser.get(f"/rounds/{round_id}/proposals?outcome=none").get_data(as_text=True)
    assert "Benches in every park" in waiting and "Open data on city budget" not in waiting
    api = browser.get(f"/api/v1/rounds/{round_id}/proposals?outcome=not_accepted").get_json()
    assert [p["id"] for p in api["items"]] == [proposal_id] and api["items"][0]["outcome"] == "not_accepted"
    assert browser.get(f"/api/v1/rounds/{round_id}/proposals?outcome=none").get_json()["items"][0]["id"] == other


def test_queue_lists_the_unanswered_oldest_first_and_answers_in_place(app, browser, create_user, create_proposal, setting, clock):
    round_id, first, facilitator, author = setting
    clock(T0 + 400 * DAY)  # after the first proposal was made
    second = create_proposal(round_id, author, title="Second proposal for the queue", topic="Participation")
    third = create_proposal(round_id, author, title="Third proposal for the queue", topic="Participation")
    browser.sign_in(facilitator)
    queue_url = f"/rounds/{round_id}/feedback"
    page = browser.get(queue_url).get_data(as_text=True)
    titles = re.findall(r'№ \d+ · ([^<]+)</a>', page)
    assert titles == ["Open data on city budget spending", "Second proposal for the queue", "Third proposal for the queue"]
    assert "3 proposals wait for a final answer" in page

    done = answer(browser, first, "accepted", reason="Commitment 2.", next_url=queue_url)
    assert done.status_code == 302 and done.headers["Location"].endswith(queue_url)
    page = browser.get(queue_url).get_data(as_text=True)
    assert "is published: Accepted." in page  # the confirmation, on the queue itself
    assert f'id="proposal-{first}"' not in page and "2 proposals wait" in page
    answer(browser, second, "under_evaluation", next_url=queue_url)
    assert "Second proposal for the queue" in browser.get(queue_url).get_data(as_text=True)  # not final yet

    with app.app_context():
        from engage.rounds.services import get_round

        transparency = next(t.id for t in get_round(round_id).topics if t.name == "Transparency")
    assert "No proposal" not in browser.get(f"{queue_url}?topic={transparency}").get_data(as_text=True)
    assert "0 proposals wait" in browser.get(f"{queue_url}?topic={transparency}").get_data(as_text=True)
    assert browser.get(f"{queue_url}?topic=banana").status_code == 200


def test_queue_paginates_large_rounds(app, browser, create_round, create_user):
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    author = create_user()
    with app.app_context():
        from sqlalchemy import insert

        from engage.core.time import utcnow
        from engage.extensions import db
        from engage.proposals.models import Proposal

        stamp = utcnow()
        db.session.execute(insert(Proposal), [
            {"round_id": round_id, "author_id": author.id, "title": f"Queued proposal number {n}",
             "body": "A description long enough to be a proposal.", "locale": "en", "state": "published",
             "support_count": 0, "comment_count": 0, "flag_count": 0, "created_at": stamp, "updated_at": stamp}
            for n in range(2000)
        ])
        db.session.commit()
    browser.sign_in(facilitator)
    page = browser.get(f"/rounds/{round_id}/feedback?page=100").get_data(as_text=True)
    assert "2000 proposals wait for a final answer" in page
    assert len(re.findall(r'class="card queue-item"', page)) == 20


def test_facilitators_answer_round_comments_in_any_phase(browser, create_user, setting, clock):
    round_id, _, facilitator, author = setting
    clock.to_phase("deliberation")
    browser.sign_in(author)
    location = browser.submit(f"/rounds/{round_id}/comments", {"body": "When will the plan be adopted?"}).headers["Location"]
    comment_id = location.rsplit("comment-", 1)[1]
    browser.sign_out()
    clock.to_phase("feedback")
    browser.sign_in(author)
    token = browser.csrf_token("/")
    refused = browser.client.post(f"/rounds/{round_id}/comments", data={"csrf_token": token, "body": "Any news?", "parent_id": comment_id})
    assert refused.status_code == 403
    browser.sign_out()
    browser.sign_in(facilitator)
    assert f"/rounds/{round_id}/comments?parent={comment_id}" in browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    reply = browser.submit(f"/rounds/{round_id}/comments", {"body": "In January, at the council session.", "parent_id": comment_id})
    assert reply.status_code == 302
    page = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "In January, at the council session." in page and "Official response" in page
