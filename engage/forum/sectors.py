"""Sectors and roles of forum members (also used to count meeting attendance by sector)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from engage.core.i18n import label

GOVERNMENT = "government"
SECTORS = {
    GOVERNMENT: _l("Government"),
    "civil_society": _l("Civil society"),
    "academia": _l("Academia"),
    "private": _l("Private sector"),
    "youth": _l("Youth"),
    "other": _l("Other"),
}
ROLES = {
    "chair": _l("Chair"),
    "co_chair": _l("Co-chair"),
    "member": _l("Member"),
}


def sector_label(code: str) -> str:
    return label(SECTORS, code)


def role_label(code: str) -> str:
    return label(ROLES, code)
