"""Free text, on one line or several, up to a length the facilitator may lower. Value: ``str``."""
from __future__ import annotations

from flask_babel import gettext as _

from engage.extensions import db
from engage.surveys.kinds import TEXT_LIMIT, QuestionType
from engage.surveys.models import AnswerItem, Question
from engage.surveys.questions.base import QuestionKind


def visible_texts(question: Question):
    """Free-text answers (and "Other" texts) not hidden by moderation, newest first, as a query."""
    return db.session.query(AnswerItem).filter(
        AnswerItem.question_id == question.id, AnswerItem.option_id.is_(None), AnswerItem.text.is_not(None),
        AnswerItem.hidden_at.is_(None),
    ).order_by(AnswerItem.id.desc())


class FreeText(QuestionKind):
    type = QuestionType.TEXT

    def parse(self, question, form, name):
        text = (form.get(name) or "").replace("\r\n", "\n").strip()
        if not question.long_text:
            text = " ".join(text.split())
        if not text:
            return None, None
        limit = question.max_length or TEXT_LIMIT
        if len(text) > limit:
            return text, _("Keep your answer to %(limit)d characters (it has %(count)d).", limit=limit, count=len(text))
        return text, None

    def items(self, question, value):
        return [AnswerItem(question_id=question.id, text=value)]

    def read_item(self, values, item):
        values[item.question_id] = item.text

    def fill_result(self, result, by_key, locale, *, text_sample):
        if text_sample:
            result.texts = visible_texts(result.question).limit(text_sample).all()

    def settings(self, spec):
        return {**super().settings(spec), "long_text": spec.long_text, "max_length": spec.max_length}
