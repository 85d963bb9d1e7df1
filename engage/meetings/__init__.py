"""Meetings of rounds and of the forum: notice, registration, attendance, minutes, calendars."""
