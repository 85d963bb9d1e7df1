"""Survey results from tallies (engage.surveys.tallies) against GROUP BY queries over the answers themselves.

Answers go through the survey's page, as residents (signed in, changing their answer) and as visitors
(anonymous answers, one per browser); results are read from the JSON API and the results page.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import distinct, func, select

from engage.extensions import db
from tests.conftest import DAY, T0, Browser

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def form(built, *, transport=None, transport_other=None, services=(), services_other=None, rating=None, idea=None,
         ranking=None, age=None) -> dict:
    """The survey form as a browser sends it; option names as in the fixture ("Bus", "City website", ...)."""
    q, o = built.q, built.o
    data = {}
    if transport_other is not None:
        data[f"q{q['transport']}"], data[f"q{q['transport']}-other"] = "other", transport_other
    elif transport:
        data[f"q{q['transport']}"] = str(o[f"transport.{transport}"])
    picks = [str(o[f"services.{name}"]) for name in services]
    if services_other is not None:
        picks.append("other")
        data[f"q{q['services']}-other"] = services_other
    if picks:
        data[f"q{q['services']}"] = picks
    if rating is not None:
        data[f"q{q['rating']}"] = str(rating)
    if idea is not None:
        data[f"q{q['idea']}"] = idea
    for position, name in enumerate(ranking or (), start=1):
        data[f"q{q['priorities']}-o{o[f'priorities.{name}']}"] = str(position)
    if age:
        data[f"q{q['age']}"] = str(o[f"age.{age}"])
    return data


@pytest.fixture
def resident(app, create_user):
    """``resident()``: a signed-in resident's browser."""

    def make() -> Browser:
        client = app.test_client()
        client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
        browser = Browser(client)
        browser.sign_in(create_user())
        return browser

    return make


def send(client_or_browser, built, data) -> None:
    url = f"/surveys/{built.survey_id}"
    if isinstance(client_or_browser, Browser):
        response = client_or_browser.submit(url, data)
    else:  # a visitor's browser: the form's token, the answer, and the cookie that remembers it
        token = CSRF.search(client_or_browser.get(url).get_data(as_text=True)).group(1)
        response = client_or_browser.post(url, data={"csrf_token": token, **data})
    assert response.status_code == 302, response.get_data(as_text=True)


def grouped(app, survey_id: int) -> dict:
    """Every figure of the results, counted with GROUP BY over survey_answer_items."""
    from engage.surveys.models import AnswerItem, Question, SurveyResponse

    with app.app_context():
        questions = db.session.scalars(select(Question).where(Question.survey_id == survey_id)
                                       .order_by(Question.position)).all()
        ids = [q.id for q in questions]
        answered = dict(db.session.execute(
            select(AnswerItem.question_id, func.count(distinct(AnswerItem.response_id)))
            .where(AnswerItem.question_id.in_(ids)).group_by(AnswerItem.question_id)).all())
        options = {(qid, oid): n for qid, oid, n in db.session.execute(
            select(AnswerItem.question_id, AnswerItem.option_id, func.count())
            .where(AnswerItem.question_id.in_(ids), AnswerItem.option_id.is_not(None))
            .group_by(AnswerItem.question_id, AnswerItem.option_id))}
        others = dict(db.session.execute(
            select(AnswerItem.question_id, func.count())
            .where(AnswerItem.question_id.in_(ids), AnswerItem.option_id.is_(None), AnswerItem.text.is_not(None))
            .group_by(AnswerItem.question_id)).all())
        values = {(qid, value): n for qid, value, n in db.session.execute(
            select(AnswerItem.question_id, AnswerItem.value, func.count())
            .where(AnswerItem.question_id.in_(ids), AnswerItem.option_id.is_(None), AnswerItem.value.is_not(None))
            .group_by(AnswerItem.question_id, AnswerItem.value))}
        means = {qid: float(mean) for qid, mean in db.session.execute(
            select(AnswerItem.question_id, func.avg(AnswerItem.value))
            .where(AnswerItem.question_id.in_(ids), AnswerItem.option_id.is_(None), AnswerItem.value.is_not(None))
            .group_by(AnswerItem.question_id))}
        positions = {(qid, oid): (float(avg), n) for qid, oid, avg, n in db.session.execute(
            select(AnswerItem.question_id, AnswerItem.option_id, func.avg(AnswerItem.value), func.count())
            .where(AnswerItem.question_id.in_(ids), AnswerItem.option_id.is_not(None), AnswerItem.value.is_not(None))
            .group_by(AnswerItem.question_id, AnswerItem.option_id))}
        firsts = {(qid, oid): n for qid, oid, n in db.session.execute(
            select(AnswerItem.question_id, AnswerItem.option_id, func.count())
            .where(AnswerItem.question_id.in_(ids), AnswerItem.value == 1, AnswerItem.option_id.is_not(None))
            .group_by(AnswerItem.question_id, AnswerItem.option_id))}
        respondents = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                        .where(SurveyResponse.survey_id == survey_id))
        shape = {q.id: (q.type, q.allow_other, [o.id for o in q.options], q.scale_min, q.scale_max) for q in questions}
    expected = {"respondents": respondents, "questions": {}}
    for qid, (kind, allow_other, option_ids, low, high) in shape.items():
        item = {"answered": answered.get(qid, 0), "skipped": respondents - answered.get(qid, 0)}
        if kind in ("single", "multiple"):
            item["options"] = {oid: options.get((qid, oid), 0) for oid in option_ids}
            if allow_other:
                item["other"] = others.get(qid, 0)
        elif kind == "scale":
            item["distribution"] = {v: values.get((qid, v), 0) for v in range(low, high + 1)}
            item["mean"] = round(means[qid], 2) if qid in means else None
        elif kind == "ranking":
            item["average_position"] = {oid: round(positions[(qid, oid)][0], 2) if (qid, oid) in positions else None
                                        for oid in option_ids}
            item["ranked_first"] = {oid: firsts.get((qid, oid), 0) for oid in option_ids}
        expected["questions"][qid] = item
    return expected


