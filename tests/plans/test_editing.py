"""Facilitators write plans, commitments and milestones in the browser; registered partners; comments on commitments."""
from __future__ import annotations

from datetime import datetime, timezone

from engage.extensions import db
from engage.plans.models import ActionPlan, Commitment, CommitmentPartner, Milestone

SPRING = datetime(2026, 4, 15, 9, 0, tzinfo=timezone.utc)

PLAN = {"default_locale": "en", "title_en": "Lviv Open Government Action Plan", "jurisdiction_en": "Lviv city",
        "lead_institutions_en": "City council", "monitoring_body_en": "Independent reporting panel",
        "period_start": "2026-01", "period_end": "2027-06", "status": "drafting",
        "adoption_reference": "", "adopted_on": "", "monitoring_contact": "irm@example.org"}
COMMITMENT = {"number": "1", "title_en": "Open budget data", "problem_en": "Spending is hard to follow.",
              "objective_en": "Publish spending monthly.", "expected_results_en": "Monthly open data.",
              "ogp_values": ["access_to_information", "technology_innovation"], "lead_institutions": "Finance department",
              "partners": "Local NGOs"}
MILESTONE = {"number": "1.1", "description_en": "Publish the first data set", "indicator_en": "Data set online",
             "responsible": "Finance department", "start_month": "2026-02", "end_month": "2026-04", "status": "not_started"}


def _plan(app, plan_id) -> ActionPlan:
    return db.session.get(ActionPlan, plan_id)


def test_only_facilitators_and_admins_write_plans(app, browser, build_plan, create_user):
    built = build_plan()
    urls = ["/plans/new", f"/plans/{built['plan']}/edit", f"/plans/{built['plan']}/commitments/new",
            f"/commitments/{built['commitment']}/edit", f"/commitments/{built['commitment']}/milestones/new",
            f"/milestones/{built['milestones'][0]}/edit"]
    for url in urls:
        assert browser.get(url).status_code in (302, 401), url
    browser.sign_in(create_user(roles=("moderator",)))
    for url in urls:
        assert browser.get(url).status_code == 403, url
    assert browser.submit(f"/plans/{built['plan']}/publish", {}, form_url="/plans/").status_code == 403
    browser.sign_out()
    browser.sign_in(create_user(roles=("admin",)))
    for url in urls:
        assert browser.get(url).status_code == 200, url
    browser.sign_out()
    browser.sign_in(create_user(roles=("facilitator",)))
    assert "New action plan" in browser.get("/plans/").get_data(as_text=True)
    for url in urls:
        assert browser.get(url).status_code == 200, url


