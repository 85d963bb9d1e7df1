"""Meetings: who prepares them, the notice rule, registration with a waitlist, the record afterwards."""
from __future__ import annotations

import csv
import io
import threading
import time
from datetime import timedelta

import pytest

from engage.extensions import db
from engage.meetings import services
from engage.meetings.models import Meeting, Registration
from engage.notifications.models import Notification

from tests.cocreation.conftest import NOW


def _meeting(app, meeting_id) -> Meeting:
    return db.session.get(Meeting, meeting_id)


def _meeting_form(round_id, start="2026-06-10T10:00", end="2026-06-10T12:00", **extra):
    data = {"kind": "public", "round_id": str(round_id), "forum_id": "", "default_locale": "en",
            "starts_at": start, "ends_at": end, "venue_name": "Vcentri HUB, Obolon district",
            "venue_address": "Obolonskyi Ave 1", "accessibility": "Step-free entrance", "online_url": "",
            "capacity": "20", "registration_required": "y", "title_en": "Open data evening",
            "description_en": "Let us talk.", "agenda_en": "1. Welcome\n2. Open data"}
    data.update(extra)
    return data


# --- Preparing and publishing ---------------------------------------------------------------


def test_the_rounds_facilitator_prepares_a_meeting_others_cannot(app, browser, create_user, create_round, facilitator, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    other_facilitator = create_user(roles=("facilitator",))
    resident = create_user()
    browser.sign_in(resident)
    assert browser.get(f"/meetings/new?round={round_id}").status_code == 403
    browser.sign_out()
    browser.sign_in(other_facilitator)
    assert browser.get(f"/meetings/new?round={round_id}").status_code == 403
    # Naming someone else's round in the form is refused too.
    refused = browser.submit("/meetings/new?forum=", _meeting_form(round_id), form_url="/meetings/new")
    assert refused.status_code in (403, 422)
    browser.sign_out()
    browser.sign_in(facilitator)
    response = browser.submit(f"/meetings/new?round={round_id}", _meeting_form(round_id))
    assert response.status_code == 302
    with app.app_context():
        meeting = db.session.scalar(db.select(Meeting))
        assert meeting.round_id == round_id and not meeting.is_published
        assert meeting.capacity == 20 and meeting.registration_required
        assert meeting.starts_at.isoformat() == "2026-06-10T07:00:00+00:00"  # 10:00 in Kyiv (summer time)
        meeting_id = meeting.id
    browser.sign_out()
    # A draft is not public.
    assert browser.get(f"/meetings/{meeting_id}").status_code == 404
    assert f"/meetings/{meeting_id}" not in browser.get("/meetings/").get_data(as_text=True)


def test_meeting_form_errors_keep_what_was_typed(app, browser, create_round, facilitator, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    browser.sign_in(facilitator)
    response = browser.submit(f"/meetings/new?round={round_id}",
                              _meeting_form(round_id, end="2026-06-10T09:00", venue_name="", title_en="Evening talk"))
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "The meeting must end after it starts." in page
    assert 'value="Evening talk"' in page
    no_place = browser.submit(f"/meetings/new?round={round_id}", _meeting_form(round_id, venue_name="", online_url=""))
    assert "Give a venue, an online link, or both." in no_place.get_data(as_text=True)
    no_context = browser.submit(f"/meetings/new?round={round_id}", _meeting_form(""))
    assert "A meeting belongs to a round, to the forum, or to both." in no_context.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(Meeting.id))) == 0


@pytest.mark.parametrize("days_ahead, short", [(30, False), (14, False), (13, True), (2, True)])
def test_notice_period_rule(app, facilitator, create_round, create_meeting, clock, days_ahead, short):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, starts_at=NOW + timedelta(days=days_ahead, minutes=5),
                                published=False)
    with app.test_request_context():
        meeting = _meeting(app, meeting_id)
        if short:
            with pytest.raises(services.ShortNotice):
                services.publish(meeting)
            assert not meeting.is_published
            services.publish(meeting, confirm_short_notice=True)
        else:
            services.publish(meeting)
        db.session.commit()
        assert meeting.is_published and meeting.short_notice is short
        assert meeting.agenda_published_at == NOW
        assert meeting.notice_days == days_ahead


def test_notice_days_come_from_the_setting(app, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, starts_at=NOW + timedelta(days=10), published=False)
    app.config["MEETING_NOTICE_DAYS"] = 7
    try:
        with app.app_context():
            services.publish(_meeting(app, meeting_id))
            assert not _meeting(app, meeting_id).short_notice
    finally:
        app.config["MEETING_NOTICE_DAYS"] = 14


