"""Importing a plan: everything is checked before anything is written; problems name where they are."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

import pytest

from engage.extensions import db
from engage.plans.models import ActionPlan, Commitment, Milestone

PLAN = {
    "plan": {"title": {"uk": "План дій Києва 2025-2026", "en": "Kyiv OGP Local Action Plan 2025-2026"},
             "period": "01.2025-12.2026", "status": "implementing", "adopted_on": "2025-01-30",
             "jurisdiction": {"uk": "місто Київ"}, "monitoring_contact": "hub.vcentri@gmail.com"},
    "commitments": [
        {"number": "4", "title": {"uk": "Положення про публічні консультації", "en": "Regulation on public consultations"},
         "ogp_values": ["civic_participation", "public_accountability"], "lead_institutions": "Департамент суспільних комунікацій",
         "milestones": [
             {"number": "4.1", "description": {"uk": "Розробити проєкт Положення"}, "responsible": "ДСК",
              "period": "02.2025-03.2025", "indicator": {"uk": "Проєкт оприлюднено"}},
             {"description": {"uk": "Провести публічне обговорення"}, "period": "04.2025-06.2025"},
         ]},
        {"number": "5", "title": {"uk": "Мережа Vcentri HUB"}, "ogp_values": ["civic_participation"],
         "milestones": [{"description": {"uk": "Відкрити два нові простори"}, "period": "01.2025-12.2026",
                         "status": "in_progress"}]},
    ],
}


def _write(tmp_path, data, name="plan.json"):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _count(app, model):
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_valid_plan_is_imported_whole(app, runner, tmp_path):
    result = runner.invoke(args=["plans", "import", _write(tmp_path, PLAN)])
    assert result.exit_code == 0, result.output
    assert "2 commitments, 3 milestones" in result.output
    with app.app_context():
        plan = db.session.scalar(db.select(ActionPlan))
        assert plan.title["en"] == "Kyiv OGP Local Action Plan 2025-2026"
        assert (plan.period_start, plan.period_end) == (date(2025, 1, 1), date(2026, 12, 1))
        assert plan.adopted_on == date(2025, 1, 30) and plan.published_at is None
        first = plan.commitments[0]
        assert first.number == "4" and first.ogp_values == ["civic_participation", "public_accountability"]
        assert [m.number for m in first.milestones] == ["4.1", "4.2"]
        assert (first.milestones[0].start_month, first.milestones[0].end_month) == (date(2025, 2, 1), date(2025, 3, 1))
        assert plan.commitments[1].milestones[0].status == "in_progress"


@pytest.mark.parametrize("period", ["13.2025-01.2026", "02.2025", "03.2025-02.2025", "2025-02/2025-03", "", "00.2025-01.2025"])
def test_bad_month_strings_write_nothing(app, runner, tmp_path, period):
    data = json.loads(json.dumps(PLAN))
    data["commitments"][1]["milestones"][0]["period"] = period
    result = runner.invoke(args=["plans", "import", _write(tmp_path, data)])
    assert result.exit_code == 1
    assert "Nothing was imported" in result.output
    assert "commitments[1].milestones[0], period:" in result.output
    assert _count(app, ActionPlan) == _count(app, Commitment) == _count(app, Milestone) == 0


def test_missing_fields_are_all_reported_and_nothing_is_written(app, runner, tmp_path):
    data = json.loads(json.dumps(PLAN))
    del data["plan"]["title"]["uk"]
    data["commitments"][0]["milestones"][1]["description"] = {}
    data["commitments"][1]["number"] = "4"
    data["commitments"][1]["ogp_values"] = ["transparency"]
    data["commitments"][0]["milestones"][0]["period"] = "02.2024-03.2025"  # before the plan starts
    result = runner.invoke(args=["plans", "import", _write(tmp_path, data)])
    assert result.exit_code == 1
    for expected in ("plan, title: missing (required in uk)",
                     "commitments[0].milestones[1], description: missing (required in uk)",
                     "commitments[1], number: commitment 4 appears twice",
                     "commitments[1], ogp_values:",
                     "commitments[0].milestones[0], period: 02.2024-03.2025 is outside the plan's period"):
        assert expected in result.output
    assert _count(app, ActionPlan) == 0


def test_not_json_or_no_commitments(app, runner, tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text("{\"plan\": ", encoding="utf-8")
    result = runner.invoke(args=["plans", "import", str(broken)])
    assert result.exit_code == 1 and "not valid JSON" in result.output
    result = runner.invoke(args=["plans", "import", _write(tmp_path, {"plan": PLAN["plan"], "commitments": []})])
    assert result.exit_code == 1 and "the plan needs at least one commitment" in result.output
    assert _count(app, ActionPlan) == 0


def _csv(rows):
    header = ["plan_title_uk", "plan_title_en", "plan_period", "plan_status", "commitment_number", "commitment_title_uk",
              "ogp_values", "milestone_number", "milestone_uk", "responsible", "period", "indicator_uk", "status"]
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def test_csv_import_and_row_numbers_in_problems(app, runner, tmp_path, create_round):
    round_id = create_round()
    good = _csv([
        ["План дій", "Action plan", "01.2025-12.2026", "adopted", "1", "Громадянська освіта", "civic_participation",
         "1.1", "Розробити курси", "КМДА", "02.2025-06.2025", "Курси розроблено", ""],
        ["", "", "", "", "1", "", "", "1.2", "Провести навчання", "КМДА", "09.2025-12.2025", "", "not_started"],
        ["", "", "", "", "2", "Відкриті дані", "access_to_information;technology_innovation", "2.1", "Оновити портал",
         "ГІОЦ", "01.2025-12.2026", "Портал оновлено", "in_progress"],
    ])
    path = tmp_path / "plan.csv"
    path.write_text(good, encoding="utf-8")
    result = runner.invoke(args=["plans", "import", str(path), "--round", str(round_id), "--publish"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        plan = db.session.scalar(db.select(ActionPlan))
        assert plan.is_published and plan.round_ids == [round_id] and plan.status == "adopted"
        assert [(c.number, len(c.milestones)) for c in plan.commitments] == [("1", 2), ("2", 1)]
        assert plan.commitments[1].ogp_values == ["access_to_information", "technology_innovation"]
    bad = _csv([
        ["План", "", "01.2025-12.2026", "adopted", "1", "Освіта", "civic_participation", "1.1", "Крок", "", "02.2025-06.2025", "", ""],
        ["", "", "", "", "1", "", "", "1.2", "", "", "14.2025-12.2025", "", "finished"],
    ])
    path.write_text(bad, encoding="utf-8")
    result = runner.invoke(args=["plans", "import", str(path)])
    assert result.exit_code == 1
    assert "row 3, period:" in result.output and "row 3, description: missing" in result.output
    assert "row 3, status: must be one of" in result.output
    assert _count(app, ActionPlan) == 1


def test_an_unknown_round_writes_nothing(app, runner, tmp_path):
    result = runner.invoke(args=["plans", "import", _write(tmp_path, PLAN), "--round", "999"])
    assert result.exit_code == 1 and "no round with id 999" in result.output
    assert _count(app, ActionPlan) == 0
