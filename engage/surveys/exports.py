"""Every answer of a survey as a CSV file (one row per answer, no personal data), built by engage.core.exports."""
from __future__ import annotations

from typing import IO

from engage.core import csvfile, exports
from engage.extensions import db
from engage.surveys import results
from engage.surveys.models import Survey


def _published(survey_id: int) -> Survey | None:
    survey = db.session.get(Survey, survey_id)
    return survey if survey is not None and survey.is_published else None


def write_answers(survey: Survey, file: IO[str]) -> None:
    writer = csvfile.writer(file)
    writer.writerow(results.export_header(survey))
    for row in results.export_rows(survey):
        writer.writerow(row)


ANSWERS = exports.register(exports.Export(
    name="survey-answers", suffix="csv", content_type="text/csv", load=_published,
    tags=lambda s: ["rounds", f"survey:{s.id}"], filename=lambda s: f"survey-{s.id}-answers.csv",
    size=lambda s: s.respondent_count or 0, write=write_answers,
))
