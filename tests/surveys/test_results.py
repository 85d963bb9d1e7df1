"""Results: aggregation on hand-built answers, cross-tab, exports without personal data, visibility, moderation."""
from __future__ import annotations

import csv
import io
import json

import pytest

from engage.extensions import db
from tests.conftest import DAY, T0


@pytest.fixture
def answered(app, build_survey, create_user, answer_as, clock):
    """Five answers, including skipped optional questions, "Other" texts and an anonymous browser."""
    built = build_survey(visibility="live")
    clock(T0 + DAY)
    q, o = built.q, built.o
    people = [create_user(email=f"respondent{n}@example.org", display_name=f"Respondent {n}") for n in range(4)]
    answer_as(built, {
        q["transport"]: {"option": o["transport.Bus"]},
        q["services"]: {"options": [o["services.Kyiv Digital"], o["services.City website"]], "other": None},
        q["rating"]: 5, q["idea"]: "More open data",
        q["priorities"]: [o["priorities.Heritage"], o["priorities.Education"], o["priorities.E-services"]],
        q["age"]: {"option": o["age.18_29"]},
    }, user_id=people[0].id)
    answer_as(built, {
        q["transport"]: {"option": o["transport.Metro"]},
        q["services"]: {"options": [o["services.Kyiv Digital"]], "other": "Radio"},
        q["rating"]: 3,
        q["priorities"]: [o["priorities.Education"], o["priorities.Heritage"], o["priorities.E-services"]],
        q["age"]: {"option": o["age.18_29"]},
    }, user_id=people[1].id)
    answer_as(built, {q["transport"]: {"other": "Scooter"}, q["rating"]: 4, q["age"]: {"option": o["age.30_44"]}},
              user_id=people[2].id)
    answer_as(built, {q["transport"]: {"option": o["transport.Bus"]}, q["idea"]: "Fix the website",
                      q["age"]: {"option": o["age.prefer_not"]}}, user_id=people[3].id)
    answer_as(built, {q["transport"]: {"option": o["transport.Bus"]}}, key="a" * 64)
    built.people = people
    return built


def _compute(app, built):
    from engage.surveys import results
    from engage.surveys.models import Survey

    return results.compute(db.session.get(Survey, built.survey_id), "en")


def test_figures_on_hand_built_answers(app, answered):
    q = answered.q
    with app.test_request_context(headers={"Accept-Language": "en"}):
        data = _compute(app, answered)
        by_id = {r.question.id: r for r in data.questions}
        assert data.respondents == 5

        transport = by_id[q["transport"]]
        assert (transport.answered, transport.skipped) == (5, 0)
        assert [(r.label, r.count, r.percent) for r in transport.rows] == [
            ("Bus", 3, 60.0), ("Metro", 1, 20.0), ("Bicycle", 0, 0.0), ("Other", 1, 20.0)]

        services = by_id[q["services"]]
        assert (services.answered, services.skipped) == (2, 3)
        assert [(r.label, r.count, r.percent) for r in services.rows] == [
            ("Kyiv Digital", 2, 100.0), ("City website", 1, 50.0), ("Open data portal", 0, 0.0), ("Other", 1, 50.0)]

        rating = by_id[q["rating"]]
        assert rating.answered == 3 and rating.mean == 4.0
        assert [(r.label, r.count) for r in rating.rows] == [("1", 0), ("2", 0), ("3", 1), ("4", 1), ("5", 1)]

        idea = by_id[q["idea"]]
        assert idea.answered == 2
        assert [t.text for t in idea.texts] == ["Fix the website", "More open data"]

        priorities = by_id[q["priorities"]]
        assert priorities.answered == 2
        assert [(label, average, count) for _id, label, average, count in priorities.average_positions] == [
            ("Education", 1.5, 2), ("Heritage", 1.5, 2), ("E-services", 3.0, 2)]
        assert [(r.label, r.count) for r in priorities.rows] == [("Education", 1), ("Heritage", 1), ("E-services", 0)]

        age = by_id[q["age"]]
        assert (age.answered, age.skipped) == (4, 1)
        counts = {r.label: r.count for r in age.rows}
        assert counts["18–29"] == 2 and counts["30–44"] == 1 and counts["Prefer not to say"] == 1
        gender = by_id[q["gender"]]
        assert (gender.answered, gender.skipped) == (0, 5) and all(r.percent == 0.0 for r in gender.rows)


