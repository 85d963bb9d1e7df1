"""A scale, 1–5 or 0–10, with optional labels for its two ends. Value: ``int``."""
from __future__ import annotations

from flask_babel import gettext as _

from engage.surveys.kinds import QuestionType
from engage.surveys.models import AnswerItem
from engage.surveys.questions.base import QuestionKind, Row, clean_texts, share, to_int

ALLOWED_SCALES = ((1, 5), (0, 10))


class Scale(QuestionKind):
    type = QuestionType.SCALE

    def parse(self, question, form, name):
        raw = form.get(name) or ""
        if raw == "":
            return None, None
        number = to_int(raw)
        if number is None or not question.scale_min <= number <= question.scale_max:
            return None, _("Choose a value from %(low)d to %(high)d.", low=question.scale_min, high=question.scale_max)
        return number, None

    def items(self, question, value):
        return [AnswerItem(question_id=question.id, value=value)]

    def read_item(self, values, item):
        values[item.question_id] = item.value

    def fill_result(self, result, by_key, locale, *, text_sample):
        question, people = result.question, result.answered
        weighted = 0
        for value in range(question.scale_min, question.scale_max + 1):
            n = by_key.get((None, value), 0)
            weighted += n * value
            result.rows.append(Row(str(value), str(value), n, share(n, people)))
        result.mean = round(weighted / people, 2) if people else None

    def describe(self, item, result):
        q = result.question
        item.update(scale_min=q.scale_min, scale_max=q.scale_max, mean=result.mean,
                    distribution=[{"value": int(row.key), "count": row.count, "percent": row.percent}
                                  for row in result.rows],
                    min_label=q.min_label, max_label=q.max_label)

    def export_part(self, bucket, option_id, value, text, hidden, labels):
        bucket.append(labels.get(option_id, "") if option_id is not None else value)

    def check_spec(self, spec, default_locale):
        if spec.scale not in ALLOWED_SCALES:
            return _("Choose a scale of 1 to 5 or 0 to 10."), "scale"
        return None

    def settings(self, spec):
        scale = spec.scale
        settings = super().settings(spec)
        settings["scale_min"], settings["scale_max"] = scale if scale else (None, None)
        settings["min_label"] = clean_texts(spec.min_label) if scale else {}
        settings["max_label"] = clean_texts(spec.max_label) if scale else {}
        return settings
