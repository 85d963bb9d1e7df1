"""Single and multiple choice: options, and "Other" with a text box when the question offers it.

Values: single choice ``{"option": id}`` or ``{"other": text}``; multiple choice
``{"options": [ids], "other": text|None}``.
"""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from engage.surveys.kinds import QuestionType
from engage.surveys.models import AnswerItem, Question
from engage.surveys.questions.base import (
    OTHER,
    OTHER_LIMIT,
    OptionsKind,
    Row,
    share,
    to_int,
)


def other_error(text: str) -> str | None:
    if not text:
        return _("Say what “Other” is.")
    if len(text) > OTHER_LIMIT:
        return _("Keep “Other” under 500 characters.")
    return None


class ChoiceKind(OptionsKind):
    allows_other = True

    def fill_result(self, result, by_key, locale, *, text_sample):
        result.rows.extend(self.option_rows(result.question, by_key, locale, None, result.answered))
        if result.question.allow_other:
            n = by_key.get((None, None), 0)
            result.rows.append(Row("other", _("Other"), n, share(n, result.answered)))

    def describe(self, item, result):
        q = result.question
        item["options"] = [
            {"id": int(row.key), "label": next(o.label for o in q.options if o.id == int(row.key)),
             "count": row.count, "percent": row.percent}
            for row in result.rows if row.key != "other"
        ]
        if q.allow_other:
            other = result.rows[-1]
            item["other"] = {"count": other.count, "percent": other.percent}

    def export_part(self, bucket, option_id, value, text, hidden, labels):
        if option_id is not None:
            bucket.append(labels.get(option_id, ""))
        elif not hidden:
            bucket.append(f"Other: {text}")


class SingleChoice(ChoiceKind):
    type = QuestionType.SINGLE

    def parse(self, question, form, name):
        raw = form.get(name) or ""
        if raw == "":
            return None, None
        if raw == OTHER and question.allow_other:
            text = (form.get(f"{name}-other") or "").strip()
            return {"other": text}, other_error(text)
        option = to_int(raw)
        if option not in {o.id for o in question.options}:
            return None, _("Choose one of the options.")
        return {"option": option}, None

    def items(self, question, value):
        if "other" in value:
            return [AnswerItem(question_id=question.id, text=value["other"])]
        return [AnswerItem(question_id=question.id, option_id=value["option"])]

    def read_item(self, values, item):
        values[item.question_id] = {"other": item.text} if item.option_id is None else {"option": item.option_id}

    def form_state(self, name, value):
        return {name: [OTHER] if "other" in value else [str(value["option"])],
                f"{name}-other": [value.get("other") or ""]}


class MultipleChoice(ChoiceKind):
    type = QuestionType.MULTIPLE

    def parse(self, question, form, name):
        raws = form.getlist(name)
        picked = [to_int(r) for r in raws if r != OTHER]
        other = OTHER in raws and question.allow_other
        if any(p not in {o.id for o in question.options} for p in picked):
            return None, _("Choose among the options shown.")
        picked = [o.id for o in question.options if o.id in set(picked)]  # the options' order, no repeats
        other_text = (form.get(f"{name}-other") or "").strip()
        value = {"options": picked, "other": other_text if other else None}
        if not picked and not other:
            return None, None
        return value, (other_error(other_text) if other else None) or self._too_many(question, picked, other)

    @staticmethod
    def _too_many(question: Question, picked: list[int], other: bool) -> str | None:
        count = len(picked) + (1 if other else 0)
        if question.max_choices and count > question.max_choices:
            return ngettext("Choose at most %(num)d option.", "Choose at most %(num)d options.",
                            question.max_choices)
        return None

    def items(self, question, value):
        items = [AnswerItem(question_id=question.id, option_id=oid) for oid in value["options"]]
        if value.get("other"):
            items.append(AnswerItem(question_id=question.id, text=value["other"]))
        return items

    def read_item(self, values, item):
        value = values.setdefault(item.question_id, {"options": [], "other": None})
        if item.option_id is None:
            value["other"] = item.text
        else:
            value["options"].append(item.option_id)

    def form_state(self, name, value):
        return {name: [str(o) for o in value["options"]] + ([OTHER] if value.get("other") is not None else []),
                f"{name}-other": [value.get("other") or ""]}

    def describe(self, item, result):
        super().describe(item, result)
        item["max_choices"] = result.question.max_choices

    def check_spec(self, spec, default_locale):
        problem = super().check_spec(spec, default_locale)
        if problem is None and spec.max_choices is not None and not 1 <= spec.max_choices <= len(spec.options):
            return _("The maximum of picks must be between 1 and the number of options."), "max_choices"
        return problem

    def settings(self, spec):
        return {**super().settings(spec), "max_choices": spec.max_choices}
