"""The districts a round or a proposal can be about (Kyiv's ten by default)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

DISTRICTS = {
    "holosiivskyi": _l("Holosiivskyi district"),
    "darnytskyi": _l("Darnytskyi district"),
    "desnianskyi": _l("Desnianskyi district"),
    "dniprovskyi": _l("Dniprovskyi district"),
    "obolonskyi": _l("Obolonskyi district"),
    "pecherskyi": _l("Pecherskyi district"),
    "podilskyi": _l("Podilskyi district"),
    "sviatoshynskyi": _l("Sviatoshynskyi district"),
    "solomianskyi": _l("Solomianskyi district"),
    "shevchenkivskyi": _l("Shevchenkivskyi district"),
}


def district_label(code: str | None) -> str:
    if not code:
        return ""
    label = DISTRICTS.get(code)
    return str(label) if label is not None else code


def district_choices(blank_label=None) -> list[tuple[str, str]]:
    choices = [(code, str(label)) for code, label in DISTRICTS.items()]
    return ([("", str(blank_label))] if blank_label is not None else []) + choices