def test_a_facilitator_builds_a_plan_and_publishes_it(app, browser, create_user, create_round, clock):
    clock(SPRING)
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    browser.sign_in(facilitator)

    # Mistakes come back next to their fields with what was typed.
    bad = browser.submit("/plans/new", {**PLAN, "title_en": "", "period_end": "2025-12", "round_ids": [str(round_id)]})
    assert bad.status_code == 422
    page = bad.get_data(as_text=True)
    assert "Enter the plan’s title in its default language." in page and "Lviv city" in page
    bad = browser.submit("/plans/new", {**PLAN, "period_end": "2025-12"})
    assert bad.status_code == 422 and "The last month cannot come before the first." in bad.get_data(as_text=True)
    bad = browser.submit("/plans/new", {**PLAN, "period_start": "2026-13"})
    assert bad.status_code == 422 and "Lviv Open Government Action Plan" in bad.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ActionPlan.id))) == 0

    created = browser.submit("/plans/new", {**PLAN, "round_ids": [str(round_id)]})
    assert created.status_code == 302
    with app.app_context():
        plan = db.session.scalars(db.select(ActionPlan)).one()
        plan_id = plan.id
        assert plan.title == {"en": "Lviv Open Government Action Plan"} and plan.round_ids == [round_id]
        assert (plan.period_start.isoformat(), plan.period_end.isoformat()) == ("2026-01-01", "2027-06-01")
        assert plan.published_at is None

    # A plan with no commitment cannot go public.
    browser.submit(f"/plans/{plan_id}/publish", {}, form_url=f"/plans/{plan_id}")
    with app.app_context():
        assert _plan(app, plan_id).published_at is None

    bad = browser.submit(f"/plans/{plan_id}/commitments/new", {**COMMITMENT, "title_en": "", "ogp_values": ["magic"]})
    assert bad.status_code == 422 and "Spending is hard to follow." in bad.get_data(as_text=True)
    done = browser.submit(f"/plans/{plan_id}/commitments/new", COMMITMENT)
    assert done.status_code == 302
    twice = browser.submit(f"/plans/{plan_id}/commitments/new", {**COMMITMENT, "title_en": "Again"})
    assert twice.status_code == 422 and "Commitment 1 is already in this plan." in twice.get_data(as_text=True)
    with app.app_context():
        commitment = db.session.scalars(db.select(Commitment)).one()
        commitment_id = commitment.id
        assert commitment.ogp_values == ["access_to_information", "technology_innovation"]

    outside = browser.submit(f"/commitments/{commitment_id}/milestones/new", {**MILESTONE, "end_month": "2027-09"})
    assert outside.status_code == 422
    assert "The milestone must fall within the plan’s period (01.2026-06.2027)." in outside.get_data(as_text=True)
    backwards = browser.submit(f"/commitments/{commitment_id}/milestones/new", {**MILESTONE, "end_month": "2026-01"})
    assert backwards.status_code == 422 and "A milestone cannot end before it starts." in backwards.get_data(as_text=True)
    assert browser.submit(f"/commitments/{commitment_id}/milestones/new", MILESTONE).status_code == 302
    second = {**MILESTONE, "number": "", "description_en": "Monthly publication", "start_month": "2026-05",
              "end_month": "2026-12", "status": "in_progress"}
    assert browser.submit(f"/commitments/{commitment_id}/milestones/new", second).status_code == 302
    with app.app_context():
        milestones = db.session.scalars(db.select(Milestone).order_by(Milestone.position)).all()
        assert [(m.number, m.status, m.initial_status) for m in milestones] == [
            ("1.1", "not_started", "not_started"), ("1.2", "in_progress", "in_progress")]

    # The plan's period cannot shrink past its milestones.
    shrink = browser.submit(f"/plans/{plan_id}/edit", {**PLAN, "period_end": "2026-10"})
    assert shrink.status_code == 422 and "Milestone 1.2 falls outside this period" in shrink.get_data(as_text=True)

    browser.submit(f"/plans/{plan_id}/publish", {}, form_url=f"/plans/{plan_id}")
    browser.sign_out()
    page = browser.get(f"/plans/{plan_id}").get_data(as_text=True)
    assert "Lviv Open Government Action Plan" in page and "Open budget data" in page
    page = browser.get(f"/commitments/{commitment_id}").get_data(as_text=True)
    assert "Publish the first data set" in page and "Monthly publication" in page and "Spending is hard to follow." in page


def test_revisions_of_a_published_plan_are_recorded_and_nothing_is_deleted(app, browser, build_plan, create_user, clock):
    clock(SPRING)
    built = build_plan()
    milestone_id, commitment_id = built["milestones"][0], built["commitment"]
    browser.sign_in(create_user(roles=("facilitator",)))
    form = browser.get(f"/milestones/{milestone_id}/edit").get_data(as_text=True)
    assert 'value="2026-02"' in form and "recorded as a revision" in form

    same = {"number": "4.1", "description_en": "Step 1", "indicator_en": "Done", "responsible": "",
            "start_month": "2026-02", "end_month": "2026-03"}
    assert browser.submit(f"/milestones/{milestone_id}/edit", same).status_code == 302
    with app.app_context():
        assert db.session.get(Milestone, milestone_id).revised_at is None
    assert browser.submit(f"/milestones/{milestone_id}/edit", {**same, "end_month": "2026-06"}).status_code == 302
    with app.app_context():
        milestone = db.session.get(Milestone, milestone_id)
        assert milestone.revised_at is not None and milestone.end_month.month == 6
        assert milestone.status == "not_started"
    assert "Revised on" in browser.get(f"/commitments/{commitment_id}").get_data(as_text=True)
    report = browser.get(f"/plans/{built['plan']}/co-creation.json").get_json()
    evidence = next(r for r in report["requirements"] if r["key"] == "2.5")["evidence"]
    assert any(e["text"] == "1 milestones revised after the plan was published" for e in evidence)

    refused = browser.submit(f"/milestones/{milestone_id}/delete", {}, form_url=f"/commitments/{commitment_id}",
                             follow_redirects=True)
    assert "A published plan keeps its milestones" in refused.get_data(as_text=True)
    refused = browser.submit(f"/commitments/{commitment_id}/delete", {}, form_url=f"/commitments/{commitment_id}",
                             follow_redirects=True)
    assert "A published plan keeps its commitments" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Milestone, milestone_id) is not None and db.session.get(Commitment, commitment_id) is not None


