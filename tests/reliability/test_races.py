"""Two requests at the same moment, replayed step by step: the counts stay exact and nobody loses a seat.

Each test holds one "request" (its own app context, session and transaction) open at the point where
the other one could slip in, lets the other one run and commit, then finishes the first. What is
asserted is the outcome, never how long anything took.
"""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

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


# --- Meetings --------------------------------------------------------------------------------------


def _waiting_on_a_lock() -> bool:
    return bool(db.session.execute(text(
        "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )).scalar())


def test_a_seat_freed_while_someone_registers_goes_to_them(app, create_user):
    """On PostgreSQL (READ COMMITTED) the cancellation's search of the waitlist does not see a registration
    that is not yet committed: the cancellation must wait for it rather than leave the seat empty."""
    from engage.auth.models import User
    from engage.core.time import utcnow
    from engage.meetings import services
    from engage.meetings.models import Meeting, Registration
    from engage.rounds.models import Round

    facilitator = create_user(roles=("facilitator",))
    round_id = _round_open_now(app, facilitator, "deliberation")
    holder, newcomer = create_user(), create_user()
    with app.app_context():
        meeting = services.create_meeting(services.Details(
            kind="public", default_locale="en", title={"en": "Workshop"}, description={}, agenda={"en": "Drawing"},
            starts_at=utcnow() + timedelta(days=30), ends_at=utcnow() + timedelta(days=30, hours=2),
            venue_name="Library", capacity=1, registration_required=True),
            round_=db.session.get(Round, round_id), forum=None, by=db.session.get(User, facilitator.id))
        services.publish(meeting)
        services.register(meeting, db.session.get(User, holder.id))
        db.session.commit()
        meeting_id = meeting.id

    with app.test_request_context("/"):
        if db.engine.dialect.name != "postgresql":
            pytest.skip("SQLite lets one writing transaction in at a time: the two cannot interleave")
        # The newcomer asks while the meeting is full: a place on the waitlist, not yet committed ...
        asked = services.register(db.session.get(Meeting, meeting_id), db.session.get(User, newcomer.id))
        assert asked.status == Registration.WAITLISTED
        # ... when the holder cancels, in another request, and that request looks for someone to move up.
        cancelling = _in_another_request(app, lambda: services.cancel(db.session.get(Meeting, meeting_id),
                                                                      db.session.get(User, holder.id)))
        with app.app_context():
            while cancelling.is_alive() and not _waiting_on_a_lock():
                cancelling.join(0.01)
        db.session.commit()
        cancelling.join()
        assert not cancelling.failures

    with app.app_context():
        rows = dict(db.session.execute(select(Registration.user_id, Registration.status)
                                       .where(Registration.meeting_id == meeting_id)).all())
        assert rows == {holder.id: Registration.CANCELLED, newcomer.id: Registration.REGISTERED}
        assert db.session.get(Meeting, meeting_id).seats_taken == 1
        assert db.session.scalar(select(func.count()).select_from(Registration).where(
            Registration.meeting_id == meeting_id, Registration.status == Registration.WAITLISTED)) == 0
