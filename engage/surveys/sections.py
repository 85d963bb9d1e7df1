"""What surveys add to the round's page: the list of its surveys."""
from __future__ import annotations

from engage.core.cache import depends_on
from engage.core.sections import section
from engage.surveys import services


@section("round", "body", order=15, template="surveys/_round_surveys.html")
def round_surveys(round_, *, can_edit, shared):
    surveys = services.surveys_of(round_, include_drafts=can_edit)
    published = [s for s in surveys if s.is_published]
    depends_on(*(f"survey:{s.id}" for s in published))  # the page shows their state
    shared["published_surveys"] = published  # the feedback report counts their answers
    return {"surveys": surveys}


@section("round_manage", "manage", order=10, template="surveys/_round_manage.html")
def round_manage_surveys(round_):
    surveys = services.surveys_of(round_, include_drafts=True)
    return {"surveys": surveys, "respondents": {s.id: s.respondent_count or 0 for s in surveys}}
