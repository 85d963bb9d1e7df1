"""Objects named by an id in a query string or a form pass the visibility rule of their own page.

The reply form (``?parent=<id>``) shows the comment answered: only a comment of the same discussion,
still on show, on a page the person may see; anything else is "not found", on GET and on POST, and
nothing is written."""

import pytest

from engage.comments.models import Comment
from engage.core.time import utcnow
from engage.extensions import db

SECRET = "Phone me on +380 67 000 11 22, I live at Khreshchatyk 1"


@pytest.fixture
def place(app, create_user, create_round, create_proposal, clock):
    clock.to_phase("deliberation")
    author = create_user(display_name="Marta Author")
    round_id = create_round()
    draft_id = create_round(title="A round still in draft", published=False)
    return {"author": author, "round": round_id, "draft": draft_id,
            "proposal": create_proposal(round_id, author), "other": create_proposal(round_id, author, title="Another")}


def add(app, author, *, round_id=None, proposal_id=None, meeting_id=None, commitment_id=None, hidden=False,
        deleted=False, body=SECRET) -> int:
    with app.app_context():
        comment = Comment(round_id=round_id, proposal_id=proposal_id, meeting_id=meeting_id, commitment_id=commitment_id,
                          author_id=author.id, body=body, locale="en", depth=0)
        if hidden:
            comment.hidden_at, comment.hidden_reason = utcnow(), "personal_data"
        if deleted:
            comment.deleted_at, comment.body = utcnow(), ""
        db.session.add(comment)
        db.session.commit()
        return comment.id


def refused(browser, form_url, parent_id, app):
    """GET and POST of the reply form with this parent: 404, no trace of the comment, nothing written."""
    with app.app_context():
        before = db.session.scalar(db.select(db.func.count()).select_from(Comment))
    shown = browser.get(f"{form_url}?parent={parent_id}")
    assert shown.status_code == 404, (form_url, parent_id, shown.status_code)
    assert SECRET not in shown.get_data(as_text=True) and "Marta Author" not in shown.get_data(as_text=True)
    token = browser.csrf_token(form_url)
    sent = browser.client.post(form_url, data={"body": "A reply", "parent_id": str(parent_id), "csrf_token": token})
    assert sent.status_code == 404, (form_url, parent_id, sent.status_code)
    assert SECRET not in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(Comment)) == before


def test_a_hidden_comment_is_not_shown_on_the_reply_form(app, browser, create_user, place):
    hidden = add(app, place["author"], round_id=place["round"], proposal_id=place["proposal"], hidden=True)
    browser.sign_in(create_user())
    refused(browser, f"/proposals/{place['proposal']}/comments", hidden, app)


def test_a_deleted_comment_cannot_be_answered(app, browser, create_user, place):
    gone = add(app, place["author"], round_id=place["round"], proposal_id=place["proposal"], deleted=True)
    browser.sign_in(create_user())
    refused(browser, f"/proposals/{place['proposal']}/comments", gone, app)


def test_a_comment_of_a_draft_round_is_not_shown_on_a_published_round(app, browser, create_user, place):
    secret = add(app, place["author"], round_id=place["draft"])
    browser.sign_in(create_user())
    for form_url in (f"/rounds/{place['round']}/comments", f"/proposals/{place['proposal']}/comments"):
        refused(browser, form_url, secret, app)


def test_a_comment_of_another_proposal_or_the_round_is_not_borrowed(app, browser, create_user, place):
    on_other = add(app, place["author"], round_id=place["round"], proposal_id=place["other"])
    on_round = add(app, place["author"], round_id=place["round"])
    browser.sign_in(create_user())
    refused(browser, f"/proposals/{place['proposal']}/comments", on_other, app)
    refused(browser, f"/proposals/{place['proposal']}/comments", on_round, app)
    refused(browser, f"/rounds/{place['round']}/comments", on_other, app)


def test_a_comment_on_an_unpublished_meeting_is_not_shown_elsewhere(app, browser, create_user, place, facilitator,
                                                                     create_forum, create_meeting, build_plan):
    forum_id = create_forum(facilitator)
    draft_meeting = create_meeting(facilitator, forum_id=forum_id, published=False)
    public_meeting = create_meeting(facilitator, forum_id=forum_id, title="An open meeting")
    secret = add(app, place["author"], meeting_id=draft_meeting)
    plan = build_plan()
    browser.sign_in(create_user())
    for form_url in (f"/meetings/{public_meeting}/comments", f"/proposals/{place['proposal']}/comments",
                     f"/rounds/{place['round']}/comments", f"/commitments/{plan['commitment']}/comments"):
        refused(browser, form_url, secret, app)


