"""Kinds of meeting."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from engage.core.i18n import label

KINDS = {
    "forum": _l("Forum meeting"),
    "public": _l("Public meeting"),
    "focus_group": _l("Focus group"),
    "training": _l("Training or workshop"),
    "strategic": _l("Strategic session"),
}


def meeting_kind_label(code: str) -> str:
    return label(KINDS, code)
