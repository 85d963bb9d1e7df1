"""Survey question types, one class per type (see base.QuestionKind for what a type does).

``QUESTION_TYPES`` maps each stored ``Question.type`` to its type; :func:`kind_of` finds a question's.
"""
from __future__ import annotations

from engage.surveys.kinds import QuestionType
from engage.surveys.models import Question
from engage.surveys.questions.base import OTHER, QuestionKind, Row
from engage.surveys.questions.choice import MultipleChoice, SingleChoice
from engage.surveys.questions.ranking import Ranking
from engage.surveys.questions.scale import Scale
from engage.surveys.questions.text import FreeText, visible_texts

QUESTION_TYPES: dict[QuestionType, QuestionKind] = {
    kind.type: kind for kind in (SingleChoice(), MultipleChoice(), Scale(), FreeText(), Ranking())
}


def kind_of(question: Question | str | QuestionType) -> QuestionKind:
    """The type of a question (or of a stored type name); an unknown name raises ValueError."""
    if isinstance(question, Question):
        question = question.type
    return QUESTION_TYPES[QuestionType(question)]


__all__ = ["OTHER", "QUESTION_TYPES", "QuestionKind", "Row", "kind_of", "visible_texts"]