def test_a_survey_without_answers(app, build_survey, clock):
    built = build_survey(visibility="live")
    clock(T0 + DAY)
    with app.test_request_context(headers={"Accept-Language": "en"}):
        data = _compute(app, built)
        assert data.respondents == 0
        assert all(r.answered == 0 and r.skipped == 0 for r in data.questions)
        rating = next(r for r in data.questions if r.question.id == built.q["rating"])
        assert rating.mean is None


def test_crosstab_by_a_demographic_question(app, answered):
    from engage.surveys import results
    from engage.surveys.models import Survey

    q = answered.q
    with app.test_request_context(headers={"Accept-Language": "en"}):
        survey = db.session.get(Survey, answered.survey_id)
        by_id = {question.id: question for question in survey.questions}
        table = results.crosstab(by_id[q["transport"]], by_id[q["age"]], "en")
        labels = [label for _key, label in table.columns]
        assert labels == ["Under 18", "18–29", "30–44", "45–59", "60 or older", "Prefer not to say", "Not answered"]
        rows = {label: numbers for _key, label, numbers, _shares in table.rows}
        assert rows["Bus"] == [0, 1, 0, 0, 0, 1, 1]
        assert rows["Metro"] == [0, 1, 0, 0, 0, 0, 0]
        assert rows["Other"] == [0, 0, 1, 0, 0, 0, 0]
        assert table.totals == [0, 2, 1, 0, 0, 1, 1]
        shares = {label: s for _key, label, _numbers, s in table.rows}
        assert shares["Bus"][1] == 50.0 and shares["Bus"][6] == 100.0


def test_results_page_shows_charts_and_the_same_numbers(app, client, answered):
    page = client.get(f"/surveys/{answered.survey_id}/results").get_data(as_text=True)
    assert '<strong id="respondents">5</strong>' in page
    assert '<svg role="img"' in page
    assert '<th scope="row">Bus</th><td>3</td><td>60.0%</td>' in page
    assert "4.0" in page  # mean of the scale
    assert "More open data" in page
    crosstab = client.get(f"/surveys/{answered.survey_id}/results?question={answered.q['transport']}&by={answered.q['age']}")
    text = crosstab.get_data(as_text=True)
    assert 'id="crosstab"' in text and "Prefer not to say" in text
    # A question that is not a choice, or nonsense, draws no table and no error.
    assert 'id="crosstab"' not in client.get(
        f"/surveys/{answered.survey_id}/results?question={answered.q['idea']}&by=abc").get_data(as_text=True)


