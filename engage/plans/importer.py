"""Reading an action plan from JSON or CSV (``flask plans import FILE``): everything is checked before
anything is written, and every problem is reported with where it is (JSON path or CSV row) and field.

JSON::

    {"plan": {"title": {"uk": "...", "en": "..."}, "period": "01.2025-12.2026", "status": "implementing",
              "jurisdiction": {...}, "lead_institutions": {...}, "adoption_reference": "...",
              "adopted_on": "2025-01-30", "monitoring_body": {...}, "monitoring_contact": "...",
              "default_locale": "uk"},
     "commitments": [{"number": "1", "title": {...}, "problem": {...}, "objective": {...},
                      "expected_results": {...}, "ogp_values": ["civic_participation"],
                      "lead_institutions": "...", "partners": "...",
                      "milestones": [{"number": "1.1", "description": {...}, "responsible": "...",
                                      "period": "02.2025-03.2025", "indicator": {...}, "status": "not_started"}]}]}

CSV: one row per milestone, UTF-8 with a header row. Columns ``<field>_<locale>`` (uk, en, es) hold the
texts: ``plan_title``, ``plan_jurisdiction``, ``plan_lead_institutions``, ``plan_monitoring_body``,
``commitment_title``, ``problem``, ``objective``, ``expected_results``, ``milestone``, ``indicator``;
plain columns: ``plan_period``, ``plan_status``, ``plan_adoption_reference``, ``plan_adopted_on``,
``plan_monitoring_contact``, ``commitment_number``, ``ogp_values`` (separated by ``;``),
``lead_institutions``, ``partners``, ``milestone_number``, ``responsible``, ``period``, ``status``.
Plan columns are read from the first row; commitment columns from the first row of each number.
"""
from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from engage.core.i18n import LANGUAGE_NAMES
from engage.plans.kinds import MILESTONE_STATUSES, OGP_VALUES, PLAN_STATUSES, parse_period

LOCALES = tuple(LANGUAGE_NAMES)


@dataclass
class Problem:
    where: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.where}, {self.field}: {self.message}"


class PlanImportError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class MilestoneData:
    number: str
    description: dict
    responsible: str
    start: date
    end: date
    indicator: dict
    status: str


@dataclass
class CommitmentData:
    number: str
    title: dict
    problem: dict
    objective: dict
    expected_results: dict
    ogp_values: list[str]
    lead_institutions: str
    partners: str
    milestones: list[MilestoneData] = field(default_factory=list)


@dataclass
class PlanData:
    default_locale: str
    title: dict
    jurisdiction: dict
    lead_institutions: dict
    period_start: date
    period_end: date
    status: str
    adoption_reference: str
    adopted_on: date | None
    monitoring_body: dict
    monitoring_contact: str
    commitments: list[CommitmentData] = field(default_factory=list)


# --- Reading the file into one shape ---------------------------------------------------------


