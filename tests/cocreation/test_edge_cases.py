"""Edges of the co-creation pages: who manages a joint meeting, what drafts leak, odd input, races."""
from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from engage.extensions import db
from engage.meetings import services as meetings
from engage.meetings.models import Meeting, Registration
from engage.organisations.models import Organisation, Representative

from tests.cocreation.conftest import NOW


def _in_threads(count, work):
    barrier = threading.Barrier(count)
    errors = []

    def run(n):
        try:
            barrier.wait(5)
            work(n)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(repr(exc))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return errors


def test_a_round_meeting_on_the_forum_stays_the_rounds(app, browser, create_user, facilitator, create_round,
                                                      create_forum, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    forum_id = create_forum(facilitator)
    joint = create_meeting(facilitator, round_id=round_id, forum_id=forum_id, registration=True, published=False)
    forum_only = create_meeting(facilitator, forum_id=forum_id, kind="forum")
    other = create_user(roles=("facilitator",))
    browser.sign_in(other)
    assert browser.get(f"/meetings/{joint}").status_code == 404  # a draft of someone else's round
    assert browser.get(f"/meetings/{joint}/edit").status_code == 404
    assert browser.get(f"/meetings/{joint}/registrations.csv").status_code == 404
    assert browser.get(f"/meetings/{forum_only}/edit").status_code == 200  # the forum's meetings: any facilitator


def test_the_forum_does_not_show_meetings_of_a_draft_round(app, browser, facilitator, create_round, create_forum,
                                                           create_meeting, clock):
    clock(NOW)
    draft_round = create_round(facilitators=[facilitator], published=False)
    forum_id = create_forum(facilitator)
    create_meeting(facilitator, round_id=draft_round, forum_id=forum_id, title="Secret session")
    create_meeting(facilitator, forum_id=forum_id, title="Council session", kind="forum")
    page = browser.get(f"/forum/{forum_id}").get_data(as_text=True)
    assert "Council session" in page and "Secret session" not in page
    feed = browser.get(f"/forum/{forum_id}/meetings.ics").get_data(as_text=True)
    assert "Council session" in feed and "Secret session" not in feed


def test_a_member_organisation_back_in_verification_shows_its_recorded_name(app, browser, create_user, facilitator,
                                                                            create_forum, create_organisation, clock):
    clock(NOW)
    forum_id = create_forum(facilitator)
    representative = create_user()
    org_id = create_organisation(representative, name="ГО «Відкрите місто»")
    browser.sign_in(facilitator)
    added = browser.submit(f"/forum/{forum_id}/members/new", {
        "name": "Olena", "organisation_id": str(org_id), "organisation_name": "", "sector": "civil_society",
        "role": "member", "term_start": "2026-01-01"})
    assert added.status_code == 302
    browser.sign_out()
    assert f"/organisations/{org_id}" in browser.get(f"/forum/{forum_id}").get_data(as_text=True)
    with app.app_context():
        organisation = db.session.get(Organisation, org_id)
        organisation.status, organisation.name_en = Organisation.PENDING, "Renamed while pending"
        db.session.commit()
    page = browser.get(f"/forum/{forum_id}").get_data(as_text=True)
    assert f"/organisations/{org_id}" not in page and "Renamed while pending" not in page
    assert "ГО «Відкрите місто»" in page


@pytest.mark.parametrize("url", [
    "/meetings/?round=²", "/meetings/?round=99999999999999999999", "/api/v1/endorsements?organisation=²",
    "/api/v1/endorsements?organisation=99999999999999999999", "/api/v1/endorsements?target=proposal:²",
    "/api/v1/endorsements?target=proposal:99999999999999999999", "/endorsements/new?target=proposal:²",
    "/meetings/99999999999999999999", "/organisations/99999999999999999999", "/rounds/99999999999",
    "/meetings/?round=9999999999", "/api/v1/endorsements?organisation=3000000000", "/proposals/2147483648",
])
def test_odd_ids_never_break_a_page(browser, url):
    assert browser.get(url).status_code in (200, 302, 400, 404)


def test_odd_ids_and_dates_in_forms(app, browser, facilitator, create_round, create_forum, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    forum_id = create_forum(facilitator)
    browser.sign_in(facilitator)
    assert browser.get("/meetings/new?round=²&forum=99999999999999999999").status_code == 200
    base = {"kind": "public", "round_id": str(round_id), "forum_id": "", "default_locale": "en",
            "starts_at": "2026-06-10T10:00", "ends_at": "2026-06-10T12:00", "venue_name": "Hub", "title_en": "Talk",
            "agenda_en": "1. Talk"}
    for changes in ({"round_id": "²"}, {"forum_id": "99999999999999999999", "round_id": ""},
                    {"starts_at": "0001-01-01T00:00"}, {"ends_at": "9999-12-31T20:00"}):
        response = browser.submit(f"/meetings/new?round={round_id}", {**base, **changes})
        assert response.status_code == 422, changes
    assert "Enter a date between the years 2000 and 2100." in browser.submit(
        f"/meetings/new?round={round_id}", {**base, "starts_at": "0001-01-01T00:00"}).get_data(as_text=True)
    member = browser.submit(f"/forum/{forum_id}/members/new", {"name": "X", "organisation_id": "²", "organisation_name": "",
                                                              "sector": "youth", "role": "member", "term_start": "2026-01-01"})
    assert member.status_code == 422
    decision = browser.submit(f"/forum/{forum_id}/decisions", {"decided_on": "2026-01-01", "text": "X",
                                                              "meeting_id": "99999999999999999999"},
                              form_url=f"/forum/{forum_id}/members")
    assert decision.status_code in (302, 422)


def test_cancelling_after_the_start_is_refused(app, browser, create_user, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=1, registration=True,
                                starts_at=NOW + timedelta(days=1))
    first, second = create_user(), create_user()
    for person in (first, second):
        browser.sign_in(person)
        browser.submit(f"/meetings/{meeting_id}/register", {}, form_url=f"/meetings/{meeting_id}")
        browser.sign_out()
    clock(NOW + timedelta(days=2))
    browser.sign_in(first)
    assert browser.submit(f"/meetings/{meeting_id}/cancel", {}, form_url=f"/meetings/{meeting_id}").status_code == 403
    with app.app_context():
        statuses = dict(db.session.execute(db.select(Registration.user_id, Registration.status)).all())
    assert statuses == {first.id: "registered", second.id: "waitlisted"}


def test_coming_back_twice_at_once_takes_one_seat(app, create_user, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=5, registration=True)
    person = create_user()
    from engage.auth.models import User

    with app.test_request_context():
        meeting, user = db.session.get(Meeting, meeting_id), db.session.get(User, person.id)
        meetings.register(meeting, user)
        meetings.cancel(meeting, user)
        db.session.commit()

    def come_back(_):
        with app.app_context():
            meetings.register(db.session.get(Meeting, meeting_id), db.session.get(User, person.id))
            db.session.commit()

    assert _in_threads(2, come_back) == []
    with app.app_context():
        assert db.session.get(Meeting, meeting_id).seats_taken == 1
        assert db.session.scalars(db.select(Registration.status)).all() == ["registered"]


def test_two_representatives_leaving_at_once_leave_one(app, create_user, create_organisation):
    first, second = create_user(), create_user()
    org_id = create_organisation(first)
    with app.app_context():
        db.session.add(Representative(organisation_id=org_id, user_id=second.id))
        db.session.commit()
    from engage.auth.models import User
    from engage.organisations import services

    refused = []

    def leave(n):
        person = (first, second)[n]
        with app.test_request_context():
            try:
                services.leave(db.session.get(Organisation, org_id), db.session.get(User, person.id))
                db.session.commit()
            except services.OrganisationError:
                db.session.rollback()
                refused.append(n)

    assert _in_threads(2, leave) == []
    with app.app_context():
        left = db.session.scalars(db.select(Representative).where(Representative.organisation_id == org_id)).all()
    assert len(left) == 1 and len(refused) == 1


def test_accepting_one_invitation_twice_at_once(app, create_user, create_organisation):
    first = create_user()
    invited = create_user("colleague@example.org")
    org_id = create_organisation(first)
    from engage.auth.models import User
    from engage.organisations.models import Invitation
    from engage.organisations import services

    with app.app_context():
        invitation = Invitation(organisation_id=org_id, email="colleague@example.org", invited_by_id=first.id)
        db.session.add(invitation)
        db.session.commit()
        invitation_id = invitation.id

    def accept(_):
        with app.test_request_context():
            services.accept(db.session.get(Invitation, invitation_id), db.session.get(User, invited.id))
            db.session.commit()

    assert _in_threads(2, accept) == []
    with app.app_context():
        reps = db.session.scalars(db.select(Representative.user_id).where(Representative.organisation_id == org_id)).all()
    assert sorted(reps) == sorted([first.id, invited.id])


def test_replies_follow_a_meeting_moved_to_another_round(app, browser, create_user, facilitator, create_round,
                                                         create_forum, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    forum_id = create_forum(facilitator)
    meeting_id = create_meeting(facilitator, round_id=round_id, forum_id=forum_id)
    resident = create_user()
    browser.sign_in(resident)
    browser.submit(f"/meetings/{meeting_id}/comments", {"body": "First question"})
    browser.sign_out()
    from engage.comments.models import Comment

    with app.app_context():
        question = db.session.scalar(db.select(Comment))
    browser.sign_in(facilitator)
    moved = browser.submit(f"/meetings/{meeting_id}/edit", {
        "kind": "public", "round_id": "", "forum_id": str(forum_id), "default_locale": "en",
        "starts_at": "2026-06-10T10:00", "ends_at": "2026-06-10T12:00", "venue_name": "Hub", "title_en": "Talk",
        "agenda_en": "1. Talk"})
    assert moved.status_code == 302
    with app.app_context():
        assert db.session.get(Comment, question.id).round_id is None
    reply = browser.submit(f"/meetings/{meeting_id}/comments?parent={question.id}",
                           {"body": "Answer", "parent_id": str(question.id)})
    assert reply.status_code == 302
    # Meeting comments are not listed in the round's comments CSV.
    assert "First question" not in browser.get(f"/rounds/{round_id}/comments.csv").get_data(as_text=True)
