"""Results of a survey, read from its tallies.

Every figure of every question (choices, scale distributions, ranking positions, people who
answered) comes from the tallies kept as answers are saved (engage.surveys.tallies): two small
queries, the same for 300 or 100,000 answers. A cross-tab groups the answers of two questions
in the database and is cached until the survey's answers change.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from datetime import datetime, timezone

from sqlalchemy import String, and_, func, select, type_coerce
from sqlalchemy.orm import aliased

from engage.extensions import db
from engage.surveys import tallies
from engage.surveys.models import AnswerItem, Question, Survey, SurveyResponse
from engage.surveys.questions import QuestionKind, Row, kind_of
from engage.surveys.questions.base import share


@dataclass
class QuestionResult:
    question: Question
    answered: int  # people who answered this question
    skipped: int  # respondents who left it empty
    rows: list[Row] = field(default_factory=list)
    mean: float | None = None  # scale questions
    average_positions: list[tuple[int, str, float | None, int]] = field(default_factory=list)  # ranking: id, label, position, count
    texts: list[AnswerItem] = field(default_factory=list)  # free text: the newest visible answers

    @property
    def kind(self) -> str:
        return self.question.type


@dataclass
class Results:
    survey: Survey
    respondents: int
    questions: list[QuestionResult]


def respondents(survey: Survey) -> int:
    return survey.respondent_count or 0


def compute(survey: Survey, locale: str, *, text_sample: int = 5) -> Results:
    question_ids = [q.id for q in survey.questions]
    total = respondents(survey)
    counts, answered = tallies.tallies_of(question_ids)

    results = []
    for question in survey.questions:
        people = answered[question.id]
        result = QuestionResult(question=question, answered=people, skipped=max(total - people, 0))
        kind_of(question).fill_result(result, counts[question.id], locale, text_sample=text_sample)
        results.append(result)
    return Results(survey=survey, respondents=total, questions=results)


def text_answers(question: Question | int, *, include_hidden: bool):
    question_id = question if isinstance(question, int) else question.id
    query = select(AnswerItem).where(AnswerItem.question_id == question_id, AnswerItem.option_id.is_(None),
                                     AnswerItem.text.is_not(None))
    if not include_hidden:
        query = query.where(AnswerItem.hidden_at.is_(None))
    return query.order_by(AnswerItem.id.desc())


# --- Cross-tab ---------------------------------------------------------------------


@dataclass
class CrossTab:
    question: Question
    by: Question
    columns: list[tuple[str, str]]  # (key, label) of the demographic groups, then "not answered"
    rows: list[tuple[str, str, list[int], list[float]]]  # key, label, counts per column, % of the column
    totals: list[int]  # people in each column who answered the question


def crosstab(question: Question, by: Question, locale: str) -> CrossTab:
    """Answers to a choice question by the groups of a demographic question (people counted once per cell)."""
    from flask_babel import gettext as _

    from engage.core.cache import cached_value

    cells, column_totals = cached_value(f"crosstab:{question.id}:{by.id}", [f"survey:{question.survey_id}"],
                                        lambda: _crosstab_counts(question.id, by.id))
    column_keys = [o.id for o in by.options] + [None]
    columns = [(str(o.id), o.label_in(locale)) for o in by.options] + [("none", _("Not answered"))]
    totals = [column_totals.get(k, 0) for k in column_keys]
    row_keys = [(o.id, str(o.id), o.label_in(locale)) for o in question.options]
    if question.allow_other:
        row_keys.append((None, "other", _("Other")))
    rows = []
    for option_id, key, label in row_keys:
        numbers = [cells.get((option_id, g), 0) for g in column_keys]
        rows.append((key, label, numbers, [share(n, t) for n, t in zip(numbers, totals)]))
    return CrossTab(question=question, by=by, columns=columns, rows=rows, totals=totals)


def _crosstab_counts(question_id: int, by_id: int) -> tuple[dict, dict]:
    """People per (answer option, group option) and per group: two GROUP BYs over the answers, kept in
    the cache until the survey's answers change (the tallies hold single questions, not pairs)."""
    answer = aliased(AnswerItem)
    group = aliased(AnswerItem)
    joined = (
        select(answer.option_id, group.option_id, func.count(func.distinct(answer.response_id)))
        .select_from(answer)
        .outerjoin(group, and_(group.response_id == answer.response_id, group.question_id == by_id))
        .where(answer.question_id == question_id)
        .group_by(answer.option_id, group.option_id)
    )
    cells = {(a, g): n for a, g, n in db.session.execute(joined)}
    column_totals = {
        g: n for g, n in db.session.execute(
            select(group.option_id, func.count(func.distinct(answer.response_id))).select_from(answer)
            .outerjoin(group, and_(group.response_id == answer.response_id, group.question_id == by_id))
            .where(answer.question_id == question_id).group_by(group.option_id)
        )
    }
    return cells, column_totals


