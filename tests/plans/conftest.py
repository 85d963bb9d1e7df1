"""A small published plan built through the importer."""
from __future__ import annotations

import pytest

from engage.extensions import db
from tests.cocreation.conftest import create_forum, create_meeting, facilitator  # noqa: F401  (fixtures)


@pytest.fixture
def build_plan(app):
    from engage.plans import services
    from engage.plans.importer import check

    def make(*, milestones=(("02.2026-03.2026", "not_started"), ("04.2026-05.2026", "not_started")), published=True,
             round_ids=(), title="Kyiv OGP Local Action Plan 2025-2026") -> dict:
        data = {"plan": {"title": {"en": title}, "period": "01.2026-12.2027", "status": "implementing",
                         "default_locale": "en"},
                "commitments": [{"number": "4", "title": {"en": "Regulation on public consultations"},
                                 "ogp_values": ["civic_participation"],
                                 "milestones": [{"description": {"en": f"Step {n + 1}"}, "period": period, "status": status,
                                                 "indicator": {"en": "Done"}}
                                                for n, (period, status) in enumerate(milestones)]}]}
        with app.app_context():
            plan = services.create_from(check(data), round_ids=list(round_ids), publish=published)
            db.session.commit()
            return {"plan": plan.id, "commitment": plan.commitments[0].id,
                    "milestones": [m.id for m in plan.commitments[0].milestones]}

    return make
