"""Two requests at the same moment, replayed step by step: the counts stay exact and nobody loses a seat.

Each test holds one "request" (its own app context, session and transaction) open at the point where
the other one could slip in, lets the other one run and commit, then finishes the first. What is
asserted is the outcome, never how long anything took.
"""
from __future__ import annotations

import threading
from datetime import timedelta

from engage.extensions import db


def _in_another_request(app, fn) -> threading.Thread:
    """Run ``fn()`` in a thread with its own request context (its own session), and commit it."""
    failures = []

    def run():
        try:
            with app.test_request_context("/"):
                fn()
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported by the test below
            failures.append(exc)
            raise

    thread = threading.Thread(target=run, daemon=True)
    thread.failures = failures
    thread.start()
    return thread


def _round_open_now(app, facilitator, phase):
    from engage.auth.models import User
    from engage.core.time import utcnow
    from engage.rounds import services
    from engage.rounds.phases import PhaseType

    with app.app_context():
        round_ = services.create_round(by=db.session.get(User, facilitator.id), default_locale="en", organiser="City",
                                       district=None, texts={"en": services.Texts("Parks", "Summary")}, topics=[])
        services.add_phase(round_, type=PhaseType(phase), starts_at=utcnow() - timedelta(days=1),
                           ends_at=utcnow() + timedelta(days=30))
        services.publish(round_)
        db.session.commit()
        return round_.id


# --- Comments ----------------------------------------------------------------------------------


def test_a_comment_deleted_by_two_requests_at_once_is_counted_out_once(app, create_user, create_proposal):
    from engage.auth.models import User
    from engage.comments import services as comments
    from engage.proposals.models import Proposal
    from engage.rounds import stats
    from engage.rounds.models import Round, RoundStats

    author = create_user(roles=("facilitator",))
    round_id = _round_open_now(app, author, "deliberation")
    proposal_id = create_proposal(round_id, author)
    with app.app_context():
        comment = comments.add_comment(db.session.get(Round, round_id), db.session.get(Proposal, proposal_id),
                                       db.session.get(User, create_user().id), body="Near the playground", locale="en")
        db.session.commit()
        comment_id = comment.id

    with app.test_request_context("/"):
        first = comments.get_comment(comment_id)  # the first click has loaded the comment, still there
        assert not first.is_deleted
        second = _in_another_request(app, lambda: comments.delete_comment(comments.get_comment(comment_id)))
        second.join()
        assert not second.failures
        comments.delete_comment(first)  # ... and deletes it after the second click has
        db.session.commit()

    with app.app_context():
        assert db.session.get(Proposal, proposal_id).comment_count == 0
        assert db.session.get(RoundStats, round_id).comments == 0
        kept = db.session.get(RoundStats, round_id).comments
        stats.rebuild([round_id])
        assert db.session.get(RoundStats, round_id).comments == kept
        db.session.rollback()


def test_a_second_click_on_delete_answers_as_the_first(app, browser, create_user, create_proposal):
    from engage.auth.models import User
    from engage.comments import services as comments
    from engage.proposals.models import Proposal
    from engage.rounds.models import Round

    facilitator = create_user(roles=("facilitator",))
    round_id = _round_open_now(app, facilitator, "deliberation")
    proposal_id = create_proposal(round_id, facilitator)
    person = create_user()
    with app.app_context():
        comment = comments.add_comment(db.session.get(Round, round_id), db.session.get(Proposal, proposal_id),
                                       db.session.get(User, person.id), body="Near the playground", locale="en")
        db.session.commit()
        comment_id = comment.id
    browser.sign_in(person)
    token = browser.csrf_token(f"/proposals/{proposal_id}")
    answers = [browser.client.post(f"/comments/{comment_id}/delete", data={"csrf_token": token}) for _ in range(2)]
    assert [a.status_code for a in answers] == [302, 302]
    assert answers[1].headers["Location"] == answers[0].headers["Location"]
    with app.app_context():
        assert db.session.get(Proposal, proposal_id).comment_count == 0
    # Someone else's comment stays refused.
    other = create_user()
    with app.app_context():
        theirs = comments.add_comment(db.session.get(Round, round_id), db.session.get(Proposal, proposal_id),
                                      db.session.get(User, other.id), body="Under the trees", locale="en")
        comments.delete_comment(theirs)
        db.session.commit()
        theirs_id = theirs.id
    assert browser.client.post(f"/comments/{theirs_id}/delete", data={"csrf_token": token}).status_code == 403
