"""Statuses of plans and milestones, OGP values, and the month periods the plans are written in."""
from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l

from engage.core.i18n import label

PLAN_STATUSES = {
    "drafting": _l("Drafting"),
    "adopted": _l("Adopted"),
    "implementing": _l("Implementing"),
    "completed": _l("Completed"),
}
MILESTONE_STATUSES = {
    "not_started": _l("Not started"),
    "in_progress": _l("In progress"),
    "completed": _l("Completed"),
    "delayed": _l("Delayed"),
    "cancelled": _l("Cancelled"),
}
OGP_VALUES = {
    "access_to_information": _l("Access to information"),
    "civic_participation": _l("Civic participation"),
    "public_accountability": _l("Public accountability"),
    "technology_innovation": _l("Technology and innovation"),
}

PERIOD_RE = re.compile(r"^\s*(\d{2})\.(\d{4})\s*-\s*(\d{2})\.(\d{4})\s*$")


def plan_status_label(code: str) -> str:
    return label(PLAN_STATUSES, code)


def milestone_status_label(code: str) -> str:
    return label(MILESTONE_STATUSES, code)


def milestone_status_names() -> dict[str, str]:
    """Every milestone status's name in the current language (for pages that name hundreds of milestones)."""
    return {code: str(name) for code, name in MILESTONE_STATUSES.items()}


def ogp_value_label(code: str) -> str:
    return label(OGP_VALUES, code)


def parse_period(text: str) -> tuple[date, date] | None:
    """``"02.2025-03.2025"`` → (1 February 2025, 1 March 2025); None when it is not such a period
    (months 01-12, the end not before the start)."""
    match = PERIOD_RE.match(text or "")
    if not match:
        return None
    m1, y1, m2, y2 = (int(g) for g in match.groups())
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12 and 1900 < y1 < 2200 and 1900 < y2 < 2200):
        return None
    start, end = date(y1, m1, 1), date(y2, m2, 1)
    return (start, end) if start <= end else None


def format_period(start: date, end: date) -> str:
    return f"{start:%m.%Y}-{end:%m.%Y}"


def month_end(month: date) -> date:
    """The last day of ``month`` (a milestone ending 03.2025 is due by 31 March 2025)."""
    following = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)
