"""Threaded comments on proposals and rounds: phases, depth, edit window, deletion, pages."""
import re
from datetime import timedelta

import pytest

from tests.conftest import STANDARD_PHASES


@pytest.fixture
def setting(create_round, create_user, create_proposal):
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, create_user())
    return round_id, proposal_id, facilitator


def write(browser, url, body, **extra):
    return browser.submit(url, {"body": body, **extra})


@pytest.mark.parametrize("phase, allowed", [
    ("information", False), ("call_for_proposals", True), ("deliberation", True),
    ("prioritisation", False), ("drafting", False), ("feedback", False), ("closed", False),
])
def test_comments_only_in_call_and_deliberation(browser, create_user, setting, clock, phase, allowed):
    round_id, proposal_id, _ = setting
    clock.to_phase(phase)
    browser.sign_in(create_user())
    for url in (f"/proposals/{proposal_id}/comments", f"/rounds/{round_id}/comments"):
        response = write(browser, url, "A thoughtful remark about this.") if allowed else browser.client.post(
            url, data={"csrf_token": browser.csrf_token("/"), "body": "A thoughtful remark about this."})
        assert response.status_code == (302 if allowed else 403), url
        if not allowed:
            assert "Comments can be written only during the call for proposals and deliberation." in response.get_data(as_text=True)


def test_comment_boundaries(browser, create_user, setting, clock):
    round_id, _, _ = setting
    start = next(s for kind, s, _ in STANDARD_PHASES if kind == "call_for_proposals")
    end = next(e for kind, _, e in STANDARD_PHASES if kind == "deliberation")
    browser.sign_in(create_user())
    token = browser.csrf_token("/")
    for moment, status in [(start - timedelta(seconds=1), 403), (start, 302), (end - timedelta(seconds=1), 302), (end, 403)]:
        clock(moment)
        response = browser.client.post(f"/rounds/{round_id}/comments", data={"csrf_token": token, "body": "On time?"})
        assert response.status_code == status, moment


def test_replies_nest_three_levels(app, browser, create_user, setting, clock):
    round_id, proposal_id, _ = setting
    clock.to_phase("deliberation")
    browser.sign_in(create_user())
    url = f"/proposals/{proposal_id}/comments"
    ids = []
    parent = ""
    for level in range(3):
        response = write(browser, url, f"Level {level} comment", parent_id=parent)
        assert response.status_code == 302
        ids.append(int(response.headers["Location"].rsplit("comment-", 1)[1]))
        parent = str(ids[-1])
    too_deep = write(browser, url, "Level 3 comment", parent_id=parent)
    assert too_deep.status_code == 422
    assert "Replies go at most three levels deep." in too_deep.get_data(as_text=True)
    assert "Level 3 comment" in too_deep.get_data(as_text=True)  # the text is kept
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert page.count('class="comment-replies"') == 2
    # A reply must stay in its own discussion: a comment of another one is not found from here.
    elsewhere = write(browser, f"/rounds/{round_id}/comments", "Cross-thread reply", parent_id=str(ids[0]))
    assert elsewhere.status_code == 404 and "Level 0 comment" not in elsewhere.get_data(as_text=True)


def test_edit_window_and_edited_mark(browser, create_user, setting, clock):
    round_id, proposal_id, _ = setting
    author = create_user()
    clock.to_phase("deliberation")
    browser.sign_in(author)
    location = write(browser, f"/proposals/{proposal_id}/comments", "First version", stance="for").headers["Location"]
    comment_id = int(location.rsplit("comment-", 1)[1])

    clock.to_phase("deliberation", offset=timedelta(hours=1, minutes=14))
    saved = browser.submit(f"/comments/{comment_id}/edit", {"body": "Second version", "stance": "against"})
    assert saved.status_code == 302
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Second version" in page and "edited" in page and "Against" in page

    clock.to_phase("deliberation", offset=timedelta(hours=1, minutes=16))
    late = browser.get(f"/comments/{comment_id}/edit")
    assert late.status_code == 403
    assert "Comments can be edited for 15 minutes" in late.get_data(as_text=True)

    browser.sign_out()
    browser.sign_in(create_user())
    clock.to_phase("deliberation", offset=timedelta(hours=1, minutes=1))
    assert browser.get(f"/comments/{comment_id}/edit").status_code == 403


