"""Milestone status from progress updates, and the counts of a plan against the clock."""
from __future__ import annotations

from datetime import date

from engage.extensions import db
from engage.plans import services
from engage.plans.importer import check
from engage.plans.models import Milestone


def _plan(app, periods_and_statuses):
    data = {"plan": {"title": {"uk": "План"}, "period": "01.2025-12.2026"},
            "commitments": [{"number": "1", "title": {"uk": "Зобов'язання"},
                             "milestones": [{"description": {"uk": f"Крок {n}"}, "period": period, "status": status}
                                            for n, (period, status) in enumerate(periods_and_statuses)]}]}
    with app.app_context():
        plan = services.create_from(check(data))
        db.session.commit()
        return plan.id, [m.id for m in plan.commitments[0].milestones]


def test_the_latest_update_that_names_a_status_sets_it(app):
    _, (milestone_id,) = _plan(app, [("02.2025-03.2025", "not_started")])
    with app.test_request_context():
        milestone = db.session.get(Milestone, milestone_id)
        services.add_update(milestone, by=None, text="Drafting began", locale="en", reported_on=date(2025, 2, 10),
                            status="in_progress")
        assert milestone.status == "in_progress"
        services.add_update(milestone, by=None, text="Published the draft", locale="en", reported_on=date(2025, 3, 20),
                            status="completed", evidence=["https://kyivcity.gov.ua/draft"])
        assert milestone.status == "completed"
        # A note without a status, or an earlier-dated correction entered later, does not override it.
        services.add_update(milestone, by=None, text="Thanks to all", locale="en", reported_on=date(2025, 3, 25))
        services.add_update(milestone, by=None, text="Back-dated note", locale="en", reported_on=date(2025, 2, 1),
                            status="delayed")
        db.session.commit()
        assert milestone.status == "completed"
        assert [u.text for u in milestone.updates][:2] == ["Thanks to all", "Published the draft"]


def test_overdue_is_computed_against_the_clock(app):
    _, ids = _plan(app, [("02.2025-03.2025", "in_progress"), ("02.2025-03.2025", "completed"),
                         ("02.2025-03.2025", "cancelled"), ("04.2025-04.2025", "not_started")])
    with app.app_context():
        milestones = [db.session.get(Milestone, i) for i in ids]
        on_the_last_day = date(2025, 3, 31)
        assert [services.is_overdue(m, on_the_last_day) for m in milestones] == [False] * 4
        next_day = date(2025, 4, 1)
        assert [services.is_overdue(m, next_day) for m in milestones] == [True, False, False, False]
        assert [services.is_due_soon(m, next_day) for m in milestones] == [False, False, False, True]


def test_counts_and_progress_on_hand_built_data(app):
    plan_id, _ = _plan(app, [("01.2025-02.2025", "completed"), ("01.2025-03.2025", "completed"),
                             ("03.2025-05.2025", "in_progress"), ("01.2025-02.2025", "delayed"),
                             ("05.2025-06.2025", "not_started"), ("01.2025-01.2025", "cancelled")])
    with app.app_context():
        plan = services.get_plan(plan_id)
        counts = services.counts(services.all_milestones(plan), date(2025, 4, 15))
        # Overdue: the delayed one (ended February). Due within 30 days: the one ending May (31 May is 46 days away: no).
        assert (counts.total, counts.completed, counts.overdue, counts.on_schedule, counts.due_soon) == (6, 2, 1, 2, 0)
        assert services.counts(services.all_milestones(plan), date(2025, 5, 5)).due_soon == 1
        assert counts.by_status == {"completed": 2, "in_progress": 1, "delayed": 1, "not_started": 1, "cancelled": 1}
        # Progress of the commitment: 2 of the 5 that are not cancelled.
        assert services.commitment_progress(plan.commitments[0]) == 40
        assert counts.completed_percent == 33
