"""What meetings add to the round's page: its upcoming and past meetings."""
from __future__ import annotations

from engage.core.sections import section
from engage.meetings import services


@section("round", "body", order=20, template="meetings/_round_meetings.html")
def round_meetings(round_, *, can_edit):
    upcoming, past = services.split_by_time(services.meetings_of(round_=round_, include_drafts=can_edit))
    return {"upcoming_meetings": upcoming, "past_meetings": past}
