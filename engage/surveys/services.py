"""Building surveys: settings, questions, options, the demographic block. Functions flush; the request commits.

Once a survey has an answer, its questions and options are locked in meaning: they cannot be
removed, their type, options, range or "Other" cannot change; wording fixes and reordering stay allowed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.orm import lazyload

from engage.auth.models import User
from engage.core.time import utcnow
from engage.extensions import db
from engage.rounds.models import Round
from engage.surveys.kinds import DEMOGRAPHICS, PREFER_NOT, QuestionType, demographic_spec
from engage.surveys.models import Option, Question, Survey, SurveyResponse
from engage.surveys.questions import kind_of
from engage.surveys.questions.base import clean_texts
from engage.core.cache import touch


class SurveyError(Exception):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class Settings:
    title: dict[str, str]
    introduction: dict[str, str]
    opens_at: datetime
    closes_at: datetime
    allow_anonymous: bool = False
    results_visibility: str = "after_close"


@dataclass
class QuestionSpec:
    type: QuestionType
    prompt: dict[str, str]
    description: dict[str, str] = field(default_factory=dict)
    required: bool = False
    options: list[dict[str, str]] = field(default_factory=list)  # each: {locale: label}
    allow_other: bool = False
    max_choices: int | None = None
    scale: tuple[int, int] | None = None
    min_label: dict[str, str] = field(default_factory=dict)
    max_label: dict[str, str] = field(default_factory=dict)
    long_text: bool = False
    max_length: int | None = None


# --- Surveys ---------------------------------------------------------------------


def _check_settings(settings: Settings) -> None:
    if settings.closes_at <= settings.opens_at:
        raise SurveyError(_("The survey must close after it opens."), "closes_at")
    if settings.results_visibility not in ("live", "after_close"):
        raise SurveyError(_("Choose when results are shown."), "results_visibility")


def create_survey(round_: Round, by: User | None, settings: Settings) -> Survey:
    _check_settings(settings)
    survey = Survey(round_id=round_.id, default_locale=round_.default_locale,
                    created_by_id=by.id if by else None)
    _apply_settings(survey, settings)
    db.session.add(survey)
    db.session.flush()
    return survey


def _apply_settings(survey: Survey, settings: Settings) -> None:
    survey.title = {k: v.strip() for k, v in settings.title.items() if v and v.strip()}
    survey.introduction = {k: v.strip() for k, v in settings.introduction.items() if v and v.strip()}
    survey.opens_at, survey.closes_at = settings.opens_at, settings.closes_at
    survey.allow_anonymous = settings.allow_anonymous
    survey.results_visibility = settings.results_visibility


def update_survey(survey: Survey, settings: Settings) -> None:
    _check_settings(settings)
    _apply_settings(survey, settings)
    db.session.flush()


def publish(survey: Survey) -> None:
    if not survey.questions:
        raise SurveyError(_("Add at least one question before publishing the survey."))
    if survey.published_at is None:
        survey.published_at = utcnow()
    db.session.flush()


def unpublish(survey: Survey) -> None:
    if has_answers(survey):
        raise SurveyError(_("The survey has answers, so it stays published."))
    survey.published_at = None
    db.session.flush()


def has_answers(survey: Survey) -> bool:
    return bool(db.session.scalar(select(exists().where(SurveyResponse.survey_id == survey.id))))


def surveys_of(round_: Round, *, include_drafts: bool) -> list[Survey]:
    """The round's surveys, without their questions (lists show titles and dates)."""
    query = select(Survey).where(Survey.round_id == round_.id).options(lazyload(Survey.questions))
    if not include_drafts:
        query = query.where(Survey.published_at.is_not(None))
    return list(db.session.scalars(query.order_by(Survey.opens_at, Survey.id)))


# --- Questions -------------------------------------------------------------------


def _check_spec(spec: QuestionSpec, default_locale: str) -> None:
    if not (spec.prompt.get(default_locale) or "").strip():
        raise SurveyError(_("Write the question."), "prompt")
    problem = kind_of(spec.type).check_spec(spec, default_locale)  # options, picks, range: by type
    if problem:
        raise SurveyError(*problem)


def _meaning(question: Question) -> tuple:
    """What an answer means: it may not change once there are answers."""
    return (question.type, len(question.options), question.allow_other, question.scale_min, question.scale_max)


_clean = clean_texts