def read_file(path: str | Path) -> tuple[dict, str]:
    """The file as the JSON shape, and whether it was ``json`` or ``csv`` (for where problems are)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8-sig")
    if path.suffix.lower() == ".csv":
        return _from_csv(text), "csv"
    try:
        return json.loads(text), "json"
    except json.JSONDecodeError as error:
        raise PlanImportError([Problem("file", "json", f"not valid JSON ({error.msg}, line {error.lineno})")]) from None


def _texts(row: dict, name: str) -> dict:
    return {loc: (row.get(f"{name}_{loc}") or "").strip() for loc in LOCALES if (row.get(f"{name}_{loc}") or "").strip()}


def _from_csv(text: str) -> dict:
    rows = list(csv.DictReader(io.StringIO(text)))
    if not rows:
        raise PlanImportError([Problem("file", "csv", "no rows after the header")])
    first = rows[0]
    plan = {
        "title": _texts(first, "plan_title"), "jurisdiction": _texts(first, "plan_jurisdiction"),
        "lead_institutions": _texts(first, "plan_lead_institutions"),
        "monitoring_body": _texts(first, "plan_monitoring_body"),
        "period": first.get("plan_period", ""), "status": first.get("plan_status", ""),
        "adoption_reference": first.get("plan_adoption_reference", ""), "adopted_on": first.get("plan_adopted_on", ""),
        "monitoring_contact": first.get("plan_monitoring_contact", ""), "default_locale": first.get("plan_default_locale", ""),
    }
    commitments: dict[str, dict] = {}
    for n, row in enumerate(rows, start=2):  # row 1 is the header
        number = (row.get("commitment_number") or "").strip()
        commitment = commitments.get(number)
        if commitment is None:
            commitment = commitments[number] = {
                "number": number, "title": _texts(row, "commitment_title"), "problem": _texts(row, "problem"),
                "objective": _texts(row, "objective"), "expected_results": _texts(row, "expected_results"),
                "ogp_values": [v.strip() for v in (row.get("ogp_values") or "").split(";") if v.strip()],
                "lead_institutions": row.get("lead_institutions", ""), "partners": row.get("partners", ""),
                "milestones": [], "_where": f"row {n}",
            }
        commitment["milestones"].append({
            "number": row.get("milestone_number", ""), "description": _texts(row, "milestone"),
            "responsible": row.get("responsible", ""), "period": row.get("period", ""),
            "indicator": _texts(row, "indicator"), "status": row.get("status", ""), "_where": f"row {n}",
        })
    return {"plan": plan, "commitments": list(commitments.values()), "_where": "row 2"}


# --- Checking ------------------------------------------------------------------------------


def _text_dict(value, where, name, problems, *, required_locale=None) -> dict:
    if value in (None, ""):
        value = {}
    if isinstance(value, str):
        value = {required_locale or "uk": value}
    if not isinstance(value, dict) or any(k not in LOCALES or not isinstance(v, str) for k, v in value.items()):
        problems.append(Problem(where, name, "expected texts by language, e.g. {\"uk\": \"...\", \"en\": \"...\"}"))
        return {}
    value = {k: v.strip() for k, v in value.items() if v.strip()}
    if required_locale and not value.get(required_locale):
        problems.append(Problem(where, name, f"missing (required in {required_locale})"))
    return value


def _string(value, where, name, problems, *, required=False, limit=None) -> str:
    if value is None:
        value = ""
    if not isinstance(value, str):
        problems.append(Problem(where, name, "expected text"))
        return ""
    value = value.strip()
    if required and not value:
        problems.append(Problem(where, name, "missing"))
    if limit and len(value) > limit:
        problems.append(Problem(where, name, f"longer than {limit} characters"))
    return value


def _period(value, where, name, problems):
    parsed = parse_period(value if isinstance(value, str) else "")
    if parsed is None:
        problems.append(Problem(where, name, f"{value!r} is not a period like 02.2025-03.2025 (months 01-12, start before end)"))
    return parsed


def check(data: dict, source: str = "json") -> PlanData:
    """The plan, or PlanImportError listing every problem found."""
    problems: list[Problem] = []
    if not isinstance(data, dict) or not isinstance(data.get("plan"), dict):
        raise PlanImportError([Problem("file", "plan", "missing: the file must have a \"plan\" object")])
    raw = data["plan"]
    where = data.get("_where", "plan") if source == "csv" else "plan"
    locale = (raw.get("default_locale") or "uk").strip() if isinstance(raw.get("default_locale") or "uk", str) else "uk"
    if locale not in LOCALES:
        problems.append(Problem(where, "default_locale", f"must be one of {', '.join(LOCALES)}"))
        locale = "uk"
    status = (raw.get("status") or "drafting").strip() if isinstance(raw.get("status") or "", str) else ""
    if status not in PLAN_STATUSES:
        problems.append(Problem(where, "status", f"must be one of {', '.join(PLAN_STATUSES)}"))
    adopted_on = None
    if raw.get("adopted_on"):
        try:
            adopted_on = date.fromisoformat(str(raw["adopted_on"]).strip())
        except ValueError:
            problems.append(Problem(where, "adopted_on", f"{raw['adopted_on']!r} is not a date like 2025-01-30"))
    period = _period(raw.get("period"), where, "period", problems)
    plan = PlanData(
        default_locale=locale,
        title=_text_dict(raw.get("title"), where, "title", problems, required_locale=locale),
        jurisdiction=_text_dict(raw.get("jurisdiction"), where, "jurisdiction", problems),
        lead_institutions=_text_dict(raw.get("lead_institutions"), where, "lead_institutions", problems),
        period_start=period[0] if period else date.min, period_end=period[1] if period else date.max,
        status=status, adoption_reference=_string(raw.get("adoption_reference"), where, "adoption_reference", problems, limit=300),
        adopted_on=adopted_on,
        monitoring_body=_text_dict(raw.get("monitoring_body"), where, "monitoring_body", problems),
        monitoring_contact=_string(raw.get("monitoring_contact"), where, "monitoring_contact", problems, limit=1000),
    )
    commitments = data.get("commitments")
    if not isinstance(commitments, list) or not commitments:
        problems.append(Problem("file", "commitments", "missing: the plan needs at least one commitment"))
        commitments = []
    numbers: set[str] = set()
    for c_index, raw_c in enumerate(commitments):
        c_where = raw_c.get("_where", f"commitments[{c_index}]") if isinstance(raw_c, dict) else f"commitments[{c_index}]"
        if not isinstance(raw_c, dict):
            problems.append(Problem(c_where, "commitment", "expected an object"))
            continue
        number = _string(str(raw_c.get("number") or ""), c_where, "number", problems, required=True, limit=20)
        if number and number in numbers:
            problems.append(Problem(c_where, "number", f"commitment {number} appears twice"))
        numbers.add(number)
        values = raw_c.get("ogp_values") or []
        if not isinstance(values, list) or any(v not in OGP_VALUES for v in values):
            problems.append(Problem(c_where, "ogp_values", f"each value must be one of {', '.join(OGP_VALUES)}"))
            values = []
        commitment = CommitmentData(
            number=number,
            title=_text_dict(raw_c.get("title"), c_where, "title", problems, required_locale=locale),
            problem=_text_dict(raw_c.get("problem"), c_where, "problem", problems),
            objective=_text_dict(raw_c.get("objective"), c_where, "objective", problems),
            expected_results=_text_dict(raw_c.get("expected_results"), c_where, "expected_results", problems),
            ogp_values=list(dict.fromkeys(values)),
            lead_institutions=_string(raw_c.get("lead_institutions"), c_where, "lead_institutions", problems),
            partners=_string(raw_c.get("partners"), c_where, "partners", problems),
        )
        milestones = raw_c.get("milestones") or []
        if not isinstance(milestones, list):
            problems.append(Problem(c_where, "milestones", "expected a list"))
            milestones = []
        for m_index, raw_m in enumerate(milestones):
            m_where = raw_m.get("_where", f"{c_where}.milestones[{m_index}]") if isinstance(raw_m, dict) else c_where
            if not isinstance(raw_m, dict):
                problems.append(Problem(m_where, "milestone", "expected an object"))
                continue
            m_period = _period(raw_m.get("period"), m_where, "period", problems)
            if m_period and period and (m_period[0] < period[0] or m_period[1] > period[1]):
                problems.append(Problem(m_where, "period", f"{raw_m.get('period')} is outside the plan's period"))
            m_status = (raw_m.get("status") or "not_started").strip() if isinstance(raw_m.get("status") or "", str) else ""
            if m_status not in MILESTONE_STATUSES:
                problems.append(Problem(m_where, "status", f"must be one of {', '.join(MILESTONE_STATUSES)}"))
            commitment.milestones.append(MilestoneData(
                number=_string(str(raw_m.get("number") or f"{number}.{m_index + 1}"), m_where, "number", problems, limit=20),
                description=_text_dict(raw_m.get("description"), m_where, "description", problems, required_locale=locale),
                responsible=_string(raw_m.get("responsible"), m_where, "responsible", problems),
                start=m_period[0] if m_period else date.min, end=m_period[1] if m_period else date.min,
                indicator=_text_dict(raw_m.get("indicator"), m_where, "indicator", problems),
                status=m_status,
            ))
        plan.commitments.append(commitment)
    if problems:
        raise PlanImportError(problems)
    return plan