def test_a_draft_loses_milestones_and_commitments_on_request(app, browser, build_plan, create_user):
    built = build_plan(published=False)
    browser.sign_in(create_user(roles=("facilitator",)))
    commitment_url = f"/commitments/{built['commitment']}"
    assert browser.submit(f"/milestones/{built['milestones'][0]}/delete", {}, form_url=commitment_url).status_code == 302
    with app.app_context():
        assert db.session.get(Milestone, built["milestones"][0]) is None
        assert db.session.get(Milestone, built["milestones"][1]) is not None
    assert browser.submit(f"{commitment_url}/delete", {}, form_url=commitment_url).status_code == 302
    with app.app_context():
        assert db.session.get(Commitment, built["commitment"]) is None
        assert db.session.get(Milestone, built["milestones"][1]) is None


def test_registered_partners(app, browser, build_plan, create_user, create_organisation):
    built = build_plan()
    representative = create_user()
    verified = create_organisation(representative, name="ГО «Центр UA»")
    pending = create_organisation(representative, name="ГО «Ще не перевірена»", verified=False)
    url = f"/commitments/{built['commitment']}"
    resident = create_user()
    browser.sign_in(resident)
    assert browser.submit(f"{url}/partners", {"organisation_id": str(verified)}, form_url=url).status_code == 403
    browser.sign_out()
    browser.sign_in(create_user(roles=("facilitator",)))
    page = browser.get(url).get_data(as_text=True)
    assert f'<option value="{verified}">' in page and f'<option value="{pending}">' not in page
    refused = browser.submit(f"{url}/partners", {"organisation_id": str(pending)}, follow_redirects=True)
    assert "Choose a verified organisation from the list." in refused.get_data(as_text=True)
    assert browser.submit(f"{url}/partners", {"organisation_id": "99999999999"}).status_code == 302
    assert browser.submit(f"{url}/partners", {"organisation_id": str(verified)}).status_code == 302
    assert browser.submit(f"{url}/partners", {"organisation_id": str(verified)}).status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(CommitmentPartner.organisation_id)).all() == [verified]
    browser.sign_out()
    page = browser.get(url).get_data(as_text=True)
    assert f'href="/organisations/{verified}">NGO Organisation' in page
    commitment = browser.get(f"/api/v1/plans/{built['plan']}").get_json()["commitments"][0]
    assert commitment["partner_organisation_ids"] == [verified]
    browser.sign_in(create_user(roles=("facilitator",)))
    assert browser.submit(f"{url}/partners/{verified}/remove", {}, form_url=url).status_code == 302
    with app.app_context():
        assert db.session.scalars(db.select(CommitmentPartner)).all() == []


def test_comments_on_a_commitment(app, browser, build_plan, create_user):
    from engage.comments.models import Comment

    built = build_plan()
    url = f"/commitments/{built['commitment']}"
    assert "Sign in" in browser.get(url).get_data(as_text=True)
    browser.sign_in(create_user(display_name="Taras"))
    empty = browser.submit(f"{url}/comments", {"body": "  "})
    assert empty.status_code == 422
    done = browser.submit(f"{url}/comments", {"body": "Will the data include district budgets?"})
    assert done.status_code == 302 and done.headers["Location"].startswith(url + "#comment-")
    browser.sign_out()
    with app.app_context():
        question = db.session.scalars(db.select(Comment)).one()
        assert (question.commitment_id, question.round_id, question.is_official) == (built["commitment"], None, False)
    browser.sign_in(create_user(roles=("facilitator",), display_name="Iryna"))
    reply = browser.submit(f"{url}/comments?parent={question.id}", {"body": "Yes, from the second quarter.",
                                                                    "parent_id": str(question.id)})
    assert reply.status_code == 302
    with app.app_context():
        answer = db.session.scalars(db.select(Comment).where(Comment.parent_id == question.id)).one()
        assert answer.is_official and answer.commitment_id == built["commitment"]
    browser.sign_out()
    page = browser.get(url).get_data(as_text=True)
    assert "Will the data include district budgets?" in page and "Yes, from the second quarter." in page
    assert browser.get(f"/comments/{question.id}/edit").status_code in (302, 401)

    # A reply cannot jump to another discussion, and a draft plan's commitments take no comments.
    other = build_plan(title="Another plan")
    browser.sign_in(create_user())
    moved = browser.submit(f"/commitments/{other['commitment']}/comments", {"body": "Hi", "parent_id": str(question.id)})
    assert moved.status_code == 404
    draft = build_plan(published=False, title="Draft plan")
    assert browser.get(f"/commitments/{draft['commitment']}/comments").status_code == 404


