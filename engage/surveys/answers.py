"""Answering a survey: reading the submitted form, checking each question, saving one answer per person.

A value per question, as :func:`parse` returns it and :func:`values_of` reads it back:
single choice ``{"option": id}`` or ``{"other": text}``; multiple choice ``{"options": [ids], "other": text|None}``;
scale ``int``; free text ``str``; ranking ``[option ids, first to last]``.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid

from flask_babel import gettext as _, ngettext
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from engage.core.time import utcnow
from engage.extensions import db
from engage.surveys import tallies
from engage.surveys.kinds import TEXT_LIMIT, QuestionType
from engage.surveys.models import AnswerItem, Question, Survey, SurveyResponse

OTHER = "other"


class AnswerError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def field_name(question: Question) -> str:
    return f"q{question.id}"


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _parse_one(question: Question, form) -> tuple[object | None, str | None]:
    """The value given for ``question`` (None when skipped) and the error to show, if any."""
    name = field_name(question)
    option_ids = {o.id for o in question.options}
    kind = QuestionType(question.type)
    other_text = (form.get(f"{name}-other") or "").strip()

    if kind is QuestionType.SINGLE:
        raw = form.get(name) or ""
        if raw == "":
            return None, None
        if raw == OTHER and question.allow_other:
            if not other_text:
                return {"other": ""}, _("Say what “Other” is.")
            if len(other_text) > 500:
                return {"other": other_text}, _("Keep “Other” under 500 characters.")
            return {"other": other_text}, None
        option = _int(raw)
        if option not in option_ids:
            return None, _("Choose one of the options.")
        return {"option": option}, None

    if kind is QuestionType.MULTIPLE:
        raws = form.getlist(name)
        picked = [_int(r) for r in raws if r != OTHER]
        other = OTHER in raws and question.allow_other
        if any(p not in option_ids for p in picked):
            return None, _("Choose among the options shown.")
        picked = [o.id for o in question.options if o.id in set(picked)]  # the options' order, no repeats
        value = {"options": picked, "other": other_text if other else None}
        if not picked and not other:
            return None, None
        if other and not other_text:
            return value, _("Say what “Other” is.")
        if other and len(other_text) > 500:
            return value, _("Keep “Other” under 500 characters.")
        count = len(picked) + (1 if other else 0)
        if question.max_choices and count > question.max_choices:
            return value, ngettext("Choose at most %(num)d option.", "Choose at most %(num)d options.",
                                   question.max_choices)
        return value, None

    if kind is QuestionType.SCALE:
        raw = form.get(name) or ""
        if raw == "":
            return None, None
        number = _int(raw)
        if number is None or not question.scale_min <= number <= question.scale_max:
            return None, _("Choose a value from %(low)d to %(high)d.", low=question.scale_min, high=question.scale_max)
        return number, None

    if kind is QuestionType.TEXT:
        text = (form.get(name) or "").replace("\r\n", "\n").strip()
        if not question.long_text:
            text = " ".join(text.split())
        if not text:
            return None, None
        limit = question.max_length or TEXT_LIMIT
        if len(text) > limit:
            return text, _("Keep your answer to %(limit)d characters (it has %(count)d).", limit=limit, count=len(text))
        return text, None

    # Ranking: a position for every option, each position used once.
    positions = {o.id: _int(form.get(f"{name}-o{o.id}")) for o in question.options}
    given = {oid: pos for oid, pos in positions.items() if pos is not None}
    if not given:
        return None, None
    count = len(question.options)
    order = sorted(given, key=lambda oid: given[oid])
    if len(given) < count:
        return order, _("Give every option a position.")
    if sorted(given.values()) != list(range(1, count + 1)):
        return order, _("Give each option a different position, from 1 to %(count)d.", count=count)
    return order, None


def parse(survey: Survey, form) -> tuple[dict[int, object], dict[int, str]]:
    """Values by question id, and errors by question id (an empty dict when all is well)."""
    values: dict[int, object] = {}
    errors: dict[int, str] = {}
    for question in survey.questions:
        value, error = _parse_one(question, form)
        if value is not None:
            values[question.id] = value
        if error is None and value is None and question.required:
            error = _("Answer this question.") if question.type != QuestionType.RANKING.value else _("Rank the options.")
        if error:
            errors[question.id] = error
    return values, errors


def items_for(question: Question, value) -> list[AnswerItem]:
    kind = QuestionType(question.type)
    if kind is QuestionType.SINGLE:
        if "other" in value:
            return [AnswerItem(question_id=question.id, text=value["other"])]
        return [AnswerItem(question_id=question.id, option_id=value["option"])]
    if kind is QuestionType.MULTIPLE:
        items = [AnswerItem(question_id=question.id, option_id=oid) for oid in value["options"]]
        if value.get("other"):
            items.append(AnswerItem(question_id=question.id, text=value["other"]))
        return items
    if kind is QuestionType.SCALE:
        return [AnswerItem(question_id=question.id, value=value)]
    if kind is QuestionType.TEXT:
        return [AnswerItem(question_id=question.id, text=value)]
    return [AnswerItem(question_id=question.id, option_id=oid, value=n) for n, oid in enumerate(value, start=1)]


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
    kinds = {q.id: QuestionType(q.type) for q in survey.questions}
    values: dict[int, object] = {}
    for item in items:
        kind = kinds.get(item.question_id)
        if kind is QuestionType.SINGLE:
            values[item.question_id] = {"other": item.text} if item.option_id is None else {"option": item.option_id}
        elif kind is QuestionType.MULTIPLE:
            value = values.setdefault(item.question_id, {"options": [], "other": None})
            if item.option_id is None:
                value["other"] = item.text
            else:
                value["options"].append(item.option_id)
        elif kind is QuestionType.SCALE:
            values[item.question_id] = item.value
        elif kind is QuestionType.TEXT:
            values[item.question_id] = item.text
        elif kind is QuestionType.RANKING:
            values.setdefault(item.question_id, []).append((item.value, item.option_id))
    for qid, kind in kinds.items():
        if kind is QuestionType.RANKING and qid in values:
            values[qid] = [oid for _pos, oid in sorted(values[qid])]
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
        kind = QuestionType(question.type)
        if kind is QuestionType.SINGLE:
            state[name] = [OTHER] if "other" in value else [str(value["option"])]
            state[f"{name}-other"] = [value.get("other") or ""]
        elif kind is QuestionType.MULTIPLE:
            state[name] = [str(o) for o in value["options"]] + ([OTHER] if value.get("other") is not None else [])
            state[f"{name}-other"] = [value.get("other") or ""]
        elif kind is QuestionType.RANKING:
            for position, oid in enumerate(value, start=1):
                state[f"{name}-o{oid}"] = [str(position)]
        else:
            state[name] = [str(value)]
    return state
