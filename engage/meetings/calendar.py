"""Meetings as iCalendar (RFC 5545): one event per meeting, its UID stable across changes.

Times are written in the site's time zone with a TZID and the matching VTIMEZONE,
so a calendar shows 10:00 in Kyiv as 10:00 in Kyiv whatever the season.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, url_for
from icalendar import Calendar, Event, Timezone

from engage.core.time import site_timezone, utcnow
from engage.meetings.models import Meeting


def _event(meeting: Meeting, locale: str) -> Event:
    tz = site_timezone()
    event = Event()
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "engage"
    event.add("uid", f"meeting-{meeting.uid}@{host}")
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", utcnow())
    event.add("created", meeting.created_at)
    event.add("last-modified", meeting.updated_at)
    event.add("dtstart", meeting.starts_at.astimezone(tz))
    event.add("dtend", meeting.ends_at.astimezone(tz))
    event.add("summary", meeting.text("title", locale))
    page = url_for("meetings.show", meeting_id=meeting.id, _external=True)
    # Descriptions are plain text; Markdown is written to read well as it is.
    description = "\n\n".join(part for part in (meeting.text("description", locale), meeting.text("agenda", locale), page)
                              if part)
    event.add("description", description)
    event.add("url", page)
    location = ", ".join(part for part in (meeting.venue_name, meeting.venue_address) if part)
    if location or meeting.online_url:
        event.add("location", location or meeting.online_url)
    event.add("status", "CONFIRMED")
    return event


def calendar_of(meetings: list[Meeting], *, name: str, locale: str) -> bytes:
    tz = site_timezone()
    calendar = Calendar()
    calendar.add("prodid", f"-//{current_app.config['SITE_NAME']}//Meetings//{locale.upper()}")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", str(tz))
    if meetings:
        first = min(m.starts_at for m in meetings).astimezone(tz).date().replace(month=1, day=1)
        last = max(m.ends_at for m in meetings).astimezone(tz).date().replace(month=12, day=31)
        calendar.add_component(Timezone.from_tzinfo(tz, first_date=first, last_date=last))
    for meeting in meetings:
        calendar.add_component(_event(meeting, locale))
    return calendar.to_ical()


