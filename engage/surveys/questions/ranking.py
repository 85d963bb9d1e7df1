"""A ranking: a position for every option, each position once. Value: ``[option ids, first to last]``.

Stored as one answer row per option, its position in ``value``.
"""
from __future__ import annotations

from flask_babel import gettext as _

from engage.surveys.kinds import MAX_RANKING_OPTIONS, QuestionType
from engage.surveys.models import AnswerItem, Question
from engage.surveys.questions.base import OptionsKind, to_int


def average_positions(question: Question, by_key: dict[tuple, int], locale: str) -> list[tuple]:
    """(option id, label, average position or None, people who placed it), best placed first."""
    ranked = []
    for option in question.options:
        placed = {value: n for (option_id, value), n in by_key.items() if option_id == option.id}
        count = sum(placed.values())
        average = sum(v * n for v, n in placed.items()) / count if count else None
        ranked.append((option.id, option.label_in(locale), round(float(average), 2) if average is not None else None,
                       count))
    return sorted(ranked, key=lambda r: (r[2] is None, r[2] or 0))


class Ranking(OptionsKind):
    type = QuestionType.RANKING
    max_options = MAX_RANKING_OPTIONS

    @staticmethod
    def too_many_options():
        return _("A ranking has at most %(count)d options.", count=MAX_RANKING_OPTIONS)

    def parse(self, question, form, name):
        positions = {o.id: to_int(form.get(f"{name}-o{o.id}")) for o in question.options}
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

    def required_error(self):
        return _("Rank the options.")

    def items(self, question, value):
        return [AnswerItem(question_id=question.id, option_id=oid, value=n) for n, oid in enumerate(value, start=1)]

    def read_item(self, values, item):
        values.setdefault(item.question_id, []).append((item.value, item.option_id))

    def finish_value(self, value):
        return [oid for _pos, oid in sorted(value)]

    def form_state(self, name, value):
        return {f"{name}-o{oid}": [str(position)] for position, oid in enumerate(value, start=1)}

    def fill_result(self, result, by_key, locale, *, text_sample):
        result.average_positions = average_positions(result.question, by_key, locale)
        # How often each option came first, as bars.
        result.rows.extend(self.option_rows(result.question, by_key, locale, 1, result.answered))

    def describe(self, item, result):
        averages = {oid: avg for oid, _label, avg, _count in result.average_positions}
        item["options"] = [
            {"id": o.id, "label": o.label, "average_position": averages[o.id],
             "ranked_first": next(row.count for row in result.rows if row.key == str(o.id))}
            for o in result.question.options
        ]

    def export_part(self, bucket, option_id, value, text, hidden, labels):
        bucket.append((value, labels.get(option_id, "")))

    def export_cell(self, parts):
        return " > ".join(label for _pos, label in sorted(parts))
