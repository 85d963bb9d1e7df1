"""Kinds of meeting."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

KINDS = {
    "forum": _l("Forum meeting"),
    "public": _l("Public meeting"),
    "focus_group": _l("Focus group"),
    "training": _l("Training or workshop"),
    "strategic": _l("Strategic session"),
}


def meeting_kind_label(code: str) -> str:
    label = KINDS.get(code)
    return str(label) if label is not None else code
