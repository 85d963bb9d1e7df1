"""Question types, and the demographic block a facilitator adds with one action."""
from __future__ import annotations

import enum

from flask_babel import force_locale, lazy_gettext as _l

from engage.core.districts import DISTRICTS
from engage.core.i18n import LANGUAGE_NAMES


class QuestionType(str, enum.Enum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    SCALE = "scale"
    TEXT = "text"
    RANKING = "ranking"

    @property
    def has_options(self) -> bool:
        return self in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.RANKING)


TYPE_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.SCALE: _l("Scale"),
    QuestionType.TEXT: _l("Free text"),
    QuestionType.RANKING: _l("Ranking"),
}
CHOICE_TYPES = (QuestionType.SINGLE.value, QuestionType.MULTIPLE.value)
MAX_RANKING_OPTIONS = 7
MAX_OPTIONS = 30
SCALES = {"1-5": (1, 5), "0-10": (0, 10)}
TEXT_LIMIT = 5000


def type_label(value: str) -> str:
    return str(TYPE_LABELS[QuestionType(value)])


# --- The demographic block -------------------------------------------------------------

PREFER_NOT = "prefer_not"
PREFER_NOT_LABEL = _l("Prefer not to say")

DEMOGRAPHICS: dict[str, tuple] = {
    "age": (_l("Your age"), [
        ("under_18", _l("Under 18")), ("18_29", _l("18–29")), ("30_44", _l("30–44")),
        ("45_59", _l("45–59")), ("60_plus", _l("60 or older")),
    ]),
    "gender": (_l("Your gender"), [
        ("woman", _l("Woman")), ("man", _l("Man")), ("another", _l("In another way")),
    ]),
    "occupation": (_l("Your occupation"), [
        ("student", _l("Student")), ("public_sector", _l("Public sector employee")),
        ("private_sector", _l("Private sector employee")), ("self_employed", _l("Self-employed or entrepreneur")),
        ("civil_society", _l("Civil society organisation")), ("unemployed", _l("Looking for work")),
        ("retired", _l("Retired")), ("other_occupation", _l("Other occupation")),
    ]),
    "district": (_l("The district where you live"), [
        *DISTRICTS.items(), ("outside", _l("Outside the city")),
    ]),
}
DEMOGRAPHIC_DESCRIPTION = _l("Optional. It helps us see who took part; results are only shown for groups.")


def in_every_language(text) -> dict[str, str]:
    """A lazy string rendered in each of the site's languages, as a facilitator would type them."""
    result = {}
    for code in LANGUAGE_NAMES:
        with force_locale(code):
            result[code] = str(text)
    return result


def demographic_spec(key: str) -> dict:
    """Texts and options of one demographic question, in every language; "Prefer not to say" comes last."""
    prompt, options = DEMOGRAPHICS[key]
    return {
        "prompt": in_every_language(prompt),
        "description": in_every_language(DEMOGRAPHIC_DESCRIPTION),
        "options": [(option_key, in_every_language(label)) for option_key, label in options]
        + [(PREFER_NOT, in_every_language(PREFER_NOT_LABEL))],
    }
