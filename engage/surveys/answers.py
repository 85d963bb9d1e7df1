"""Answering a survey: reading the submitted form, checking each question, saving one answer per person.

A value per question, as :func:`parse` returns it and :func:`values_of` reads it back:
single choice ``{"option": id}`` or ``{"other": text}``; multiple choice ``{"options": [ids], "other": text|None}``;
scale ``int``; free text ``str``; ranking ``[option ids, first to last]``.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from engage.core.time import utcnow
from engage.extensions import db
from engage.surveys import tallies
from engage.surveys.models import AnswerItem, Question, Survey, SurveyResponse
from engage.surveys.questions import kind_of


class AnswerError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def field_name(question: Question) -> str:
    return f"q{question.id}"


def _parse_one(question: Question, form) -> tuple[object | None, str | None]:
    """The value given for ``question`` (None when skipped) and the error to show, if any."""
    return kind_of(question).parse(question, form, field_name(question))


def parse(survey: Survey, form) -> tuple[dict[int, object], dict[int, str]]:
    """Values by question id, and errors by question id (an empty dict when all is well)."""
    values: dict[int, object] = {}
    errors: dict[int, str] = {}
    for question in survey.questions:
        value, error = _parse_one(question, form)
        if value is not None:
            values[question.id] = value
        if error is None and value is None and question.required:
            error = kind_of(question).required_error()
        if error:
            errors[question.id] = error
    return values, errors


def items_for(question: Question, value) -> list[AnswerItem]:
    return kind_of(question).items(question, value)


def browser_key(token: str) -> str:
    """What is stored of an anonymous browser's token: its hash, so the table cannot be used to impersonate."""
    return hashlib.sha256(token.encode()).hexdigest()


def new_browser_token() -> str:
    return secrets.token_urlsafe(24)


def find_response(survey: Survey, *, user_id: int | None = None, key: str | None = None) -> SurveyResponse | None:
    if user_id is not None:
        return db.session.scalar(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                                              SurveyResponse.user_id == user_id))
    if key is not None:
        return db.session.scalar(select(SurveyResponse).where(SurveyResponse.survey_id == survey.id,
                                                              SurveyResponse.browser_key == key))
    return None


def save(survey: Survey, values: dict[int, object], *, user_id: int | None = None,
         key: str | None = None) -> tuple[SurveyResponse, bool]:
    """Save the answer of a person (``user_id``) or of an anonymous browser (``key``).

    A second answer from the same person replaces the first while the survey is open. Returns the
    answer and whether it was changed (rather than given for the first time).
    """
    if not survey.is_open:
        raise AnswerError(_("This survey is not open for answers."))
    if (user_id is None) == (key is None):
        raise ValueError("an answer belongs to a person or to a browser")
    moment = utcnow()
    response = find_response(survey, user_id=user_id, key=key)
    changed = response is not None
    if response is None:
        response = SurveyResponse(survey_id=survey.id, public_id=uuid.uuid4().hex, user_id=user_id,
                                  browser_key=key, created_at=moment, updated_at=moment)
        try:
            with db.session.begin_nested():
                db.session.add(response)
        except IntegrityError:  # the same person answering twice at once: the second updates the first
            response = find_response(survey, user_id=user_id, key=key)
            changed = True
    replaced = _take_back_items(survey, user_id, key) if changed else []
    if changed:
        response.updated_at = moment
    by_id = {q.id: q for q in survey.questions}
    added = []
    for question_id, value in values.items():
        for item in items_for(by_id[question_id], value):
            item.response_id = response.id
            db.session.add(item)
            added.append(item)
    db.session.flush()
    tallies.count_change(survey, replaced, added, new_respondent=not changed)
    return response, changed


def _take_back_items(survey: Survey, user_id: int | None, key: str | None) -> list[tuple]:
    """Remove the items of an answer being replaced and return them, so the tallies can drop them.

    The answer's row is locked first (PostgreSQL), so two changes of one answer at the same moment
    are taken one after the other and neither counts the old choices twice.
    """
    query = select(SurveyResponse.id).where(SurveyResponse.survey_id == survey.id)
    query = query.where(SurveyResponse.user_id == user_id) if user_id is not None else \
        query.where(SurveyResponse.browser_key == key)
    response_id = db.session.scalar(query.with_for_update())
    old = db.session.execute(select(AnswerItem.question_id, AnswerItem.option_id, AnswerItem.value)
                             .where(AnswerItem.response_id == response_id)).all()
    db.session.execute(delete(AnswerItem).where(AnswerItem.response_id == response_id))
    return [tuple(row) for row in old]


def values_of(response: SurveyResponse | None) -> dict[int, object]:
    """An answer read back into the values :func:`parse` gives, to pre-fill the form or review it."""
    if response is None:
        return {}
    items = db.session.scalars(select(AnswerItem).where(AnswerItem.response_id == response.id)
                               .order_by(AnswerItem.id)).all()
    survey = db.session.get(Survey, response.survey_id)
    kinds = {q.id: kind_of(q) for q in survey.questions}
    values: dict[int, object] = {}
    for item in items:
        kind = kinds.get(item.question_id)
        if kind is not None:
            kind.read_item(values, item)
    for qid, kind in kinds.items():
        if qid in values:
            values[qid] = kind.finish_value(values[qid])
    return values


def submitted_state(form) -> dict[str, list[str]]:
    """The form as it was sent, to show it again with everything the person chose or typed."""
    return {key: form.getlist(key) for key in form if key.startswith("q")}


def form_state(survey: Survey, values: dict[int, object]) -> dict[str, list[str]]:
    """What each input of the form shows (a list of strings per input name), from saved values."""
    state: dict[str, list[str]] = {}
    for question in survey.questions:
        name = field_name(question)
        value = values.get(question.id)
        if value is None:
            continue
        state.update(kind_of(question).form_state(name, value))
    return state
