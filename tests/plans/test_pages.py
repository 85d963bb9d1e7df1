"""Plan and commitment pages, progress updates, traceability to proposals, endorsements of plans."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from engage.extensions import db
from engage.plans.models import CommitmentProposal, Milestone

SPRING = datetime(2026, 4, 15, 9, 0, tzinfo=timezone.utc)


def test_progress_bars_and_counts_on_the_plan_page(app, browser, build_plan, clock):
    clock(SPRING)
    built = build_plan(milestones=(("01.2026-02.2026", "completed"), ("02.2026-03.2026", "in_progress"),
                                   ("04.2026-04.2026", "not_started"), ("06.2026-07.2026", "not_started")))
    page = browser.get(f"/plans/{built['plan']}").get_data(as_text=True)
    counts = dict((label, int(n)) for n, label in re.findall(r"<strong>(\d+)</strong> ([a-z 0-9]+)</li>", page))
    assert counts == {"completed": 1, "on schedule": 2, "due within 30 days": 1, "overdue": 1}
    assert '<progress max="100" value="25"' in page and "25% of milestones completed" in page
    assert page.count("<rect ") == 4 and "today" in page
    assert "Regulation on public consultations" in page


def test_drafts_are_for_facilitators(app, browser, build_plan, create_user):
    built = build_plan(published=False)
    assert browser.get(f"/plans/{built['plan']}").status_code == 404
    assert browser.get(f"/commitments/{built['commitment']}").status_code == 404
    assert "Kyiv OGP Local" not in browser.get("/plans/").get_data(as_text=True)
    browser.sign_in(create_user(roles=("facilitator",)))
    assert browser.get(f"/plans/{built['plan']}").status_code == 200


def test_a_facilitator_posts_an_update_and_the_status_follows(app, browser, build_plan, create_user, clock):
    clock(SPRING)
    built = build_plan()
    milestone_id = built["milestones"][0]
    url = f"/milestones/{milestone_id}/updates/new"
    resident = create_user()
    browser.sign_in(resident)
    assert browser.get(url).status_code == 403
    browser.sign_out()
    browser.sign_in(create_user(roles=("facilitator",), display_name="Iryna"))
    bad = browser.submit(url, {"reported_on": "2026-03-30", "text": "Draft published", "status": "completed",
                               "evidence": "javascript:alert(1)\nhttps://kyivcity.gov.ua/draft"})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Each line must be a full web address" in page and "Draft published" in page
    ok = browser.submit(url, {"reported_on": "2026-03-30", "text": "Draft published", "status": "completed",
                              "evidence": "https://kyivcity.gov.ua/draft"})
    assert ok.status_code == 302
    with app.app_context():
        assert db.session.get(Milestone, milestone_id).status == "completed"
    browser.sign_out()
    page = browser.get(f"/commitments/{built['commitment']}").get_data(as_text=True)
    assert "Draft published" in page and "https://kyivcity.gov.ua/draft" in page and "Iryna" in page
    assert "50% of milestones completed" in page


def test_traceability_both_ways(app, browser, build_plan, create_round, create_proposal, create_user, clock):
    round_id = create_round()
    other_round = create_round(title="Another consultation")
    author = create_user()
    proposal_id = create_proposal(round_id, author, title="Publish draft decisions two weeks ahead")
    stranger = create_proposal(other_round, author, title="Unrelated idea")
    built = build_plan(round_ids=[round_id])
    browser.sign_in(create_user(roles=("facilitator",)))
    link_url = f"/commitments/{built['commitment']}/proposals"
    form_url = f"/commitments/{built['commitment']}"
    browser.submit(link_url, {"proposal_id": str(stranger)}, form_url=form_url)
    browser.submit(link_url, {"proposal_id": "abc"}, form_url=form_url)
    browser.submit(link_url, {"proposal_id": f"#{proposal_id}"}, form_url=form_url)
    with app.app_context():
        links = db.session.scalars(db.select(CommitmentProposal.proposal_id)).all()
    assert links == [proposal_id]
    browser.sign_out()
    commitment_page = browser.get(form_url).get_data(as_text=True)
    assert "This commitment answers 1 resident's proposal." in commitment_page
    assert "Publish draft decisions two weeks ahead" in commitment_page
    proposal_page = browser.get(f"/proposals/{proposal_id}").get_data(as_text=True)
    assert "This proposal is answered by a commitment of the action plan:" in proposal_page
    assert f"/commitments/{built['commitment']}" in proposal_page


def test_plans_and_commitments_can_be_endorsed(app, browser, build_plan, create_user):
    from engage.organisations.models import Organisation, Representative

    built = build_plan()
    representative = create_user()
    with app.app_context():
        organisation = Organisation(name_uk="ГО «Центр спільних дій»", name_en="Centre for Common Actions", kind="academic",
                                    status="verified")
        organisation.representatives.append(Representative(user_id=representative.id))
        db.session.add(organisation)
        db.session.commit()
        org_id = organisation.id
    browser.sign_in(representative)
    for target, page in ((f"plan:{built['plan']}", f"/plans/{built['plan']}"),
                         (f"commitment:{built['commitment']}", f"/commitments/{built['commitment']}")):
        response = browser.submit(f"/endorsements/new?target={target}", {
            "target": target, "organisation_id": str(org_id), "signed_by": "Maria Levonova", "statement": ""})
        assert response.status_code == 302, target
        assert "Centre for Common Actions" in browser.get(page).get_data(as_text=True)
    api = browser.get(f"/api/v1/endorsements?target=plan:{built['plan']}").get_json()
    assert api["total"] == 1 and api["items"][0]["target_title"] == "Kyiv OGP Local Action Plan 2025-2026"


def test_a_report_is_frozen_after_later_updates(app, browser, build_plan, create_user, clock):
    from datetime import date

    from engage.plans import services

    clock(SPRING)
    built = build_plan(milestones=(("01.2026-03.2026", "in_progress"), ("04.2026-06.2026", "not_started")))
    first, second = built["milestones"]
    with app.test_request_context():
        services.add_update(db.session.get(Milestone, first), by=None, text="Consultation held", locale="en",
                            reported_on=date(2026, 3, 20), status="completed")
        services.add_update(db.session.get(Milestone, second), by=None, text="Started in April", locale="en",
                            reported_on=date(2026, 4, 2), status="in_progress")
        db.session.commit()
    facilitator = create_user(roles=("facilitator",))
    browser.sign_in(facilitator)
    url = f"/plans/{built['plan']}/reports/new"
    wrong = browser.submit(url, {"title": "Q1 2026", "period_start": "2026-03-31", "period_end": "2026-01-01"})
    assert wrong.status_code == 422 and "The period cannot end before it starts." in wrong.get_data(as_text=True)
    response = browser.submit(url, {"title": "Q1 2026", "period_start": "2026-01-01", "period_end": "2026-03-31",
                                    "narrative_en": "A good *first* quarter."})
    assert response.status_code == 302
    report_url = response.headers["Location"]
    with app.test_request_context():
        services.add_update(db.session.get(Milestone, second), by=None, text="Finished early", locale="en",
                            reported_on=date(2026, 4, 30), status="completed")
        db.session.commit()
    browser.sign_out()
    data = browser.get(report_url + ".json").get_json()
    assert data["counts"] == {"total": 2, "completed": 1, "overdue": 0, "by_status": {"completed": 1, "not_started": 1}}
    assert [u["text"] for u in data["updates"]] == ["Consultation held"]  # April's updates are not in Q1
    page = browser.get(report_url).get_data(as_text=True)
    assert "<em>first</em>" in page and "Finished early" not in page
    csv_text = browser.get(report_url + ".csv").get_data(as_text=True)
    assert "4,4.1,Step 1,01.2026-03.2026,completed,no" in csv_text.replace("\r", "")
    assert "4,4.2,Step 2,04.2026-06.2026,not_started,no" in csv_text.replace("\r", "")
    listing = browser.get(f"/plans/{built['plan']}/reports").get_data(as_text=True)
    assert "Q1 2026" in listing
    browser.sign_in(create_user())
    assert browser.get(url).status_code == 403


def test_the_api_lists_published_plans_with_everything_nested(app, browser, build_plan, clock):
    clock(SPRING)
    built = build_plan()
    build_plan(published=False, title="Draft plan")
    listing = browser.get("/api/v1/plans").get_json()
    assert [p["title"]["en"] for p in listing["items"]] == ["Kyiv OGP Local Action Plan 2025-2026"]
    document = browser.get("/api/v1/openapi.json").get_json()
    schema = document["components"]["schemas"]
    assert set(schema["PlanSummary"]["required"]) == set(listing["items"][0])
    detail = browser.get(f"/api/v1/plans/{built['plan']}").get_json()
    assert set(schema["PlanSummary"]["required"]) | set(schema["Plan"]["allOf"][1]["required"]) == set(detail)
    (commitment,) = detail["commitments"]
    assert commitment["number"] == "4" and commitment["ogp_values"] == ["civic_participation"]
    assert [m["period"] for m in commitment["milestones"]] == ["02.2026-03.2026", "04.2026-05.2026"]
    assert commitment["milestones"][0]["overdue"] is True  # March has passed by mid-April
    assert browser.get("/api/v1/plans/999").status_code == 404


def test_an_accepted_proposal_names_its_commitment_from_the_answer_form(app, browser, build_plan, create_round,
                                                                        create_proposal, create_user, clock):
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, create_user(), title="Consult on every regulation")
    built = build_plan(round_ids=[round_id])
    clock.to_phase("feedback")
    browser.sign_in(facilitator)
    url = f"/proposals/{proposal_id}/response"
    prefix = f"p{proposal_id}-"
    refused = browser.submit(url, {prefix + "outcome": "not_accepted", prefix + "reason": "Out of budget.",
                                   prefix + "commitment_id": str(built["commitment"])})
    assert refused.status_code == 422
    assert "Only an accepted or partially accepted proposal names a commitment." in refused.get_data(as_text=True)
    accepted = browser.submit(url, {prefix + "outcome": "partially_accepted", prefix + "reason": "Part of commitment 4.",
                                    prefix + "commitment_id": str(built["commitment"])})
    assert accepted.status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(CommitmentProposal.proposal_id)).all() == [proposal_id]
    assert "Consult on every regulation" in browser.get(f"/commitments/{built['commitment']}").get_data(as_text=True)