def test_csv_has_one_row_per_answer_and_no_personal_data(app, client, answered):
    from sqlalchemy import select

    from engage.surveys.models import SurveyResponse

    response = client.get(f"/surveys/{answered.survey_id}/results.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    body = response.get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body)))
    header, data = rows[0], rows[1:]
    assert header[:3] == ["answer_id", "submitted_on", "Q1. How do you travel?"]
    assert len(header) == 2 + 9 and len(data) == 5
    with app.app_context():
        public_ids = set(db.session.scalars(select(SurveyResponse.public_id)))
    assert {row[0] for row in data} == public_ids
    for person in answered.people:
        assert person.email not in body and person.display_name not in body
    assert "user_id" not in body
    first = data[0]
    assert first[2:8] == ["Bus", "Kyiv Digital; City website", "5", "More open data",
                          "Heritage > Education > E-services", "18–29"]
    assert data[2][2] == "Other: Scooter"
    assert data[4][2:] == ["Bus"] + [""] * 8


def test_json_results_match_the_page_and_name_nobody(app, client, answered):
    response = client.get(f"/api/v1/surveys/{answered.survey_id}/results")
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    data = json.loads(body)
    assert data["respondents"] == 5
    questions = {item["id"]: item for item in data["questions"]}
    transport = questions[answered.q["transport"]]
    assert [(o["label"]["en"], o["count"], o["percent"]) for o in transport["options"]] == [
        ("Bus", 3, 60.0), ("Metro", 1, 20.0), ("Bicycle", 0, 0.0)]
    assert transport["other"] == {"count": 1, "percent": 20.0}
    assert transport["texts"] == ["Scooter"]
    rating = questions[answered.q["rating"]]
    assert rating["mean"] == 4.0 and [d["count"] for d in rating["distribution"]] == [0, 0, 1, 1, 1]
    idea = questions[answered.q["idea"]]
    assert idea["texts"] == ["Fix the website", "More open data"] and idea["texts_total"] == 2
    # Every text, page by page, at the address the results give.
    paged = client.get(idea["texts_url"].replace("http://localhost", "") + "?per_page=1&page=2").get_json()
    assert paged["items"] == ["More open data"] and paged["total"] == 2 and paged["next"] is None
    ranking = {o["label"]["en"]: o["average_position"] for o in questions[answered.q["priorities"]]["options"]}
    assert ranking == {"Education": 1.5, "Heritage": 1.5, "E-services": 3.0}
    for person in answered.people:
        assert person.email not in body and person.display_name not in body
    spec = client.get("/api/v1/openapi.json").get_json()
    assert "/surveys/{survey_id}/results" in spec["paths"]
    schema = spec["components"]["schemas"]["SurveyResults"]
    assert set(schema["required"]) <= set(data) and set(data) <= set(schema["properties"])
    question_schema = schema["properties"]["questions"]["items"]
    for item in data["questions"]:
        assert set(item) <= set(question_schema["properties"]), item


def test_results_after_closing_stay_private_until_then(app, client, browser, build_survey, clock, create_user):
    built = build_survey(visibility="after_close")
    clock(T0 + DAY)
    early = client.get(f"/surveys/{built.survey_id}/results")
    assert early.status_code == 302
    assert client.get(f"/api/v1/surveys/{built.survey_id}/results").status_code == 403
    assert client.get(f"/surveys/{built.survey_id}/results.csv").status_code == 302
    browser.sign_in(built.facilitator)
    assert browser.get(f"/surveys/{built.survey_id}/results").status_code == 200
    clock(T0 + 31 * DAY)
    assert client.get(f"/surveys/{built.survey_id}/results").status_code == 200
    assert client.get(f"/api/v1/surveys/{built.survey_id}/results").status_code == 200


def test_hidden_free_text_answers_do_not_show(app, browser, answered, create_user):
    from sqlalchemy import select

    from engage.moderation.models import ModerationAction
    from engage.surveys.models import AnswerItem

    with app.app_context():
        item_id = db.session.scalar(select(AnswerItem.id).where(AnswerItem.text == "Fix the website"))
    answers_url = f"/surveys/{answered.survey_id}/questions/{answered.q['idea']}/answers"
    client = app.test_client()  # a visitor, beside the moderator's browser
    browser.sign_in(create_user())
    assert browser.submit(f"/surveys/answers/{item_id}/hide", {"reason": "spam"}, form_url=answers_url).status_code == 403
    browser.sign_out()
    browser.sign_in(create_user(roles=("moderator",)))
    missing_reason = browser.submit(f"/surveys/answers/{item_id}/hide", {"reason": ""}, form_url=answers_url,
                                    follow_redirects=True)
    assert "Give the reason for hiding this answer." in missing_reason.get_data(as_text=True)
    done = browser.submit(f"/surveys/answers/{item_id}/hide", {"reason": "Names a private person"},
                          form_url=answers_url, follow_redirects=True)
    assert "The answer is hidden from the results." in done.get_data(as_text=True)
    assert "Fix the website" not in client.get(f"/surveys/{answered.survey_id}/results").get_data(as_text=True)
    assert "Fix the website" not in client.get(answers_url).get_data(as_text=True)
    assert "Fix the website" not in client.get(f"/api/v1/surveys/{answered.survey_id}/results").get_data(as_text=True)
    assert "Fix the website" not in client.get(f"/surveys/{answered.survey_id}/results.csv").get_data(as_text=True)
    with app.app_context():
        action = db.session.scalar(select(ModerationAction).where(ModerationAction.target_type == "survey_answer"))
        assert (action.action, action.reason) == ("hide", "Names a private person")
    browser.submit(f"/surveys/answers/{item_id}/restore", form_url=answers_url)
    assert "Fix the website" in client.get(f"/surveys/{answered.survey_id}/results").get_data(as_text=True)


def test_survey_answers_count_in_the_round_report(app, client, answered):
    page = client.get(f"/rounds/{answered.round_id}/report").get_data(as_text=True)
    assert '<dd id="survey-answers">5</dd>' in page
    assert f"/surveys/{answered.survey_id}/results" in page
    data = client.get(f"/api/v1/rounds/{answered.round_id}/report").get_json()
    assert data["counts"]["survey_answers"] == 5
    assert data["surveys"][0]["respondents"] == 5
    assert data["surveys"][0]["results_url"].endswith(f"/surveys/{answered.survey_id}/results")