def _apply_spec(question: Question, spec: QuestionSpec) -> None:
    kind = kind_of(spec.type)
    question.type = spec.type.value
    question.prompt = _clean(spec.prompt)
    question.description = _clean(spec.description)
    question.required = spec.required and question.demographic is None
    for column, value in kind.settings(spec).items():
        setattr(question, column, value)
    labels = spec.options if kind.has_options else []
    # Options keep their rows (and ids) by position, so wording fixes keep every answer attached.
    for position, label in enumerate(labels):
        if position < len(question.options):
            question.options[position].label = _clean(label)
        else:
            question.options.append(Option(position=position, label=_clean(label)))
    del question.options[len(labels):]


def add_question(survey: Survey, spec: QuestionSpec) -> Question:
    _check_spec(spec, survey.default_locale)
    position = max((q.position for q in survey.questions), default=-1) + 1
    question = Question(position=position)
    survey.questions.append(question)
    _apply_spec(question, spec)
    db.session.flush()
    return question


def update_question(question: Question, spec: QuestionSpec) -> None:
    survey = question.survey
    _check_spec(spec, survey.default_locale)
    if question.demographic and (spec.type is not QuestionType.SINGLE or len(spec.options) != len(question.options)):
        raise SurveyError(_("A demographic question keeps its options; you can fix their wording."), "options")
    if has_answers(survey):
        before = _meaning(question)
        settings = kind_of(spec.type).settings(spec)
        after = (spec.type.value, len(spec.options) if spec.type.has_options else 0, settings["allow_other"],
                 settings["scale_min"], settings["scale_max"])
        if before != after:
            raise SurveyError(_("People have already answered, so the question’s type, options, range and "
                                "“Other” cannot change. You can still fix the wording."))
    _apply_spec(question, spec)
    db.session.flush()


def delete_question(question: Question) -> None:
    survey = question.survey
    if has_answers(survey):
        raise SurveyError(_("People have already answered, so questions cannot be removed."))
    survey.questions.remove(question)
    _renumber(survey)
    db.session.flush()


def move_question(question: Question, step: int) -> None:
    """Move a question up (-1) or down (+1). Order never changes what an answer means."""
    questions = list(question.survey.questions)
    index = questions.index(question)
    target = index + step
    if 0 <= target < len(questions):
        questions[index], questions[target] = questions[target], questions[index]
        for position, q in enumerate(questions):
            q.position = position
    db.session.flush()


def _renumber(survey: Survey) -> None:
    for position, q in enumerate(sorted(survey.questions, key=lambda q: q.position)):
        q.position = position


def add_demographic_block(survey: Survey) -> list[Question]:
    """Add the age, gender, occupation and district questions that are not there yet."""
    present = {q.demographic for q in survey.questions}
    added = []
    position = max((q.position for q in survey.questions), default=-1)
    for key in DEMOGRAPHICS:
        if key in present:
            continue
        spec = demographic_spec(key)
        position += 1
        question = Question(position=position, type=QuestionType.SINGLE.value, required=False, demographic=key,
                            prompt=spec["prompt"], description=spec["description"])
        question.options = [Option(position=n, label=label, key=option_key)
                            for n, (option_key, label) in enumerate(spec["options"])]
        survey.questions.append(question)
        added.append(question)
    db.session.flush()
    return added


def demographic_questions(survey: Survey) -> list[Question]:
    return [q for q in survey.questions if q.demographic]


def is_prefer_not(option: Option) -> bool:
    return option.key == PREFER_NOT


# --- Moderation of free-text answers ------------------------------------------------------


def hide_text_answer(item, by: User, reason: str) -> None:
    """Hide a free-text (or "Other") answer from the results, with a reason kept in the moderation log."""
    from engage.moderation.models import ModerationAction

    reason = (reason or "").strip()
    if not reason:
        raise SurveyError(_("Give the reason for hiding this answer."), "reason")
    item.hidden_at, item.hidden_reason = utcnow(), reason[:300]
    touch(f"survey:{item.response.survey_id}")
    db.session.add(ModerationAction(moderator_id=by.id, target_type="survey_answer", target_id=item.id,
                                    round_id=_round_id_of(item), action="hide", reason=reason[:300],
                                    created_at=utcnow()))
    db.session.flush()


def restore_text_answer(item, by: User) -> None:
    from engage.moderation.models import ModerationAction

    item.hidden_at, item.hidden_reason = None, None
    touch(f"survey:{item.response.survey_id}")
    db.session.add(ModerationAction(moderator_id=by.id, target_type="survey_answer", target_id=item.id,
                                    round_id=_round_id_of(item), action="restore", reason="",
                                    created_at=utcnow()))
    db.session.flush()


def _round_id_of(item) -> int:
    return db.session.scalar(select(Survey.round_id).join(SurveyResponse, SurveyResponse.survey_id == Survey.id)
                             .where(SurveyResponse.id == item.response_id))
