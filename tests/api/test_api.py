"""The open-data API and CSV downloads: shape, pagination, filters, no private data, streaming."""
import csv
import io
import re

import pytest

ISO_UTC = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$")


@pytest.fixture
def published(create_round, create_user, create_proposal, clock, app, browser):
    facilitator = create_user(roles=("facilitator",), email="facilitator.private@example.org")
    round_id = create_round(facilitators=[facilitator])
    author = create_user(email="author.private@example.org", display_name="Olha Author")
    first = create_proposal(round_id, author, title="Відкриті дані про бюджет", topic="Transparency", locale="uk",
                            body="Публікувати всі договори міського бюджету як відкриті дані щотижня.")
    second = create_proposal(round_id, author, title="Bike lanes on Khreshchatyk street", district="pecherskyi")
    clock.to_phase("deliberation")
    browser.sign_in(create_user(email="commenter.private@example.org"))
    browser.submit(f"/proposals/{first}/comments", {"body": "Так, і в машиночитному форматі.", "stance": "for"})
    browser.sign_out()
    return round_id, first, second


def get_json(browser, url, status=200):
    response = browser.get(url)
    assert response.status_code == status, response.get_data(as_text=True)
    # Errors are problem documents (RFC 9457); everything else plain JSON.
    expected = "application/json" if status < 400 else "application/problem+json"
    assert response.headers["Content-Type"].startswith(expected)
    return response.get_json()


def walk_strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from walk_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from walk_strings(item)
    elif isinstance(value, str):
        yield value


def test_rounds_and_round_detail(browser, published, create_round):
    round_id, first, _ = published
    draft = create_round(published=False, title="A draft nobody sees")
    listing = get_json(browser, "/api/v1/rounds")
    assert [r["id"] for r in listing["items"]] == [round_id]
    assert listing["total"] == 1 and listing["next"] is None
    assert get_json(browser, f"/api/v1/rounds/{draft}", status=404)["code"] == "not_found"

    detail = get_json(browser, f"/api/v1/rounds/{round_id}")
    assert detail["url"].endswith(f"/rounds/{round_id}")
    assert detail["current_phase"] == "deliberation" and detail["status"] == "open"
    assert [p["type"] for p in detail["phases"]][:2] == ["information", "call_for_proposals"]
    assert all(ISO_UTC.match(p["starts_at"]) for p in detail["phases"])
    assert ISO_UTC.match(detail["created_at"])
    assert detail["counts"] == {"proposals": 2, "comments": 1, "supports": 0, "participants": 2}


def test_proposals_filters_search_and_pagination(browser, published, create_proposal, create_user):
    round_id, first, second = published
    found = get_json(browser, f"/api/v1/rounds/{round_id}/proposals?q=бюджету")
    assert [p["id"] for p in found["items"]] == [first]
    assert get_json(browser, f"/api/v1/rounds/{round_id}/proposals?district=pecherskyi")["items"][0]["id"] == second
    ignored = get_json(browser, f"/api/v1/rounds/{round_id}/proposals?district=atlantis&sort=loud&topic=x&per_page=abc")
    assert ignored["total"] == 2

    author = create_user()
    for n in range(5):
        create_proposal(round_id, author, title=f"Proposal number {n} for the city")
    page = get_json(browser, f"/api/v1/rounds/{round_id}/proposals?per_page=3&sort=newest")
    assert len(page["items"]) == 3 and page["total"] == 7
    seen = [p["id"] for p in page["items"]]
    while page["next"]:
        page = get_json(browser, page["next"].split("localhost", 1)[1])
        seen += [p["id"] for p in page["items"]]
    assert len(seen) == len(set(seen)) == 7
    huge = get_json(browser, f"/api/v1/rounds/{round_id}/proposals?per_page=100000")
    assert huge["per_page"] == 100


def test_proposal_and_comments_shape(browser, published):
    round_id, first, _ = published
    proposal = get_json(browser, f"/api/v1/proposals/{first}")
    assert proposal["title"] == "Відкриті дані про бюджет"
    assert proposal["topic"]["name"] == "Transparency"
    assert proposal["counts"] == {"supports": 0, "comments": 1}
    assert proposal["url"].endswith(f"/proposals/{first}") and proposal["author"] == "Olha Author"
    comments = get_json(browser, f"/api/v1/proposals/{first}/comments")
    [comment] = comments["items"]
    assert comment["body"] == "Так, і в машиночитному форматі." and comment["stance"] == "for"
    assert comment["depth"] == 0 and comment["parent_id"] is None and ISO_UTC.match(comment["created_at"])


def test_no_private_data_anywhere(browser, published):
    round_id, first, second = published
    documents = [
        get_json(browser, "/api/v1/rounds"), get_json(browser, f"/api/v1/rounds/{round_id}"),
        get_json(browser, f"/api/v1/rounds/{round_id}/proposals"), get_json(browser, f"/api/v1/proposals/{first}"),
        get_json(browser, f"/api/v1/proposals/{first}/comments"),
    ]
    text = " ".join(s for d in documents for s in walk_strings(d))
    text += browser.get(f"/rounds/{round_id}/proposals.csv").get_data(as_text=True)
    text += browser.get(f"/rounds/{round_id}/comments.csv").get_data(as_text=True)
    assert "@" not in text.replace("mailto", "")
    for document in documents:
        keys = set()
        stack = [document]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                keys |= set(item)
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
        assert not keys & {"email", "password", "password_hash", "session_token", "author_id", "user_id"}