def test_publishing_with_short_notice_asks_for_confirmation(app, browser, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, starts_at=NOW + timedelta(days=5, hours=1), published=False)
    browser.sign_in(facilitator)
    page = browser.get(f"/meetings/{meeting_id}/publish").get_data(as_text=True)
    assert "The meeting starts in 5 days." in page and "at least 14 days of notice" in page
    unconfirmed = browser.submit(f"/meetings/{meeting_id}/publish", {})
    assert unconfirmed.status_code == 422
    assert "Tick the box to publish with short notice" in unconfirmed.get_data(as_text=True)
    with app.app_context():
        assert not _meeting(app, meeting_id).is_published
    confirmed = browser.submit(f"/meetings/{meeting_id}/publish", {"confirm_short_notice": "y"})
    assert confirmed.status_code == 302
    browser.sign_out()
    page = browser.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Short notice" in page
    assert "5 days before the meeting" in page and "Less than the 14 days" in page


def test_a_meeting_cannot_be_published_without_an_agenda(app, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, agenda="", published=False)
    with app.test_request_context():
        with pytest.raises(services.MeetingError):
            services.publish(_meeting(app, meeting_id), confirm_short_notice=True)


# --- Registration ---------------------------------------------------------------------------


def _register(browser, meeting_id):
    return browser.submit(f"/meetings/{meeting_id}/register", {}, form_url=f"/meetings/{meeting_id}")


def _cancel(browser, meeting_id):
    return browser.submit(f"/meetings/{meeting_id}/cancel", {}, form_url=f"/meetings/{meeting_id}")


def _statuses(app, meeting_id):
    with app.app_context():
        rows = db.session.scalars(db.select(Registration).where(Registration.meeting_id == meeting_id)
                                  .order_by(Registration.id)).all()
        return [(r.user.email, r.status) for r in rows], _meeting(app, meeting_id).seats_taken


def test_capacity_then_waitlist_then_promotion_on_cancellation(app, browser, create_user, facilitator, create_round,
                                                               create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=2, registration=True)
    people = [create_user(f"p{n}@example.org") for n in range(4)]
    for person in people:
        browser.sign_in(person)
        assert _register(browser, meeting_id).status_code == 302
        browser.sign_out()
    statuses, taken = _statuses(app, meeting_id)
    assert statuses == [("p0@example.org", "registered"), ("p1@example.org", "registered"),
                        ("p2@example.org", "waitlisted"), ("p3@example.org", "waitlisted")]
    assert taken == 2
    browser.sign_in(people[2])
    assert "You are on the waitlist." in browser.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    # Registering twice changes nothing.
    _register(browser, meeting_id)
    browser.sign_out()
    assert _statuses(app, meeting_id)[0][2] == ("p2@example.org", "waitlisted")

    browser.sign_in(people[0])
    _cancel(browser, meeting_id)
    browser.sign_out()
    statuses, taken = _statuses(app, meeting_id)
    assert statuses == [("p0@example.org", "cancelled"), ("p1@example.org", "registered"),
                        ("p2@example.org", "registered"), ("p3@example.org", "waitlisted")]
    assert taken == 2
    with app.app_context():
        told = db.session.scalars(db.select(Notification).where(Notification.kind == "meeting")).all()
        assert [n.user_id for n in told] == [people[2].id]
        assert told[0].params["title"] == "Public meeting on open data"
    # Leaving the waitlist frees nothing; the person who cancelled may come back, at the end of the queue.
    browser.sign_in(people[3])
    _cancel(browser, meeting_id)
    browser.sign_out()
    browser.sign_in(people[0])
    _register(browser, meeting_id)
    browser.sign_out()
    statuses, taken = _statuses(app, meeting_id)
    assert statuses[0] == ("p0@example.org", "waitlisted") and statuses[3] == ("p3@example.org", "cancelled")
    assert taken == 2


def test_raising_the_capacity_moves_the_waitlist_up(app, create_user, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=1, registration=True)
    people = [create_user() for _ in range(3)]
    from engage.auth.models import User

    with app.app_context():
        meeting = _meeting(app, meeting_id)
        for person in people:
            services.register(meeting, db.session.get(User, person.id))
        meeting.capacity = 3
        services.promote_waitlist(meeting)
        db.session.commit()
    statuses, taken = _statuses(app, meeting_id)
    assert [s for _, s in statuses] == ["registered"] * 3 and taken == 3