def test_months_rounds_and_numbers_that_cannot_be_saved(app, browser, build_plan, create_user, create_round):
    facilitator = create_user(roles=("facilitator",))
    draft_round = create_round(facilitators=[facilitator], published=False, title="Draft round")
    public_round = create_round(facilitators=[facilitator], title="Public round")
    browser.sign_in(facilitator)
    form = browser.get("/plans/new").get_data(as_text=True)
    assert "Public round" in form and "Draft round" not in form
    cases = [({"period_end": "9999-12"}, "Enter a month between 1901 and 2199."),
             ({"period_start": "2026-01", "period_end": "2046-01"}, "A plan can run for at most 10 years."),
             ({"round_ids": ["99999999999"]}, "Choose rounds from the list."),
             ({"round_ids": [str(draft_round)]}, "Choose rounds from the list.")]
    for change, message in cases:
        response = browser.submit("/plans/new", {**PLAN, **change})
        assert response.status_code == 422 and message in response.get_data(as_text=True), change
    with app.app_context():
        assert db.session.scalar(db.select(db.func.count(ActionPlan.id))) == 0
    assert browser.submit("/plans/new", {**PLAN, "round_ids": [str(public_round)]}).status_code == 302

    # Numbers given automatically stay unique and within their column.
    built = build_plan(published=False)
    commitment_url = f"/commitments/{built['commitment']}"
    browser.submit(f"/milestones/{built['milestones'][0]}/delete", {}, form_url=commitment_url)
    step = {**MILESTONE, "number": "", "start_month": "2026-03", "end_month": "2026-04"}
    assert browser.submit(f"{commitment_url}/milestones/new", step).status_code == 302
    with app.app_context():
        numbers = sorted(db.session.scalars(db.select(Milestone.number).where(Milestone.commitment_id == built["commitment"])))
        assert numbers == ["4.2", "4.3"]
    long_number = browser.submit(f"{commitment_url}/edit", {**COMMITMENT, "number": "12345678901234567890"})
    assert long_number.status_code == 302
    refused = browser.submit(f"{commitment_url}/milestones/new", step)
    assert refused.status_code == 422
    assert "Give the milestone a number of at most 20 characters." in refused.get_data(as_text=True)


def test_line_breaks_from_the_browser_are_not_a_revision_and_new_steps_start_from_scratch(app, browser, create_user,
                                                                                          clock):
    from engage.plans import services
    from engage.plans.importer import check

    clock(SPRING)
    with app.app_context():
        plan = services.create_from(check({
            "plan": {"title": {"en": "Plan"}, "period": "01.2026-12.2026", "default_locale": "en"},
            "commitments": [{"number": "1", "title": {"en": "Open data"}, "milestones": [
                {"number": "1.1", "description": {"en": "Line one\nLine two"}, "period": "02.2026-03.2026"}]}]}),
            publish=True)
        db.session.commit()
        commitment_id, milestone_id = plan.commitments[0].id, plan.commitments[0].milestones[0].id
    browser.sign_in(create_user(roles=("facilitator",)))
    edited = browser.submit(f"/milestones/{milestone_id}/edit", {
        "number": "1.1", "description_en": "Line one\r\nLine two", "responsible": "Finance department",
        "start_month": "2026-02", "end_month": "2026-03"})
    assert edited.status_code == 302
    with app.app_context():
        milestone = db.session.get(Milestone, milestone_id)
        assert milestone.revised_at is None and milestone.responsible == "Finance department"
    form = browser.get(f"/commitments/{commitment_id}/milestones/new").get_data(as_text=True)
    assert 'name="status"' not in form and "starts as not started" in form
    added = browser.submit(f"/commitments/{commitment_id}/milestones/new", {**MILESTONE, "number": "", "status": "completed",
                                                                            "start_month": "2026-05", "end_month": "2026-06"})
    assert added.status_code == 302
    with app.app_context():
        new = db.session.scalars(db.select(Milestone).where(Milestone.number == "1.2")).one()
        assert (new.status, new.initial_status) == ("not_started", "not_started") and new.revised_at is not None