def test_hidden_content_appears_as_hidden_without_text(app, browser, published, create_user):
    round_id, first, _ = published
    with app.app_context():
        from engage.auth.models import User
        from engage.extensions import db
        from engage.moderation import services
        from engage.proposals.models import Proposal

        moderator = db.session.get(User, create_user(roles=("moderator",)).id)
        services.hide(db.session.get(Proposal, first), moderator, "Off topic")
        db.session.commit()
    proposal = get_json(browser, f"/api/v1/proposals/{first}")
    assert proposal["hidden"] is True and proposal["hidden_reason"] == "Off topic"
    assert proposal["title"] is None and proposal["body"] is None and proposal["author"] is None
    listing = get_json(browser, f"/api/v1/rounds/{round_id}/proposals")
    assert "Відкриті дані" not in str(listing)
    assert "Відкриті дані" not in browser.get(f"/rounds/{round_id}/proposals.csv").get_data(as_text=True)


def test_openapi_document_describes_every_endpoint(app, browser, published, create_user):
    round_id, first, _ = published
    from engage.endorsements.models import Endorsement
    from engage.extensions import db
    from engage.organisations.models import Organisation

    with app.app_context():
        organisation = Organisation(name_uk="ГО «Відкрите місто»", kind="academic", status="verified")
        db.session.add(organisation)
        db.session.flush()
        db.session.add(Endorsement(organisation_id=organisation.id, target_type="proposal", target_id=first,
                                   signed_by="Olena Artemenko"))
        db.session.commit()
    document = get_json(browser, "/api/v1/openapi.json")
    assert document["openapi"].startswith("3.")
    assert document["info"]["license"]["name"] == "CC BY 4.0"
    assert set(document["paths"]) == {"/rounds", "/rounds/{round_id}", "/rounds/{round_id}/proposals",
                                      "/rounds/{round_id}/report", "/proposals/{proposal_id}",
                                      "/proposals/{proposal_id}/comments", "/surveys/{survey_id}/results",
                                      "/surveys/{survey_id}/questions/{question_id}/texts",
                                      "/organisations", "/endorsements", "/plans", "/plans/{plan_id}"}
    schemas = document["components"]["schemas"]
    samples = {
        "Proposal": get_json(browser, f"/api/v1/proposals/{first}"),
        "Comment": get_json(browser, f"/api/v1/proposals/{first}/comments")["items"][0],
        "RoundSummary": get_json(browser, "/api/v1/rounds")["items"][0],
        "Report": get_json(browser, f"/api/v1/rounds/{round_id}/report"),
        "Organisation": get_json(browser, "/api/v1/organisations")["items"][0],
        "Endorsement": get_json(browser, f"/api/v1/endorsements?target=proposal:{first}")["items"][0],
    }
    for name, sample in samples.items():
        assert set(schemas[name]["required"]) == set(sample), name
    round_required = set(schemas["RoundSummary"]["required"]) | set(schemas["Round"]["allOf"][1]["required"])
    assert round_required == set(get_json(browser, f"/api/v1/rounds/{round_id}"))


def test_csv_downloads(browser, published):
    round_id, first, second = published
    response = browser.get(f"/rounds/{round_id}/proposals.csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [r["title"] for r in rows] == ["Відкриті дані про бюджет", "Bike lanes on Khreshchatyk street"]
    assert rows[0]["topic"] == "Transparency" and rows[1]["district"] == "pecherskyi"
    comments = list(csv.DictReader(io.StringIO(browser.get(f"/rounds/{round_id}/comments.csv").get_data(as_text=True))))
    assert comments[0]["body"] == "Так, і в машиночитному форматі." and comments[0]["proposal_id"] == str(first)


def test_csv_of_a_large_round_is_streamed(app, browser, create_round, create_user):
    round_id = create_round()
    author = create_user()
    with app.app_context():
        from sqlalchemy import insert

        from engage.core.time import utcnow
        from engage.extensions import db
        from engage.proposals.models import Proposal

        stamp = utcnow()
        db.session.execute(insert(Proposal), [
            {"round_id": round_id, "author_id": author.id, "title": f"Proposal {n} about the city",
             "body": "A long enough description of proposal number %d. " % n * 4, "locale": "en",
             "state": "published", "support_count": 0, "comment_count": 0, "flag_count": 0,
             "created_at": stamp, "updated_at": stamp}
            for n in range(5000)
        ])
        db.session.commit()
    response = browser.client.get(f"/rounds/{round_id}/proposals.csv", buffered=False)
    assert response.is_streamed
    chunks = list(response.response)
    assert len(chunks) > 10  # written as it is read, not built in memory first
    rows = list(csv.reader(io.StringIO(b"".join(c if isinstance(c, bytes) else c.encode() for c in chunks).decode())))
    assert rows[0][:3] == ["id", "url", "title"] and len(rows) == 5001
    response.close()


def test_open_data_page(browser, published):
    round_id, _, _ = published
    page = browser.get("/open-data").get_data(as_text=True)
    assert "CC BY 4.0" in page and "/api/v1/openapi.json" in page
    assert f"/rounds/{round_id}/proposals.csv" in page