def from_api(client, survey_id: int) -> dict:
    data = client.get(f"/api/v1/surveys/{survey_id}/results").get_json()
    shown = {"respondents": data["respondents"], "questions": {}}
    for q in data["questions"]:
        item = {"answered": q["answered"], "skipped": q["skipped"]}
        if q["type"] in ("single", "multiple"):
            item["options"] = {o["id"]: o["count"] for o in q["options"]}
            if "other" in q:
                item["other"] = q["other"]["count"]
        elif q["type"] == "scale":
            item["distribution"] = {d["value"]: d["count"] for d in q["distribution"]}
            item["mean"] = q["mean"]
        elif q["type"] == "ranking":
            item["average_position"] = {o["id"]: o["average_position"] for o in q["options"]}
            item["ranked_first"] = {o["id"]: o["ranked_first"] for o in q["options"]}
        shown["questions"][q["id"]] = item
    return shown


def tallies_snapshot(app, survey_id: int):
    from engage.surveys.models import Question, QuestionTally, Survey, Tally

    with app.app_context():
        ids = select(Question.id).where(Question.survey_id == survey_id)
        counts = {(t.question_id, t.option_key, t.value_key): t.count
                  for t in db.session.scalars(select(Tally).where(Tally.question_id.in_(ids))) if t.count}
        people = {t.question_id: t.answered
                  for t in db.session.scalars(select(QuestionTally).where(QuestionTally.question_id.in_(ids))) if t.answered}
        return counts, people, db.session.get(Survey, survey_id).respondent_count


def assert_results_match(app, client, built) -> dict:
    expected = grouped(app, built.survey_id)
    assert from_api(client, built.survey_id) == expected
    page = client.get(f"/surveys/{built.survey_id}/results").get_data(as_text=True)
    assert f'<strong id="respondents">{expected["respondents"]}</strong>' in page
    transport = expected["questions"][built.q["transport"]]
    for name in ("Bus", "Metro", "Bicycle"):
        count = transport["options"][built.o[f"transport.{name}"]]
        assert re.search(rf'<th scope="row">{name}</th><td>{count}</td>', page), (name, count)
    assert re.search(rf'<th scope="row">Other</th><td>{transport["other"]}</td>', page)
    return expected


@pytest.fixture
def survey(build_survey, clock):
    built = build_survey(anonymous=True, visibility="live")
    clock(T0 + 12 * DAY)
    return built


def test_results_equal_a_group_by_over_the_answers(app, survey, resident, new_visitor, visitor):
    built = survey
    people = [resident() for _ in range(4)]
    send(people[0], built, form(built, transport="Bus", services=["Kyiv Digital", "City website"], rating=5,
                                idea="More open data, please.", ranking=["Education", "Heritage", "E-services"], age="18_29"))
    send(people[1], built, form(built, transport_other="Scooter", services=["City website"], services_other="Telegram bot",
                                rating=3, ranking=["E-services", "Education", "Heritage"]))
    send(people[2], built, form(built, transport="Metro", rating=3))
    send(people[3], built, form(built, transport="Metro", services=["Open data portal"], services_other="Viber",
                                ranking=["Heritage", "E-services", "Education"]))
    for data in (form(built, transport="Bicycle", rating=1, idea="Bike parking near metro stations"),
                 form(built, transport="Bus", services=["Kyiv Digital"], rating=4,
                      ranking=["Education", "E-services", "Heritage"])):
        send(new_visitor(), built, data)  # anonymous answers, one per browser
    expected = assert_results_match(app, visitor, built)
    assert expected["respondents"] == 6
    transport = expected["questions"][built.q["transport"]]
    assert transport["answered"] == 6 and transport["other"] == 1
    assert transport["options"][built.o["transport.Metro"]] == 2
    services = expected["questions"][built.q["services"]]
    assert services["other"] == 2 and services["answered"] == 4 and services["skipped"] == 2
    rating = expected["questions"][built.q["rating"]]
    assert rating["mean"] == 3.2 and rating["distribution"] == {1: 1, 2: 0, 3: 2, 4: 1, 5: 1}
    ranking = expected["questions"][built.q["priorities"]]
    assert ranking["answered"] == 4 and sum(ranking["ranked_first"].values()) == 4
    assert ranking["average_position"][built.o["priorities.Education"]] == 1.75
    page = visitor.get(f"/surveys/{built.survey_id}/results").get_data(as_text=True)
    assert re.search(r'class="scale-mean">3\.2<', page)


