"""What moderation hides stays hidden everywhere, and flags alone never silence the organisers.

- Comments on a proposal hidden by moderation are hidden with it: on its page, in the API and in the
  round's comments CSV.
- Official replies and what staff wrote are not hidden automatically by flags; they wait in the
  moderation queue like any other flagged content."""
import csv
import io

import pytest

from engage.extensions import db

WORDS = "My neighbour at Reitarska 5 is a thief"


@pytest.fixture
def hidden_proposal(app, create_round, create_user, create_proposal, clock):
    from engage.auth.models import User
    from engage.comments import services as comments
    from engage.moderation import services as moderation
    from engage.proposals.models import Proposal

    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    author = create_user(display_name="Petro Commenter")
    proposal_id = create_proposal(round_id, create_user(display_name="Anna Proposer"), title="A proposal about my neighbour")
    clock.to_phase("deliberation")
    moderator = create_user(roles=("moderator",))
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        comments.add_comment(proposal.round, proposal, db.session.get(User, author.id), body=WORDS, locale="en")
        moderation.hide(proposal, db.session.get(User, moderator.id), "personal_data")
        db.session.commit()
    return {"round": round_id, "proposal": proposal_id}


def test_the_proposal_page_hides_its_comments(browser, hidden_proposal):
    page = browser.get(f"/proposals/{hidden_proposal['proposal']}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and WORDS not in text and "Petro Commenter" not in text
    assert "Anna Proposer" not in text  # as in the API: a hidden proposal shows neither its text nor its author
    assert "The comments are hidden together with the proposal." in text


def test_the_api_hides_the_comments_of_a_hidden_proposal(browser, hidden_proposal):
    items = browser.get(f"/api/v1/proposals/{hidden_proposal['proposal']}/comments").get_json()["items"]
    assert len(items) == 1
    assert items[0]["hidden"] is True and items[0]["body"] is None and items[0]["author"] is None


def test_the_comments_csv_hides_the_comments_of_a_hidden_proposal(browser, hidden_proposal):
    response = browser.get(f"/rounds/{hidden_proposal['round']}/comments.csv")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == 1 and WORDS not in response.get_data(as_text=True)
    assert rows[0]["hidden"] == "True" and rows[0]["author"] == ""


def flag_many(app, browser, create_user, kind, target_id, times=3):
    for _ in range(times):
        browser.sign_in(create_user())
        response = browser.submit(f"/flag/{kind}/{target_id}", {"reason": "spam", "details": ""})
        assert response.status_code == 302
        browser.sign_out()


@pytest.mark.parametrize("writer", ["round_facilitator", "moderator", "admin"])
def test_flags_do_not_hide_what_the_organisers_and_staff_wrote(app, browser, create_user, create_round,
                                                              create_proposal, clock, writer):
    from engage.comments.models import Comment

    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, create_user())
    clock.to_phase("deliberation")
    author = {"round_facilitator": facilitator, "moderator": create_user(roles=("moderator",)),
              "admin": create_user(roles=("admin",))}[writer]
    browser.sign_in(author)
    where = browser.submit(f"/rounds/{round_id}/comments", {"body": "The meeting is on Friday at 18:00."})
    comment_id = int(where.headers["Location"].rsplit("comment-", 1)[1])
    browser.sign_out()
    flag_many(app, browser, create_user, "comment", comment_id)
    with app.app_context():
        comment = db.session.get(Comment, comment_id)
        assert comment.hidden_at is None and comment.flag_count == 3
    assert "The meeting is on Friday at 18:00." in browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    browser.sign_in(create_user(roles=("moderator",)))
    assert "The meeting is on Friday at 18:00." in browser.get("/moderation/").get_data(as_text=True)


def test_flags_still_hide_what_a_resident_wrote(app, browser, create_user, create_round, create_proposal, clock):
    from engage.proposals.models import Proposal

    round_id = create_round()
    proposal_id = create_proposal(round_id, create_user(), title="Cheap watches for sale")
    clock.to_phase("deliberation")
    flag_many(app, browser, create_user, "proposal", proposal_id)
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).hidden_at is not None
