"""Calendar files: parsed back with icalendar, times checked in UTC and with the site's TZID."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

from icalendar import Calendar

from engage.extensions import db
from engage.meetings.models import Meeting

from tests.cocreation.conftest import NOW

KYIV = ZoneInfo("Europe/Kyiv")


def _parse(response) -> Calendar:
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    return Calendar.from_ical(response.get_data())


def _events(calendar: Calendar):
    return [c for c in calendar.walk("VEVENT")]


def test_one_meeting_as_an_ics_file(app, browser, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    winter_start = datetime(2026, 12, 10, 8, 0, tzinfo=timezone.utc)  # 10:00 in Kyiv, UTC+2
    meeting_id = create_meeting(facilitator, round_id=round_id, starts_at=winter_start, hours=2, title="Winter session")
    calendar = _parse(browser.get(f"/meetings/{meeting_id}.ics"))
    assert calendar["VERSION"] == "2.0" and "PRODID" in calendar
    (event,) = _events(calendar)
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start.astimezone(timezone.utc) == winter_start
    assert end.astimezone(timezone.utc) == winter_start + timedelta(hours=2)
    assert event["DTSTART"].params["TZID"] == "Europe/Kyiv"
    assert (start.hour, start.utcoffset()) == (10, timedelta(hours=2))
    (tz,) = calendar.walk("VTIMEZONE")
    assert tz["TZID"] == "Europe/Kyiv"
    assert str(event["SUMMARY"]) == "Winter session"
    assert "Vcentri HUB, Obolon district" in str(event["LOCATION"])
    assert f"/meetings/{meeting_id}" in str(event["URL"])
    assert "1. Welcome" in str(event["DESCRIPTION"])
    assert event.decoded("DTSTAMP").tzinfo is not None
    text = browser.get(f"/meetings/{meeting_id}.ics").get_data(as_text=True)
    assert text.startswith("BEGIN:VCALENDAR\r\n") and "\r\nEND:VCALENDAR\r\n" in text


def test_uid_is_stable_and_sequence_grows_with_changes(app, browser, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id)
    (before,) = _events(_parse(browser.get(f"/meetings/{meeting_id}.ics")))
    browser.sign_in(facilitator)
    form = {"kind": "public", "round_id": str(round_id), "forum_id": "", "default_locale": "en",
            "starts_at": "2026-07-01T18:00", "ends_at": "2026-07-01T20:00", "venue_name": "Library", "venue_address": "",
            "accessibility": "", "online_url": "", "capacity": "", "title_en": "Moved meeting", "description_en": "",
            "agenda_en": "1. Moved"}
    assert browser.submit(f"/meetings/{meeting_id}/edit", form).status_code == 302
    (after,) = _events(_parse(browser.get(f"/meetings/{meeting_id}.ics")))
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART").astimezone(timezone.utc) == datetime(2026, 7, 1, 15, 0, tzinfo=timezone.utc)
    assert str(after["SUMMARY"]) == "Moved meeting"


def test_subscription_feeds_of_a_round_and_of_the_forum(app, browser, facilitator, create_round, create_forum,
                                                        create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    forum_id = create_forum(facilitator)
    in_round = create_meeting(facilitator, round_id=round_id, title="Round meeting")
    both = create_meeting(facilitator, round_id=round_id, forum_id=forum_id, title="Joint session")
    create_meeting(facilitator, forum_id=forum_id, title="Council only")
    create_meeting(facilitator, round_id=round_id, title="Draft", published=False)
    round_feed = _events(_parse(browser.get(f"/rounds/{round_id}/meetings.ics")))
    assert sorted(str(e["SUMMARY"]) for e in round_feed) == ["Joint session", "Round meeting"]
    forum_feed = _events(_parse(browser.get(f"/forum/{forum_id}/meetings.ics")))
    assert sorted(str(e["SUMMARY"]) for e in forum_feed) == ["Council only", "Joint session"]
    with app.app_context():
        uids = {m.id: m.uid for m in db.session.scalars(db.select(Meeting))}
    assert {str(e["UID"]) for e in round_feed} == {f"meeting-{uids[in_round]}@localhost", f"meeting-{uids[both]}@localhost"}


def test_drafts_have_no_calendar_file(app, browser, facilitator, create_round, create_meeting, clock):
    clock(NOW)
    round_id = create_round(facilitators=[facilitator])
    meeting_id = create_meeting(facilitator, round_id=round_id, published=False)
    assert browser.get(f"/meetings/{meeting_id}.ics").status_code == 404
    browser.sign_in(facilitator)
    assert browser.get(f"/meetings/{meeting_id}.ics").status_code == 404