def test_a_changed_answer_moves_the_tallies(app, survey, resident, new_visitor, visitor):
    built = survey
    olha, taras = resident(), resident()
    send(olha, built, form(built, transport="Bus", services=["Kyiv Digital", "City website"], rating=2,
                           ranking=["Education", "Heritage", "E-services"], idea="First idea"))
    send(taras, built, form(built, transport="Bus", services=["City website"], rating=4))
    anonymous = new_visitor()
    send(anonymous, built, form(built, transport_other="Taxi", rating=5))
    before = assert_results_match(app, visitor, built)
    assert before["respondents"] == 3
    # Olha changes everything: another transport, other picks with "Other", a new rating, no ranking, no idea.
    send(olha, built, form(built, transport="Metro", services=["Open data portal"], services_other="Diia", rating=5))
    # The anonymous browser changes its answer too (its cookie names the answer).
    send(anonymous, built, form(built, transport="Bicycle", rating=1, ranking=["Heritage", "E-services", "Education"]))
    after = assert_results_match(app, visitor, built)
    assert after["respondents"] == 3  # changed answers are not new respondents
    transport = after["questions"][built.q["transport"]]
    assert transport["options"][built.o["transport.Bus"]] == 1 and transport["other"] == 0
    assert transport["options"][built.o["transport.Metro"]] == 1 and transport["options"][built.o["transport.Bicycle"]] == 1
    services = after["questions"][built.q["services"]]
    assert services["options"][built.o["services.Kyiv Digital"]] == 0 and services["other"] == 1
    assert after["questions"][built.q["idea"]]["answered"] == 0
    ranking = after["questions"][built.q["priorities"]]
    assert ranking["answered"] == 1 and ranking["ranked_first"][built.o["priorities.Heritage"]] == 1
    assert ranking["ranked_first"][built.o["priorities.Education"]] == 0
    # Answering the same again changes nothing.
    send(olha, built, form(built, transport="Metro", services=["Open data portal"], services_other="Diia", rating=5))
    assert assert_results_match(app, visitor, built) == after


def test_rebuild_gives_the_incremental_tallies(app, survey, resident, new_visitor, runner, build_survey):
    from engage.surveys import tallies

    built = survey
    olha = resident()
    send(olha, built, form(built, transport="Bus", services=["Kyiv Digital"], services_other="Radio", rating=3,
                           ranking=["Education", "Heritage", "E-services"], idea="An idea"))
    send(olha, built, form(built, transport="Metro", services=["City website", "Kyiv Digital"], rating=4,
                           ranking=["Heritage", "Education", "E-services"]))
    send(resident(), built, form(built, transport_other="Boat", rating=4))
    send(new_visitor(), built, form(built, transport="Bicycle", services_other="Telegram"))
    before = tallies_snapshot(app, built.survey_id)
    assert before[2] == 3
    with app.app_context():
        tallies.rebuild()
        db.session.commit()
    assert tallies_snapshot(app, built.survey_id) == before
    # After a repair of wrong tallies, the command recounts them all from the answers.
    from engage.surveys.models import QuestionTally, Survey, Tally

    with app.app_context():
        db.session.execute(Tally.__table__.update().values(count=Tally.count + 5))
        db.session.execute(QuestionTally.__table__.delete())
        db.session.execute(Survey.__table__.update().values(respondent_count=0))
        db.session.commit()
    result = runner.invoke(args=["summaries", "rebuild"])
    assert result.exit_code == 0 and "rebuilding survey tallies" in result.output, result.output
    assert tallies_snapshot(app, built.survey_id) == before


def test_the_respondent_count_on_the_report_matches(app, survey, resident, new_visitor, visitor):
    from engage.surveys.models import SurveyResponse

    built = survey
    for n, person in enumerate([resident(), resident(), new_visitor()]):
        send(person, built, form(built, transport=("Bus", "Metro", "Bicycle")[n], rating=n + 1))
    with app.app_context():
        counted = db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                    .where(SurveyResponse.survey_id == built.survey_id))
    assert counted == 3
    report = visitor.get(f"/rounds/{built.round_id}/report").get_data(as_text=True)
    assert "Open data in Kyiv: 3 people answered" in report
    assert f'id="survey-answers">{counted}<' in report
    api = visitor.get(f"/api/v1/rounds/{built.round_id}/report").get_json()
    assert api["counts"]["survey_answers"] == counted and api["surveys"][0]["respondents"] == counted
    assert visitor.get(f"/api/v1/surveys/{built.survey_id}/results").get_json()["respondents"] == counted
    assert f'<strong id="respondents">{counted}</strong>' in visitor.get(f"/surveys/{built.survey_id}/results").get_data(as_text=True)
