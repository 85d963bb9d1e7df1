"""Survey fixtures: a round with a facilitator and a survey holding one question of each type."""
from __future__ import annotations

from dataclasses import dataclass

import pytest

from engage.extensions import db
from tests.conftest import DAY, T0


@dataclass
class Built:
    round_id: int
    survey_id: int
    facilitator: object
    q: dict  # question ids by name
    o: dict  # option ids by "question.option"


def _spec(kind, prompt, **kwargs):
    from engage.surveys.kinds import QuestionType
    from engage.surveys.services import QuestionSpec

    options = kwargs.pop("options", [])
    return QuestionSpec(type=QuestionType(kind), prompt={"en": prompt}, options=[{"en": o} for o in options], **kwargs)


@pytest.fixture
def build_survey(app, create_user, create_round):
    """``build_survey(anonymous=False, visibility="after_close", demographics=True, published=True)``.

    Questions: transport (single, required, with Other), services (multiple, max 2, Other),
    rating (scale 1-5), idea (free text, optional, 200 characters), priorities (ranking of 3).
    The survey runs from T0 for 30 days.
    """

    def make(*, anonymous=False, visibility="after_close", demographics=True, published=True,
             opens_at=T0, closes_at=T0 + 30 * DAY) -> Built:
        from engage.auth.models import User
        from engage.rounds.models import Round
        from engage.surveys import services

        facilitator = create_user(roles=("facilitator",))
        round_id = create_round(facilitators=[facilitator])
        with app.app_context():
            round_ = db.session.get(Round, round_id)
            survey = services.create_survey(round_, db.session.get(User, facilitator.id), services.Settings(
                title={"en": "Open data in Kyiv"}, introduction={"en": "Five minutes of your time."},
                opens_at=opens_at, closes_at=closes_at, allow_anonymous=anonymous, results_visibility=visibility,
            ))
            questions = {
                "transport": services.add_question(survey, _spec(
                    "single", "How do you travel?", required=True, allow_other=True,
                    options=["Bus", "Metro", "Bicycle"])),
                "services": services.add_question(survey, _spec(
                    "multiple", "Which services do you use?", allow_other=True, max_choices=2,
                    options=["Kyiv Digital", "City website", "Open data portal"])),
                "rating": services.add_question(survey, _spec(
                    "scale", "Rate the city's website", scale=(1, 5), min_label={"en": "Poor"},
                    max_label={"en": "Excellent"})),
                "idea": services.add_question(survey, _spec("text", "Your idea", max_length=200)),
                "priorities": services.add_question(survey, _spec(
                    "ranking", "Rank the themes", options=["Education", "Heritage", "E-services"])),
            }
            if demographics:
                for question in services.add_demographic_block(survey):
                    questions[question.demographic] = question
            if published:
                services.publish(survey)
            db.session.commit()
            q = {name: question.id for name, question in questions.items()}
            o = {}
            for name, question in questions.items():
                for option in question.options:
                    o[f"{name}.{option.key or option.label['en']}"] = option.id
            return Built(round_id, survey.id, facilitator, q, o)

    return make


@pytest.fixture
def answer_as(app):
    """Save an answer straight through the service: ``answer_as(built, values, user_id=... or key=...)``."""

    def save(built, values, *, user_id=None, key=None):
        from engage.surveys import answers
        from engage.surveys.models import Survey

        with app.app_context():
            survey = db.session.get(Survey, built.survey_id)
            response, _changed = answers.save(survey, values, user_id=user_id, key=key)
            db.session.commit()
            return response.id

    return save
