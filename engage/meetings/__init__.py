"""Meetings of rounds and of the forum: notice, registration, attendance, minutes, calendars."""

from engage.core.features import Feature

feature = Feature(
    name="meetings",
    registers=("engage.meetings.models", "engage.meetings.permissions", "engage.meetings.sections"),
    blueprints=("engage.meetings.views:bp",),
    template_globals=(("meeting_kind_label", "engage.meetings.kinds:meeting_kind_label"),),
    demo="engage.meetings.demo",
)
