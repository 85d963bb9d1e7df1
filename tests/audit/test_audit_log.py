"""The audit log: every privileged action with who, what, which object, when and from where; browsed
and filtered by administrators only; never changed from the web; pruned after AUDIT_LOG_DAYS."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from engage.audit.models import AuditEvent
from engage.extensions import db


def entries(app, action=None, after=0):
    with app.app_context():
        query = select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id)
        if action:
            query = query.where(AuditEvent.action == action)
        return [(e.action, e.actor_name, e.target_type, e.target_id, e.details, e.ip_address)
                for e in db.session.scalars(query)]


@pytest.fixture
def admin(create_user):
    return create_user("chief@example.org", roles=("admin",), display_name="Olena Admin")


def last_id(app):
    with app.app_context():
        return db.session.scalar(select(db.func.max(AuditEvent.id))) or 0


def test_role_changes_and_deactivation_are_recorded_with_who_and_where(app, browser, create_user, admin):
    person = create_user("taras@example.org", display_name="Taras")
    before = last_id(app)  # the accounts made above are in the log too (granted by the platform)
    browser.client.environ_base["REMOTE_ADDR"] = "203.0.113.9"
    browser.sign_in(admin)
    url = f"/admin/users/{person.id}"
    browser.submit(f"{url}/roles/moderator", {"grant": "1"}, form_url=url)
    browser.submit(f"{url}/roles/moderator", {"revoke": "1"}, form_url=url)
    browser.submit(f"{url}/deactivate", form_url=url)
    browser.submit(f"{url}/reactivate", form_url=url)
    logged = entries(app, after=before)
    who = "Olena Admin <chief@example.org>"
    assert logged == [("role.granted", who, "user", person.id, "moderator", "203.0.113.9"),
                      ("role.revoked", who, "user", person.id, "moderator", "203.0.113.9"),
                      ("account.deactivated", who, "user", person.id, "", "203.0.113.9"),
                      ("account.reactivated", who, "user", person.id, "", "203.0.113.9")]


def test_failed_sign_ins_and_locks_are_recorded(app, browser, create_user):
    from engage.extensions import limiter

    person = create_user()
    app.config["SIGN_IN_DELAY_AFTER"], app.config["SIGN_IN_LOCK_AFTER"] = 100, 2
    try:
        for _ in range(2):
            limiter.reset()
            browser.submit("/account/sign-in", {"email": person.email, "password": "wrong password here"})
        browser.submit("/account/sign-in", {"email": "Nobody@Example.org", "password": "wrong password here"})
    finally:
        app.config["SIGN_IN_DELAY_AFTER"], app.config["SIGN_IN_LOCK_AFTER"] = 3, 10
    logged = [(a, actor, kind, target, details) for a, actor, kind, target, details, _ in entries(app)]
    assert logged == [("sign_in.failed", "", "user", person.id, person.email),
                      ("sign_in.failed", "", "user", person.id, person.email),
                      ("sign_in.locked", "", "user", person.id, person.email),
                      ("sign_in.failed", "", "user", None, "nobody@example.org")]


def test_decisions_edits_publications_and_exports_are_recorded(app, browser, create_user, admin, facilitator,
                                                               create_round, create_proposal, create_organisation,
                                                               create_meeting, build_plan, clock):
    round_id = create_round(facilitators=[facilitator])
    proposal_id = create_proposal(round_id, create_user())
    org_id = create_organisation(create_user(), verified=False)
    meeting_id = create_meeting(facilitator, round_id=round_id, registration=True)
    plan = build_plan(round_ids=[round_id])
    clock.to_phase("feedback")
    browser.sign_in(facilitator)
    answered = browser.submit(f"/proposals/{proposal_id}/response",
                              {f"p{proposal_id}-outcome": "accepted", f"p{proposal_id}-reason": "It is in the plan."},
                              form_url=f"/proposals/{proposal_id}")
    assert answered.status_code == 302
    browser.get(f"/meetings/{meeting_id}/registrations.csv")
    browser.sign_out()
    browser.sign_in(admin)
    browser.submit(f"/admin/organisations/{org_id}", {"decision": "verified", "reason": ""})
    browser.submit(f"/moderation/proposal/{proposal_id}/hide", {"reason": "Personal data"},
                   form_url=f"/moderation/proposal/{proposal_id}")
    actions = {e[0]: e for e in entries(app)}
    assert {"round.published", "plan.saved", "plan.published", "proposal.answered",
            "export.personal_data", "organisation.decided", "moderation.decided"} <= set(actions)
    assert actions["proposal.answered"][1:5] == ("Ihor Facilitator <facilitator@example.org>", "proposal",
                                                 proposal_id, "accepted")
    assert actions["export.personal_data"][2:5] == ("meeting", meeting_id, "registrations.csv")
    assert actions["organisation.decided"][2:5] == ("organisation", org_id, "verified")
    assert actions["moderation.decided"][1:5] == ("Olena Admin <chief@example.org>", "proposal", proposal_id,
                                                  "hide: Personal data")
    assert actions["plan.published"][3] == plan["plan"]


@pytest.mark.parametrize("who, status", [("visitor", 302), ("resident", 403), ("facilitator", 403),
                                         ("moderator", 403), ("admin", 200)])
def test_only_administrators_read_the_log(browser, create_user, who, status):
    if who != "visitor":
        browser.sign_in(create_user(roles=() if who == "resident" else (who,)))
    response = browser.get("/admin/audit/")
    assert response.status_code == status
    if status == 200:
        assert response.headers["Cache-Control"] == "no-store"


def test_nothing_in_the_log_can_be_changed_from_the_web(app):
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("audit.")]
    assert rules and all(r.methods <= {"GET", "HEAD", "OPTIONS"} for r in rules)


def _fill(app, admin_id, count=60):
    from engage.audit.services import record
    from engage.auth.models import User
    from engage.core.time import utcnow

    from sqlalchemy import delete

    with app.app_context():
        db.session.execute(delete(AuditEvent))
        admin = db.session.get(User, admin_id)
        for n in range(count):
            event = record("round.edited" if n % 2 else "plan.saved", None, target_type="round" if n % 2 else "plan",
                           details=f"entry {n}", actor=admin if n % 3 else None)
            event.target_id = n + 1
            event.created_at = utcnow() - timedelta(days=n)
        db.session.commit()


def test_the_log_is_filtered_and_paginated(app, browser, admin):
    _fill(app, admin.id)
    browser.sign_in(admin)
    first = browser.get("/admin/audit/").get_data(as_text=True)
    assert "60 entries" in first and "entry 0" in first and "entry 59" not in first
    assert "entry 59" in browser.get("/admin/audit/?page=2").get_data(as_text=True)
    edits = browser.get("/admin/audit/?action=round.edited").get_data(as_text=True)
    assert "30 entries" in edits and "entry 2<" not in edits
    by_person = browser.get("/admin/audit/?person=chief@").get_data(as_text=True)
    assert "40 entries" in by_person
    one = browser.get("/admin/audit/?target_type=round&target_id=4").get_data(as_text=True)
    assert "1 entry" in one and "entry 3<" in one
    from engage.core.time import utcnow

    day = (utcnow() - timedelta(days=5)).date().isoformat()
    dated = browser.get(f"/admin/audit/?since={day}&until={day}").get_data(as_text=True)
    assert "1 entry" in dated and "entry 5<" in dated
    # Filters that do not parse are left out, never an error.
    for junk in ("?since=yesterday", "?target_id=99999999999999999999", "?action=drop", "?target_type=<x>"):
        assert browser.get(f"/admin/audit/{junk}").status_code == 200, junk


def test_old_entries_are_pruned(app, runner, admin):
    _fill(app, admin.id, count=10)
    result = runner.invoke(args=["audit", "prune", "--days", "5"])
    assert result.exit_code == 0 and "removed 5" in result.output  # 5 days old and more
    assert len(entries(app)) == 5


def test_changes_to_commitments_and_milestones_are_plan_edits(app, build_plan):
    from engage.plans import services
    from engage.plans.models import Milestone

    built = build_plan(published=False)
    before = last_id(app)
    with app.test_request_context():
        milestone = db.session.get(Milestone, built["milestones"][0])
        number = milestone.number
        services.delete_milestone(milestone)
        db.session.commit()
    assert [e[:5] for e in entries(app, after=before)] == [("plan.saved", "", "plan", built["plan"],
                                                            f"milestone {number} deleted")]