def test_two_people_for_the_last_seat_one_gets_it(app, create_user, facilitator, create_round, create_meeting, clock):
    """The first request holds the seat (uncommitted) while the second asks: the database makes the second wait,
    then sees the seat taken and puts that person on the waitlist."""
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=1, registration=True)
    first, second = create_user(), create_user()
    from engage.auth.models import User

    claimed = threading.Event()
    results = {}

    def take_the_seat():
        with app.app_context():
            registration = services.register(_meeting(app, meeting_id), db.session.get(User, first.id))
            results["first"] = registration.status
            claimed.set()
            time.sleep(0.5)  # still uncommitted while the other person asks
            db.session.commit()

    def ask_for_it():
        claimed.wait(5)
        with app.app_context():
            registration = services.register(_meeting(app, meeting_id), db.session.get(User, second.id))
            results["second"] = registration.status
            db.session.commit()

    threads = [threading.Thread(target=take_the_seat), threading.Thread(target=ask_for_it)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results == {"first": "registered", "second": "waitlisted"}
    statuses, taken = _statuses(app, meeting_id)
    assert sorted(s for _, s in statuses) == ["registered", "waitlisted"] and taken == 1


def test_many_people_at_once_never_overfill(app, create_user, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=3, registration=True)
    people = [create_user() for _ in range(8)]
    from engage.auth.models import User

    barrier = threading.Barrier(len(people))
    errors = []

    def register(person):
        try:
            with app.app_context():
                user = db.session.get(User, person.id)
                meeting = _meeting(app, meeting_id)
                barrier.wait(5)
                services.register(meeting, user)
                db.session.commit()
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(repr(exc))

    threads = [threading.Thread(target=register, args=(p,)) for p in people]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert errors == []
    statuses, taken = _statuses(app, meeting_id)
    assert [s for _, s in statuses].count("registered") == 3 and taken == 3
    assert [s for _, s in statuses].count("waitlisted") == 5


def test_who_may_register(app, browser, create_user, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    open_meeting = create_meeting(facilitator, round_id=round_id, registration=False)
    response = browser.submit(f"/meetings/{open_meeting}/register", {}, form_url="/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    resident = create_user()
    browser.sign_in(resident)
    assert _register(browser, open_meeting).status_code == 403  # no registration for this meeting
    started = create_meeting(facilitator, round_id=round_id, registration=True, starts_at=NOW + timedelta(hours=1))
    clock(NOW + timedelta(hours=2))
    assert _register(browser, started).status_code == 403
    assert "Registration has closed." in browser.get(f"/meetings/{started}").get_data(as_text=True)


def test_registration_list_and_csv_are_for_facilitators_and_hold_no_emails(app, browser, create_user, facilitator,
                                                                           create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, capacity=1, registration=True)
    anna, borys = create_user("anna@example.org", display_name="Anna K"), create_user("borys@example.org", display_name="Borys L")
    for person in (anna, borys):
        browser.sign_in(person)
        _register(browser, meeting_id)
        browser.sign_out()
    browser.sign_in(anna)
    assert browser.get(f"/meetings/{meeting_id}/registrations.csv").status_code == 403
    assert "Borys L" not in browser.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    browser.sign_out()
    browser.sign_in(facilitator)
    page = browser.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Anna K" in page and "Borys L" in page and "1 on the waitlist" in page
    response = browser.get(f"/meetings/{meeting_id}/registrations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["Name", "Organisation", "Status", "Registered at"]
    assert [(r[0], r[2]) for r in rows[1:]] == [("Anna K", "Registered"), ("Borys L", "Waitlist")]
    assert "@" not in body


# --- After the meeting, comments, lists -----------------------------------------------------


def test_attendance_and_minutes_are_recorded_and_shown(app, browser, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, starts_at=NOW - timedelta(days=1))
    browser.sign_in(facilitator)
    too_many = browser.submit(f"/meetings/{meeting_id}/record", {"attendance_total": "10", "sector_government": "8",
                                                                "sector_civil_society": "5", "minutes_en": "Agreed."})
    assert too_many.status_code == 422
    assert "add up to more than the total" in too_many.get_data(as_text=True)
    ok = browser.submit(f"/meetings/{meeting_id}/record", {"attendance_total": "40", "sector_government": "12",
                                                          "sector_civil_society": "20", "minutes_en": "We agreed **five** areas."})
    assert ok.status_code == 302
    browser.sign_out()
    page = browser.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "40 people attended." in page and "<strong>five</strong>" in page
    assert "Government" in page and "12" in page
    with app.app_context():
        meeting = _meeting(app, meeting_id)
        assert meeting.attendance_by_sector == {"government": 12, "civil_society": 20}
        assert meeting.minutes_published_at == NOW


def test_comments_on_a_meeting(app, browser, create_user, facilitator, create_forum, create_meeting, clock):
    clock(NOW)
    forum_id = create_forum(facilitator)
    meeting_id = create_meeting(facilitator, forum_id=forum_id, kind="forum")
    resident = create_user(display_name="Oksana")
    browser.sign_in(resident)
    response = browser.submit(f"/meetings/{meeting_id}/comments", {"body": "Will there be an online stream?"})
    assert response.status_code == 302 and f"/meetings/{meeting_id}#comment-" in response.headers["Location"]
    browser.sign_out()
    browser.sign_in(facilitator)
    from engage.comments.models import Comment

    with app.app_context():
        question = db.session.scalar(db.select(Comment))
        assert question.meeting_id == meeting_id and question.round_id is None
    reply = browser.submit(f"/meetings/{meeting_id}/comments?parent={question.id}",
                           {"body": "Yes, the link is on this page.", "parent_id": str(question.id)})
    assert reply.status_code == 302
    browser.sign_out()
    page = browser.get(f"/meetings/{meeting_id}").get_data(as_text=True)
    assert "Will there be an online stream?" in page and "Yes, the link is on this page." in page
    assert "Official response" in page
    with app.app_context():
        told = db.session.scalar(db.select(Notification).where(Notification.kind == "reply"))
        assert told.user_id == resident.id and told.path.startswith(f"/meetings/{meeting_id}#comment-")
    # Meeting comments stay off the round and proposal threads, and flagging works without a round.
    browser.sign_in(resident)
    flag = browser.submit(f"/flag/comment/{question.id + 1}", {"reason": "off_topic", "details": ""})
    assert flag.status_code == 302


def test_meetings_list_filters_and_round_page(app, browser, facilitator, create_round, create_forum, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    forum_id = create_forum(facilitator)
    create_meeting(facilitator, round_id=round_id, title="Future focus group", kind="focus_group")
    create_meeting(facilitator, round_id=round_id, title="Past public meeting", starts_at=NOW - timedelta(days=3))
    create_meeting(facilitator, forum_id=forum_id, title="Council session", kind="forum")
    create_meeting(facilitator, round_id=round_id, title="Draft meeting", published=False)
    upcoming = browser.get("/meetings/").get_data(as_text=True)
    assert "Future focus group" in upcoming and "Council session" in upcoming
    assert "Past public meeting" not in upcoming and "Draft meeting" not in upcoming
    past = browser.get("/meetings/?when=past").get_data(as_text=True)
    assert "Past public meeting" in past and "Future focus group" not in past
    kind = browser.get("/meetings/?when=all&kind=forum").get_data(as_text=True)
    assert "Council session" in kind and "Future focus group" not in kind
    by_round = browser.get(f"/meetings/?when=all&round={round_id}").get_data(as_text=True)
    assert "Council session" not in by_round and "Past public meeting" in by_round
    assert browser.get("/meetings/?when=nonsense&kind=<x>&round=abc&page=-3").status_code == 200
    round_page = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Future focus group" in round_page and "Past public meeting" in round_page
    assert "Draft meeting" not in round_page


def test_links_must_be_web_addresses(app, browser, create_round, facilitator, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    browser.sign_in(facilitator)
    for link in ("javascript://example.org/%0aalert(1)", "ftp://example.org/file", "example.org"):
        response = browser.submit(f"/meetings/new?round={round_id}", _meeting_form(round_id, online_url=link))
        assert response.status_code == 422, link
        assert "Enter a full web address starting with https://." in response.get_data(as_text=True)
    assert browser.submit(f"/meetings/new?round={round_id}",
                          _meeting_form(round_id, online_url="https://meet.example.org/kyiv")).status_code == 302
    # Facilitators find the planning page from the meetings list.
    assert "/meetings/new" in browser.get("/meetings/").get_data(as_text=True)


def test_the_home_page_lists_the_next_three_public_meetings(app, browser, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    assert "No meeting is planned at the moment." in browser.get("/").get_data(as_text=True)
    for n in range(4):
        create_meeting(facilitator, round_id=round_id, title=f"Meeting {n}", starts_at=NOW + timedelta(days=n + 1))
    create_meeting(facilitator, round_id=round_id, title="Draft one", starts_at=NOW + timedelta(hours=5), published=False)
    page = browser.get("/").get_data(as_text=True)
    assert [f"Meeting {n}" in page for n in range(4)] == [True, True, True, False]
    assert "Draft one" not in page