def test_deleted_comment_leaves_a_placeholder(browser, create_user, setting, clock):
    round_id, proposal_id, _ = setting
    author, other = create_user(), create_user()
    clock.to_phase("deliberation")
    browser.sign_in(author)
    comment_id = int(write(browser, f"/proposals/{proposal_id}/comments", "Soon to be deleted").headers["Location"].rsplit("comment-", 1)[1])
    browser.sign_out()
    browser.sign_in(other)
    write(browser, f"/proposals/{proposal_id}/comments", "A reply that stays", parent_id=str(comment_id))
    token = browser.csrf_token("/")
    assert browser.client.post(f"/comments/{comment_id}/delete", data={"csrf_token": token}).status_code == 403
    browser.sign_out()
    browser.sign_in(author)
    assert browser.submit(f"/comments/{comment_id}/delete", form_url="/").status_code == 302
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Soon to be deleted" not in page
    assert "This comment was deleted by its author." in page
    assert "A reply that stays" in page


def test_facilitator_comments_are_official(browser, setting, clock):
    round_id, proposal_id, facilitator = setting
    clock.to_phase("deliberation")
    browser.sign_in(facilitator)
    write(browser, f"/proposals/{proposal_id}/comments", "We will study this proposal.")
    page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "Official response" in page


def test_validation_keeps_input(browser, create_user, setting, clock):
    _, proposal_id, _ = setting
    clock.to_phase("deliberation")
    browser.sign_in(create_user())
    empty = write(browser, f"/proposals/{proposal_id}/comments", "")
    assert empty.status_code == 422 and "Write your comment." in empty.get_data(as_text=True)
    long = write(browser, f"/proposals/{proposal_id}/comments", "x" * 3001, stance="for")
    page = long.get_data(as_text=True)
    assert "A comment must be between 2 and 3000 characters long." in page
    assert 'value="for" selected' in page or 'selected value="for"' in page


def test_long_threads_paginate(app, browser, create_user, setting, clock):
    round_id, proposal_id, _ = setting
    clock.to_phase("deliberation")
    with app.app_context():
        from engage.auth.models import User
        from engage.comments import services
        from engage.extensions import db
        from engage.proposals.models import Proposal
        from engage.rounds.models import Round

        round_, proposal = db.session.get(Round, round_id), db.session.get(Proposal, proposal_id)
        author = db.session.get(User, create_user().id)
        for n in range(45):
            top = services.add_comment(round_, proposal, author, body=f"Top comment {n:02d}", locale="en")
            services.add_comment(round_, proposal, author, body=f"Reply to {n:02d}", locale="en", parent=top)
        db.session.commit()
    first = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert len(re.findall(r"Top comment \d\d", first)) == 20
    assert "Reply to 00" in first and "Reply to 19" in first and "Reply to 20" not in first
    third = browser.get(f"/proposals/{proposal_id}?page=3").get_data(as_text=True)
    assert re.findall(r"Top comment (\d\d)", third) == [str(n) for n in range(40, 45)]
    assert "90 comments" in browser.get(f"/rounds/{round_id}/proposals").get_data(as_text=True)


def test_thread_queries_do_not_grow_with_the_thread(app, browser, create_user, setting, clock):
    """A proposal with many comments costs the same number of queries as one with a few."""
    from sqlalchemy import event

    from engage.extensions import db

    round_id, proposal_id, _ = setting
    clock.to_phase("deliberation")

    def add(count):
        with app.app_context():
            from engage.auth.models import User
            from engage.comments import services
            from engage.proposals.models import Proposal
            from engage.rounds.models import Round

            round_, proposal = db.session.get(Round, round_id), db.session.get(Proposal, proposal_id)
            author = db.session.get(User, create_user().id)
            for n in range(count):
                top = services.add_comment(round_, proposal, author, body=f"Comment {n}", locale="en")
                services.add_comment(round_, proposal, author, body=f"Reply {n}", locale="en", parent=top)
            db.session.commit()

    def queries():
        counted = []
        with app.app_context():
            engine = db.engine
        listener = lambda *args: counted.append(1)  # noqa: E731
        event.listen(engine, "before_cursor_execute", listener)
        try:
            assert browser.get(f"/proposals/{proposal_id}").status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", listener)
        return len(counted)

    add(5)
    few = queries()
    add(200)
    assert queries() <= few + 3  # authors of the page's comments may take a few more, never one per comment
