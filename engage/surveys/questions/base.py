"""What every question type does, and the shared pieces of the types that offer options.

A type knows, for its questions: how an answer is read from the submitted form and checked
(:meth:`QuestionKind.parse`), stored as answer rows and read back (:meth:`items`, :meth:`read_item`),
shown again in the form (:meth:`form_state`), counted in the results (:meth:`fill_result`,
:meth:`describe`), written to the CSV export (:meth:`export_part`, :meth:`export_cell`), and which
settings a facilitator may give it (:meth:`check_spec`, :meth:`settings`). Templates pick the
type's macros by :attr:`QuestionKind.value` (templates/_macros/surveys.html).
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass

from flask_babel import gettext as _

from engage.surveys.kinds import MAX_OPTIONS, QuestionType
from engage.surveys.models import AnswerItem, Question

OTHER = "other"
OTHER_LIMIT = 500


@dataclass
class Row:
    """One bar: an option (or "Other", or a scale value) with its count and share."""

    key: str  # option id, "other" or the scale value, as text
    label: str
    count: int
    percent: float  # of the people who answered the question


def share(count: int, total: int) -> float:
    return round(100.0 * count / total, 1) if total else 0.0


def to_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def clean_texts(texts: dict[str, str]) -> dict[str, str]:
    return {k: v.strip() for k, v in texts.items() if v and v.strip()}


class QuestionKind(ABC):
    """One question type. Subclasses hold no state: one instance per type, in ``QUESTION_TYPES``."""

    type: QuestionType
    has_options = False
    allows_other = False

    @property
    def value(self) -> str:
        return self.type.value

    # --- Answering ---------------------------------------------------------------------

    @abstractmethod
    def parse(self, question: Question, form, name: str) -> tuple[object | None, str | None]:
        """The value given for ``question`` (None when skipped) and the error to show, if any."""

    def required_error(self) -> str:
        return _("Answer this question.")

    @abstractmethod
    def items(self, question: Question, value) -> list[AnswerItem]:
        """The answer rows that store ``value``."""

    @abstractmethod
    def read_item(self, values: dict[int, object], item: AnswerItem) -> None:
        """Add one stored answer row to ``values`` (by question id), as :meth:`parse` gives them."""

    def finish_value(self, value):
        """The value once all its rows are read (a ranking sorts its positions)."""
        return value

    def form_state(self, name: str, value) -> dict[str, list[str]]:
        """What the inputs of the answer form show for a saved value."""
        return {name: [str(value)]}

    # --- Results -----------------------------------------------------------------------

    def fill_result(self, result, by_key: dict[tuple, int], locale: str, *, text_sample: int) -> None:
        """Fill a results.QuestionResult from the question's tallies (``{(option id, value): count}``)."""

    def describe(self, item: dict, result) -> None:
        """Add the type's figures to the JSON summary of one question."""

    def export_part(self, bucket: list, option_id, value, text, hidden: bool, labels: dict[int, str]) -> None:
        """Add one answer row to the parts of a CSV cell (hidden texts are left out)."""
        if option_id is not None:
            bucket.append(labels.get(option_id, ""))
        elif not hidden:
            bucket.append(text)

    def export_cell(self, parts: list) -> str:
        return "; ".join(str(p) for p in parts)

    # --- Building ----------------------------------------------------------------------

    def check_spec(self, spec, default_locale: str) -> tuple[str, str] | None:
        """The (message, field) of what is wrong with a question's settings, or None."""
        return None

    def settings(self, spec) -> dict:
        """The question's columns that depend on its type, from a services.QuestionSpec."""
        return {
            "allow_other": spec.allow_other and self.allows_other,
            "max_choices": None,
            "scale_min": None, "scale_max": None, "min_label": {}, "max_label": {},
            "long_text": False, "max_length": None,
        }


class OptionsKind(QuestionKind):
    """A type whose questions list options (choices and rankings)."""

    has_options = True
    max_options = MAX_OPTIONS
    too_many_options = None  # the message when a type allows fewer than MAX_OPTIONS

    def check_spec(self, spec, default_locale: str) -> tuple[str, str] | None:
        if len(spec.options) < 2:
            return _("Give at least two options."), "options"
        if len(spec.options) > MAX_OPTIONS:
            return _("Give at most %(count)d options.", count=MAX_OPTIONS), "options"
        if len(spec.options) > self.max_options:
            return self.too_many_options(), "options"
        if any(not (o.get(default_locale) or "").strip() for o in spec.options):
            return _("Every option needs a label in the survey’s default language."), "options"
        return None

    def option_rows(self, question: Question, by_key: dict[tuple, int], locale: str, value, people: int) -> list[Row]:
        """A bar per option, counting the tallies of ``(option id, value)``."""
        rows = []
        for option in question.options:
            n = by_key.get((option.id, value), 0)
            rows.append(Row(str(option.id), option.label_in(locale), n, share(n, people)))
        return rows