def test_parent_ids_that_are_not_ids_are_not_found(app, browser, create_user, place):
    browser.sign_in(create_user())
    for value in ("99999999999999999999", "-1", "0", "1e3", "abc", "１２"):
        shown = browser.get(f"/proposals/{place['proposal']}/comments?parent={value}")
        assert shown.status_code == 404, value


def test_a_comment_on_show_in_the_same_discussion_is_answered(app, browser, create_user, place):
    question = add(app, place["author"], round_id=place["round"], proposal_id=place["proposal"],
                   body="Which districts first?")
    browser.sign_in(create_user())
    form = browser.get(f"/proposals/{place['proposal']}/comments?parent={question}")
    assert form.status_code == 200 and "Which districts first?" in form.get_data(as_text=True)
    reply = browser.submit(f"/proposals/{place['proposal']}/comments", {"body": "Obolon and Podil.",
                                                                         "parent_id": str(question)})
    assert reply.status_code == 302


def _unpublish(app, round_id):
    from engage.rounds.models import Round

    with app.app_context():
        db.session.get(Round, round_id).published_at = None
        db.session.commit()


def test_a_proposal_of_a_round_back_in_draft_is_not_linked_nor_shown_on_a_commitment(
        app, browser, create_user, create_round, create_proposal, build_plan):
    from engage.plans.models import CommitmentProposal

    author = create_user()
    round_id = create_round()
    shown_before = create_proposal(round_id, author, title="Linked while the round was public")
    later = create_proposal(round_id, author, title="A proposal nobody may see now")
    plan = build_plan(round_ids=[round_id])
    staff = create_user(roles=("facilitator",))  # manages plans, not this round
    browser.sign_in(staff)
    url = f"/commitments/{plan['commitment']}/proposals"
    assert browser.submit(url, {"proposal_id": str(shown_before)}, form_url=f"/commitments/{plan['commitment']}")\
        .status_code == 302
    _unpublish(app, round_id)
    answer = browser.submit(url, {"proposal_id": f"#{later}"}, form_url=f"/commitments/{plan['commitment']}",
                            follow_redirects=True)
    assert "There is no proposal with this number." in answer.get_data(as_text=True)
    with app.app_context():
        linked = db.session.scalars(db.select(CommitmentProposal.proposal_id)).all()
    assert linked == [shown_before]
    browser.sign_out()
    page = browser.get(f"/commitments/{plan['commitment']}").get_data(as_text=True)
    assert "Linked while the round was public" not in page and "A proposal nobody may see now" not in page


def test_the_forum_decision_form_offers_only_meetings_the_person_may_see(
        app, browser, create_user, create_round, create_forum, create_meeting):
    from engage.forum.models import ForumDecision

    runner = create_user(roles=("facilitator",), display_name="Round Runner")
    other = create_user(roles=("facilitator",), display_name="Forum Secretary")
    draft_round = create_round(facilitators=[runner], published=False, title="Round in preparation")
    forum_id = create_forum(other)
    hidden = create_meeting(runner, round_id=draft_round, forum_id=forum_id, published=False,
                            title="Closed planning session")
    open_meeting = create_meeting(other, forum_id=forum_id, title="Open forum session")
    browser.sign_in(other)
    members = browser.get(f"/forum/{forum_id}/members").get_data(as_text=True)
    assert "Open forum session" in members and "Closed planning session" not in members
    sent = browser.submit(f"/forum/{forum_id}/decisions",
                          {"decided_on": "2026-05-04", "text": "Adopt the terms.", "meeting_id": str(hidden)},
                          form_url=f"/forum/{forum_id}/members")
    assert sent.status_code == 422 and "Closed planning session" not in sent.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count()).select_from(ForumDecision)) == 0
    taken = browser.submit(f"/forum/{forum_id}/decisions",
                           {"decided_on": "2026-05-04", "text": "Adopt the terms.", "meeting_id": str(open_meeting)},
                           form_url=f"/forum/{forum_id}/members")
    assert taken.status_code == 302
