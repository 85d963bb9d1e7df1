"""Survey results kept as tallies, changed in the same transaction as the answers they count.

A survey with 100,000 answers holds well over a million answer rows; grouping them on every
visit to the results page is what made it slow. Each saved answer instead adds one to the tally
of every choice it makes (and takes one off the choices it replaces), so the results page reads
a few dozen rows, whatever the number of answers. :func:`rebuild` recounts them all from the
answers (``flask summaries rebuild``).
"""
from __future__ import annotations

from collections import Counter

from sqlalchemy import delete, distinct, func, insert, select, update

from engage.core.summaries import summary
from engage.extensions import db
from engage.surveys.models import AnswerItem, QuestionTally, Survey, SurveyResponse, Tally

NO_OPTION, NO_VALUE = 0, -1


def key_of(option_id: int | None, value: int | None) -> tuple[int, int]:
    return (NO_OPTION if option_id is None else option_id, NO_VALUE if value is None else value)


def answer_key(option_key: int, value_key: int) -> tuple[int | None, int | None]:
    """The (option id, value) a tally counts, as answer rows hold them."""
    return (None if option_key == NO_OPTION else option_key, None if value_key == NO_VALUE else value_key)


def _upsert(model, keys: dict, column: str, delta: int):
    if db.engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(model).values(**keys, **{column: delta}).on_conflict_do_update(
        index_elements=list(keys), set_={column: model.__table__.c[column] + delta}
    )


def count_change(survey: Survey, removed: list[AnswerItem | tuple], added: list[AnswerItem], *, new_respondent: bool) -> None:
    """Move the tallies from the ``removed`` answer rows to the ``added`` ones.

    Items are AnswerItems or ``(question_id, option_id, value)`` tuples.
    """
    def rows(items):
        return [(i.question_id, i.option_id, i.value) if isinstance(i, AnswerItem) else tuple(i) for i in items]

    before, after = rows(removed), rows(added)
    choices = Counter((q, *key_of(o, v)) for q, o, v in after)
    choices.subtract(Counter((q, *key_of(o, v)) for q, o, v in before))
    people = Counter({q: 1 for q, _o, _v in after})
    people.subtract(Counter({q: 1 for q, _o, _v in before}))
    for (question_id, option_key, value_key), delta in sorted(choices.items()):
        if delta:
            db.session.execute(_upsert(Tally, {"question_id": question_id, "option_key": option_key,
                                               "value_key": value_key}, "count", delta))
    for question_id, delta in sorted(people.items()):
        if delta:
            db.session.execute(_upsert(QuestionTally, {"question_id": question_id}, "answered", delta))
    if new_respondent:
        db.session.execute(update(Survey).where(Survey.id == survey.id)  # not an edit: updated_at stays
                           .values(respondent_count=Survey.respondent_count + 1, updated_at=Survey.updated_at)
                           .execution_options(synchronize_session=False))


def tallies_of(question_ids: list[int]) -> tuple[dict[int, dict[tuple, int]], dict[int, int]]:
    """``({question: {(option id, value): count}}, {question: people who answered})``."""
    counts: dict[int, dict[tuple, int]] = {qid: {} for qid in question_ids}
    answered = {qid: 0 for qid in question_ids}
    if question_ids:
        for qid, option_key, value_key, count in db.session.execute(
            select(Tally.question_id, Tally.option_key, Tally.value_key, Tally.count)
            .where(Tally.question_id.in_(question_ids), Tally.count > 0)
        ):
            counts[qid][answer_key(option_key, value_key)] = count
        for qid, people in db.session.execute(
            select(QuestionTally.question_id, QuestionTally.answered).where(QuestionTally.question_id.in_(question_ids))
        ):
            answered[qid] = people
    return counts, answered


@summary("survey tallies")
def rebuild() -> None:
    db.session.execute(delete(Tally))
    db.session.execute(delete(QuestionTally))
    option_key = func.coalesce(AnswerItem.option_id, NO_OPTION)
    value_key = func.coalesce(AnswerItem.value, NO_VALUE)
    db.session.execute(insert(Tally).from_select(
        ["question_id", "option_key", "value_key", "count"],
        select(AnswerItem.question_id, option_key, value_key, func.count())
        .group_by(AnswerItem.question_id, option_key, value_key),
    ))
    db.session.execute(insert(QuestionTally).from_select(
        ["question_id", "answered"],
        select(AnswerItem.question_id, func.count(distinct(AnswerItem.response_id))).group_by(AnswerItem.question_id),
    ))
    respondents = (select(func.count()).where(SurveyResponse.survey_id == Survey.id)
                   .correlate(Survey).scalar_subquery())
    db.session.execute(update(Survey).values(respondent_count=respondents, updated_at=Survey.updated_at)
                       .execution_options(synchronize_session=False))
    db.session.flush()

