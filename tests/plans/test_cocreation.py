"""Verdicts of the co-creation report on data that makes each requirement yes, partly and no."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from engage.extensions import db
from engage.plans import cocreation, services
from tests.conftest import T0, phase_start

DAY = date(2026, 6, 1)


def _verdicts(app, plan_id) -> dict:
    with app.test_request_context():
        report = cocreation.build(services.get_plan(plan_id), DAY)
        return {r.key: r.verdict for r in report.requirements} | {
            f"c{c.number}": (c.verifiable, c.relevant) for c in report.commitments}


def _member(app, forum_id, sector):
    from engage.forum import services as forums
    from engage.forum.models import Forum

    with app.app_context():
        forums.add_member(db.session.get(Forum, forum_id), forums.MemberDetails(
            name=f"{sector} member", sector=sector, organisation_name="X", term_start=date(2026, 1, 1)))
        db.session.commit()


def test_forum_requirements(app, facilitator, create_forum, build_plan):
    built = build_plan()
    assert {k: v for k, v in _verdicts(app, built["plan"]).items() if k in ("1.1", "1.2", "2.6")} == \
        {"1.1": "no", "1.2": "no", "2.6": "no"}
    forum_id = create_forum(facilitator)
    assert _verdicts(app, built["plan"])["1.1"] == "partly"
    _member(app, forum_id, "government")
    verdicts = _verdicts(app, built["plan"])
    assert (verdicts["1.1"], verdicts["1.2"]) == ("yes", "partly")
    _member(app, forum_id, "civil_society")
    _member(app, forum_id, "youth")
    verdicts = _verdicts(app, built["plan"])
    assert (verdicts["1.2"], verdicts["2.6"]) == ("yes", "partly")  # three sectors, no survey demographics


def test_the_forum_meeting_civil_society_during_co_creation(app, facilitator, create_round, create_forum,
                                                            create_meeting, build_plan, clock):
    round_id = create_round(facilitators=[facilitator])
    forum_id = create_forum(facilitator)
    built = build_plan(round_ids=[round_id])
    assert _verdicts(app, built["plan"])["1.3"] == "no"
    clock(T0)
    outside = create_meeting(facilitator, forum_id=forum_id, kind="forum", starts_at=T0 + timedelta(days=500))
    assert _verdicts(app, built["plan"])["1.3"] == "no"
    inside = create_meeting(facilitator, forum_id=forum_id, round_id=round_id, kind="forum",
                            starts_at=phase_start("deliberation") + timedelta(days=2))
    assert _verdicts(app, built["plan"])["1.3"] == "partly"
    from engage.meetings import services as meetings
    from engage.meetings.models import Meeting

    with app.test_request_context():
        meetings.record_attendance(db.session.get(Meeting, inside), 30, {"civil_society": 20})
        db.session.commit()
    assert _verdicts(app, built["plan"])["1.3"] == "yes"
    assert outside != inside


def test_endorsement_of_the_plan(app, build_plan, create_user):
    from engage.endorsements.models import Endorsement
    from engage.organisations.models import Organisation

    built = build_plan()
    assert _verdicts(app, built["plan"])["1.4"] == "no"
    with app.app_context():
        organisation = Organisation(name_uk="ГО «Форум»", kind="academic", status="verified")
        db.session.add(organisation)
        db.session.flush()
        db.session.add(Endorsement(organisation_id=organisation.id, target_type="commitment",
                                   target_id=built["commitment"], signed_by="Olena"))
        db.session.commit()
        org_id = organisation.id
    assert _verdicts(app, built["plan"])["1.4"] == "partly"
    with app.app_context():
        db.session.add(Endorsement(organisation_id=org_id, target_type="plan", target_id=built["plan"], signed_by="Olena"))
        db.session.commit()
    assert _verdicts(app, built["plan"])["1.4"] == "yes"


@pytest.mark.parametrize("answered, verdict", [(0, "no"), (1, "no"), (5, "partly"), (9, "yes"), (10, "yes")])
def test_written_feedback_coverage(app, facilitator, create_round, create_proposal, create_user, build_plan, clock,
                                   answered, verdict):
    from engage.auth.models import User
    from engage.feedback import services as feedback
    from engage.proposals.outcomes import Outcome
    from engage.proposals.models import Proposal

    round_id = create_round(facilitators=[facilitator])
    author = create_user()
    ids = [create_proposal(round_id, author, title=f"Idea {n}") for n in range(10)]
    clock.to_phase("feedback")
    with app.test_request_context():
        for proposal_id in ids[:answered]:
            feedback.answer(db.session.get(Proposal, proposal_id), db.session.get(User, facilitator.id),
                            outcome=Outcome.ACCEPTED, reason="Included in the plan.", merged_into_id=None)
        db.session.commit()
    built = build_plan(round_ids=[round_id])
    assert _verdicts(app, built["plan"])["2.4"] == verdict


def test_commitments_verifiable_and_relevant(app):
    from engage.plans.importer import check

    data = {"plan": {"title": {"en": "Plan"}, "period": "01.2026-12.2026", "default_locale": "en"},
            "commitments": [
                {"number": "1", "title": {"en": "All indicated"}, "ogp_values": ["civic_participation"],
                 "milestones": [{"description": {"en": "a"}, "period": "01.2026-02.2026", "indicator": {"en": "done"}}]},
                {"number": "2", "title": {"en": "Some indicated"}, "ogp_values": [],
                 "milestones": [{"description": {"en": "a"}, "period": "01.2026-02.2026", "indicator": {"en": "done"}},
                                {"description": {"en": "b"}, "period": "03.2026-04.2026"}]},
                {"number": "3", "title": {"en": "None indicated"}, "ogp_values": ["access_to_information"],
                 "milestones": [{"description": {"en": "a"}, "period": "01.2026-02.2026"}]},
            ]}
    with app.app_context():
        plan_id = services.create_from(check(data), publish=True).id
        db.session.commit()
    verdicts = _verdicts(app, plan_id)
    assert (verdicts["c1"], verdicts["c2"], verdicts["c3"]) == (("yes", "yes"), ("partly", "no"), ("no", "yes"))


def test_the_page_and_its_json(app, browser, build_plan):
    built = build_plan()
    page = browser.get(f"/plans/{built['plan']}/co-creation").get_data(as_text=True)
    assert "1.1 A forum exists" in page and "Rule:" in page and "Minimum requirements" in page
    data = browser.get(f"/plans/{built['plan']}/co-creation.json").get_json()
    assert [r["key"] for r in data["requirements"]] == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6"]
    assert data["requirements"][0]["verdict"] == "no" and data["commitments"][0]["relevant"] == "yes"


def test_public_page_information_in_advance_and_input(app, facilitator, create_round, create_proposal, create_user,
                                                       create_meeting, build_plan, clock):
    from engage.rounds import services as rounds
    from engage.rounds.models import Round

    draft_round = create_round(facilitators=[facilitator], published=False)
    built = build_plan(round_ids=[draft_round], published=False)
    verdicts = _verdicts(app, built["plan"])
    assert (verdicts["2.1"], verdicts["2.2"], verdicts["2.3"]) == ("no", "no", "no")

    public_round = create_round(facilitators=[facilitator])
    built = build_plan(round_ids=[public_round, draft_round])
    assert _verdicts(app, built["plan"])["2.1"] == "partly"  # the plan is public, one of its rounds is not
    built = build_plan(round_ids=[public_round])
    assert _verdicts(app, built["plan"])["2.1"] == "yes"

    # A document published before the call for proposals opened, and a meeting with enough notice.
    clock(T0)
    with app.test_request_context():
        rounds.add_document_link(db.session.get(Round, public_round), title="Draft regulation", url="https://example.org/d")
        db.session.commit()
    create_meeting(facilitator, round_id=public_round, starts_at=T0 + timedelta(days=30))
    assert _verdicts(app, built["plan"])["2.2"] == "yes"
    create_meeting(facilitator, round_id=public_round, starts_at=T0 + timedelta(days=3))  # short notice
    assert _verdicts(app, built["plan"])["2.2"] == "partly"

    # Input: documents but no contributions is partly; contributions too is yes.
    assert _verdicts(app, built["plan"])["2.3"] == "partly"
    clock.to_phase("call_for_proposals")
    create_proposal(public_round, create_user(), title="Publish the draft earlier")
    assert _verdicts(app, built["plan"])["2.3"] == "yes"


def test_iterative_dialogue(app, browser, facilitator, create_round, create_proposal, create_user, create_meeting,
                            build_plan, clock):
    from engage.meetings import services as meetings
    from engage.meetings.models import Meeting

    round_id = create_round(facilitators=[facilitator])
    built = build_plan(round_ids=[round_id])
    assert _verdicts(app, built["plan"])["2.5"] == "no"
    clock(T0)
    ids = [create_meeting(facilitator, round_id=round_id, starts_at=T0 + timedelta(days=20 + n)) for n in range(2)]
    with app.test_request_context():
        for meeting_id in ids:
            meetings.record_attendance(db.session.get(Meeting, meeting_id), 25, {})
        db.session.commit()
    assert _verdicts(app, built["plan"])["2.5"] == "partly"
    # An official reply: the round's facilitator answers a comment on the round.
    clock.to_phase("deliberation")
    resident = create_user()
    browser.sign_in(resident)
    browser.submit(f"/rounds/{round_id}/comments", {"body": "When is the next meeting?"})
    browser.sign_out()
    from engage.comments.models import Comment

    with app.app_context():
        question = db.session.scalar(db.select(Comment))
    browser.sign_in(facilitator)
    reply = browser.submit(f"/rounds/{round_id}/comments?parent={question.id}",
                           {"body": "On the 30th, at the hub.", "parent_id": str(question.id)})
    assert reply.status_code == 302
    assert _verdicts(app, built["plan"])["2.5"] == "yes"


def test_inclusive_forum_with_survey_demographics(app, facilitator, create_forum, create_round, build_plan):
    from engage.auth.models import User
    from engage.surveys import services as surveys
    from engage.rounds.models import Round

    round_id = create_round(facilitators=[facilitator])
    built = build_plan(round_ids=[round_id])
    with app.test_request_context():
        survey = surveys.create_survey(db.session.get(Round, round_id), db.session.get(User, facilitator.id),
                                       surveys.Settings(title={"en": "Who we heard"}, introduction={},
                                                        opens_at=T0, closes_at=T0 + timedelta(days=10)))
        surveys.add_demographic_block(survey)
        db.session.commit()
    assert _verdicts(app, built["plan"])["2.6"] == "partly"  # demographics asked, no forum
    forum_id = create_forum(facilitator)
    for sector in ("government", "civil_society", "academia"):
        _member(app, forum_id, sector)
    assert _verdicts(app, built["plan"])["2.6"] == "yes"


def test_facilitators_write_explanations_references_and_commitment_notes(app, browser, build_plan, create_user):
    built = build_plan()
    url = f"/plans/{built['plan']}/co-creation/edit"
    browser.sign_in(create_user())
    assert browser.get(url).status_code == 403
    browser.sign_out()
    browser.sign_in(create_user(roles=("facilitator",)))
    change_key = f"c{built['commitment']}.change"
    too_long = browser.submit(url, {"explanation-1.1": "x" * 5001, "references-1.1": "Decision 123",
                                    f"explanation-{change_key}": "Moderate"})
    assert too_long.status_code == 422
    page = too_long.get_data(as_text=True)
    assert "Write at most 5000 characters." in page and "Decision 123" in page
    saved = browser.submit(url, {"explanation-1.1": "The council was set up in **2024**.",
                                 "references-1.1": "[Order No. 5](https://kyivcity.gov.ua/)",
                                 f"explanation-{change_key}": "Major: a new binding procedure.",
                                 f"explanation-c{built['commitment']}.recommend": "Add a deadline for reports."})
    assert saved.status_code == 302
    browser.sign_out()
    page = browser.get(f"/plans/{built['plan']}/co-creation").get_data(as_text=True)
    assert "The council was set up in <strong>2024</strong>." in page
    assert 'href="https://kyivcity.gov.ua/"' in page
    assert "Major: a new binding procedure." in page and "Add a deadline for reports." in page
    data = browser.get(f"/plans/{built['plan']}/co-creation.json").get_json()
    assert data["notes"]["1.1"]["references"] == "[Order No. 5](https://kyivcity.gov.ua/)"
