"""Ids and page numbers beyond the database's integer range are "not found", never a server error.

PostgreSQL refuses an OFFSET or an id outside bigint with an error; SQLite refuses it in the driver.
Both must end as a 404 (or, in the API, the last page the clamp allows), on every GET route."""
import pytest


HUGE = "99999999999999999999"


@pytest.fixture
def objects(app, create_user, create_round, create_proposal, facilitator, create_meeting, create_forum,
            create_organisation, build_plan):
    admin = create_user("chief@example.org", roles=("admin",))
    round_id = create_round(facilitators=[facilitator])
    plan = build_plan(round_ids=[round_id])
    return {"admin": admin, "facilitator": facilitator, "ids": {
        "round_id": round_id, "proposal_id": create_proposal(round_id, admin),
        "meeting_id": create_meeting(facilitator, round_id=round_id), "forum_id": create_forum(facilitator),
        "organisation_id": create_organisation(admin), "plan_id": plan["plan"], "commitment_id": plan["commitment"],
        "milestone_id": plan["milestones"][0], "user_id": admin.id}}


def _any_value(rule, name):
    """A value the converter of ``name`` accepts (the first choice of an ``any(...)``)."""
    items = getattr(rule._converters[name], "items", None)
    return sorted(items)[0] if items else "x"


def _get_rules(app):
    return [r for r in app.url_map.iter_rules() if "GET" in r.methods and r.endpoint != "static"]


def test_ids_beyond_the_integer_range_are_not_found_on_every_route(app, browser):
    from flask import url_for

    checked = 0
    for rule in [r for r in app.url_map.iter_rules() if r.endpoint != "static"]:
        ints = [name for name, conv in rule._converters.items() if conv.__class__.__name__ == "BoundedInteger"]
        for name in ints:
            values = {k: (1 if k in ints else _any_value(rule, k)) for k in rule.arguments}
            values[name] = int(HUGE)
            with app.test_request_context():
                url = url_for(rule.endpoint, **values)
            for method in sorted(rule.methods & {"GET", "POST"}):
                response = browser.client.open(url, method=method)
                assert response.status_code in (400, 404), (method, url, response.status_code)
            checked += 1
    assert checked > 50


def test_a_page_beyond_any_list_is_not_found_and_never_an_error(app, browser, objects):
    for who in (None, objects["facilitator"], objects["admin"]):
        if who is not None:
            browser.sign_in(who)
        for rule in _get_rules(app):
            if set(rule.arguments) - set(objects["ids"]) - {"kind"}:
                continue
            with app.test_request_context():
                from flask import url_for

                url = url_for(rule.endpoint, **{k: objects["ids"].get(k) or _any_value(rule, k) for k in rule.arguments})
            for page in (HUGE, "1000001", "-5", "abc", "1e9"):
                response = browser.get(f"{url}?page={page}")
                assert response.status_code < 500, (url, page, response.status_code)
                if page in (HUGE, "1000001") and response.status_code == 200 and rule.rule.startswith("/api/"):
                    assert response.is_json
        if who is not None:
            browser.sign_out()


def test_list_pages_answer_404_to_a_page_beyond_the_limit(browser, objects):
    round_id = objects["ids"]["round_id"]
    browser.sign_in(objects["admin"])
    for url in (f"/rounds/{round_id}/proposals", "/meetings/", "/organisations/", "/admin/users"):
        assert browser.get(f"{url}?page={HUGE}").status_code == 404, url
        assert browser.get(f"{url}?page=2").status_code == 200, url