# --- Export ------------------------------------------------------------------------


def export_header(survey: Survey) -> list[str]:
    locale = survey.default_locale
    return ["answer_id", "submitted_on"] + [
        f"Q{n}. {q.text('prompt', locale)}" for n, q in enumerate(survey.questions, start=1)
    ]


def export_rows(survey: Survey):
    """Prepare the export while the survey is loaded; the rows are then read as they are streamed."""
    locale = survey.default_locale
    questions = [(q.id, kind_of(q)) for q in survey.questions]
    labels = {o.id: o.label_in(locale) for q in survey.questions for o in q.options}
    return _rows(survey.id, questions, labels)


def _rows(survey_id: int, questions: list[tuple[int, QuestionKind]], labels: dict[int, str]):
    """One list per answer: a random id, the day it was last saved, then one cell per question.

    Reads the answers in order, a thousand rows at a time, and yields each answer as soon as
    it is complete: memory stays flat however many answers there are. No names, emails or
    account ids; hidden free-text answers are left empty.
    """
    position = {qid: n for n, (qid, _kind) in enumerate(questions)}
    # The type's method that adds a row to its cell, looked up once (it runs for every answer row).
    add_part = {qid: kind.export_part for qid, kind in questions}
    # Plain columns (the day as stored, a hidden flag): converting a timestamp per row would cost
    # more than everything else the export does.
    query = (
        select(SurveyResponse.id, SurveyResponse.public_id, type_coerce(SurveyResponse.updated_at, String),
               AnswerItem.question_id, AnswerItem.option_id, AnswerItem.value, AnswerItem.text,
               AnswerItem.hidden_at.is_not(None))
        .outerjoin(AnswerItem, AnswerItem.response_id == SurveyResponse.id)
        .where(SurveyResponse.survey_id == survey_id)
        .order_by(SurveyResponse.id, AnswerItem.id)
    )
    current = None
    cells: list[list] = []

    def finish(public_id, saved):
        row = [public_id, _day(saved)]
        row.extend(kind.export_cell(parts) for (_qid, kind), parts in zip(questions, cells))
        return row

    saved_at = public = None
    # Core rows straight from the connection's cursor, fetched in batches (no ORM row handling).
    rows = db.session.connection().execution_options(stream_results=True, yield_per=2000).execute(query)
    for response_id, public_id, updated_at, question_id, option_id, value, text, hidden in rows:
        if response_id != current:
            if current is not None:
                yield finish(public, saved_at)
            current, public, saved_at = response_id, public_id, updated_at
            cells = [[] for _ in questions]
        if question_id is None or question_id not in position:
            continue
        add_part[question_id](cells[position[question_id]], option_id, value, text, hidden, labels)
    if current is not None:
        yield finish(public, saved_at)


def _day(stored) -> str:
    """The UTC day of a timestamp as the driver hands it over (a datetime, or SQLite's text)."""
    if isinstance(stored, datetime):
        return stored.astimezone(timezone.utc).date().isoformat()
    return str(stored)[:10]


def summary(results: Results) -> dict:
    """The figures of the results page, as the JSON API gives them (free texts are added by the view)."""
    questions = []
    for number, r in enumerate(results.questions, start=1):
        q = r.question
        item = {
            "id": q.id, "number": number, "type": q.type, "required": q.required, "demographic": q.demographic,
            "prompt": q.prompt, "answered": r.answered, "skipped": r.skipped,
        }
        kind_of(q).describe(item, r)
        questions.append(item)
    return {"respondents": results.respondents, "questions": questions}
