"""The API against its own OpenAPI document, with schemathesis: generated requests to every operation,
every response checked (no 5xx, status, content type and body as the document says).

Path ids are those of real objects (so the bodies are checked, not only 404s); the query parameters are
generated. Bounded: MAX_EXAMPLES requests per operation."""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.generation import GenerationMode

from engage.extensions import db

MAX_EXAMPLES = 25


@pytest.fixture
def world(app, create_user, create_proposal, build_plan, build_survey, create_organisation, clock):
    from engage.endorsements.models import Endorsement

    built = build_survey(visibility="live")
    author = create_user(display_name="Olha Author")
    proposal = create_proposal(built.round_id, author, title="Open data on city budget spending")
    create_proposal(built.round_id, author, title="Bike lanes on Khreshchatyk street", district="pecherskyi")
    plan = build_plan(round_ids=[built.round_id])
    org = create_organisation(create_user())
    clock.to_phase("deliberation")
    with app.app_context():
        from engage.auth.models import User
        from engage.comments import services as comments
        from engage.proposals.models import Proposal

        item = db.session.get(Proposal, proposal)
        comments.add_comment(item.round, item, db.session.get(User, author.id), body="Yes, weekly.", locale="en")
        db.session.add(Endorsement(organisation_id=org, target_type="proposal", target_id=proposal, signed_by="Olena"))
        db.session.commit()
    return {"round_id": built.round_id, "proposal_id": proposal, "plan_id": plan["plan"],
            "survey_id": built.survey_id, "question_id": built.q["idea"]}


def test_every_operation_matches_its_document(app, world):
    """For each operation of the document, MAX_EXAMPLES generated requests; every response must pass
    schemathesis' checks (no server error, a documented status, content type and body)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE], max_examples=MAX_EXAMPLES, deterministic=True)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    calls = {}

    def checker(label):
        def check(case):
            case.path_parameters = {name: world.get(name, value)
                                    for name, value in (case.path_parameters or {}).items()}
            case.call_and_validate()
            calls[label] = calls.get(label, 0) + 1
        return check

    for operation in operations:
        run = given(case=operation.as_strategy())(checker(f"{operation.method.upper()} {operation.path}"))
        settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])(run)()
    assert len(calls) == len(operations) and sum(calls.values()) >= len(operations) * 5, calls


def test_errors_are_problem_documents_with_allow_on_405(browser, world):
    missing = browser.get("/api/v1/rounds/2147483000")
    assert missing.status_code == 404 and missing.headers["Content-Type"].startswith("application/problem+json")
    body = missing.get_json()
    assert body["status"] == 404 and body["code"] == "not_found" and body["title"] and body["detail"]
    unknown = browser.get("/api/v1/no-such-thing")
    assert unknown.status_code == 404 and unknown.get_json()["code"] == "not_found"
    wrong_method = browser.client.post("/api/v1/rounds")
    assert wrong_method.status_code == 405 and wrong_method.get_json()["code"] == "method_not_allowed"
    assert set(wrong_method.headers["Allow"].split(", ")) >= {"GET", "HEAD"}
