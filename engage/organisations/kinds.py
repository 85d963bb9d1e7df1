"""Kinds of organisation, areas of work, and the Ukrainian registration code (EDRPOU)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from engage.core.i18n import label

KINDS = {
    "ngo": _l("Non-governmental organisation"),
    "charity": _l("Charitable foundation"),
    "local_governments": _l("Association of local governments"),
    "academic": _l("Academic institution"),
    "business": _l("Business association"),
    "international": _l("International organisation"),
    "other": _l("Other"),
}
# Kinds registered in Ukraine's state register, which therefore have an EDRPOU code.
KINDS_WITH_CODE = frozenset({"ngo", "charity", "local_governments", "business"})

AREAS = {
    "transparency": _l("Transparency and anti-corruption"),
    "participation": _l("Civic participation"),
    "human_rights": _l("Human rights"),
    "education": _l("Education"),
    "youth": _l("Youth"),
    "social": _l("Social protection and vulnerable groups"),
    "veterans": _l("Veterans and their families"),
    "health": _l("Health"),
    "environment": _l("Environment"),
    "urban": _l("Urban development and public spaces"),
    "digital": _l("Digital services and open data"),
    "culture": _l("Culture and history"),
    "media": _l("Media and information"),
    "security": _l("Security and cyber security"),
    "research": _l("Research and policy analysis"),
    "economy": _l("Economy and business"),
}


def kind_label(code: str) -> str:
    return label(KINDS, code)


def area_label(code: str) -> str:
    return label(AREAS, code)


def edrpou_is_valid(code: str) -> bool:
    """True for eight digits whose last is the check digit of the first seven.

    The check digit is the weighted sum of the first seven digits modulo 11.
    The weights are 1..7, or 7,1,2..6 for codes between 30,000,000 and 60,000,000;
    when the remainder is 10 the weights are raised by 2 and the sum taken again,
    and a second 10 gives 0.
    """
    if len(code) != 8 or not code.isascii() or not code.isdigit():
        return False
    digits = [int(c) for c in code]
    value = int(code)
    weights = [7, 1, 2, 3, 4, 5, 6] if 30_000_000 <= value <= 60_000_000 else [1, 2, 3, 4, 5, 6, 7]
    check = sum(d * w for d, w in zip(digits, weights)) % 11
    if check == 10:
        check = sum(d * (w + 2) for d, w in zip(digits, weights)) % 11
        if check == 10:
            check = 0
    return check == digits[7]


def with_check_digit(first_seven: str) -> str:
    """The eight-digit code whose first seven digits are given (for demo data and tests)."""
    for last in "0123456789":
        if edrpou_is_valid(first_seven + last):
            return first_seven + last
    raise ValueError(first_seven)
