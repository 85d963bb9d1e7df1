"""Survey answers a person gave while signed in, and surveys they wrote."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from engage.extensions import db
from engage.privacy.registry import Erasure, PersonalData, counter, plain, records, register
from engage.surveys.models import AnswerItem, Survey, SurveyResponse


def _answers(user) -> list[dict]:
    answers = []
    for response in db.session.scalars(select(SurveyResponse).where(SurveyResponse.user_id == user.id)
                                       .order_by(SurveyResponse.id)):
        items = db.session.scalars(select(AnswerItem).where(AnswerItem.response_id == response.id)
                                   .order_by(AnswerItem.id))
        answers.append({
            "survey_id": response.survey_id, "public_id": response.public_id,
            "created_at": plain(response.created_at), "updated_at": plain(response.updated_at),
            "items": [{"question_id": i.question_id, "option_id": i.option_id, "value": i.value, "text": i.text,
                       "hidden_at": plain(i.hidden_at)} for i in items],
        })
    return answers


def _detach_answers(erasure: Erasure) -> None:
    """Answers stay counted (results and tallies do not change) but no longer name the person."""
    db.session.execute(update(SurveyResponse).where(SurveyResponse.user_id == erasure.user.id)
                       .values(user_id=None).execution_options(synchronize_session="fetch"))


register(PersonalData(
    name="survey_answers", description=_l("Your answers to surveys given while signed in, question by question."),
    columns=("survey_responses.user_id",), export=_answers, erase=_detach_answers,
    count=counter(SurveyResponse, lambda user: SurveyResponse.user_id == user.id), order=30,
))

records(Survey, Survey.created_by_id, ("id", "round_id", "title", "created_at"), name="surveys_created",
        description=_l("Surveys you created as a facilitator."))
