"""Answering a survey: validation per question type, one answer per person, anonymous limits."""
from __future__ import annotations

import re

from engage.extensions import db
from tests.conftest import DAY, T0


def is_checked(page: str, input_id: str) -> bool:
    match = re.search(r'<input[^>]*id="' + re.escape(input_id) + r'"[^>]*>', page)
    assert match, f"no input {input_id}"
    return " checked" in match.group(0)


def _count_responses(app, survey_id):
    from sqlalchemy import func, select

    from engage.surveys.models import SurveyResponse

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(SurveyResponse)
                                 .where(SurveyResponse.survey_id == survey_id))


def _stored(app, response_id):
    from engage.surveys import answers
    from engage.surveys.models import SurveyResponse

    with app.app_context():
        return answers.values_of(db.session.get(SurveyResponse, response_id))


def _own_response_id(app, survey_id, user_id):
    from sqlalchemy import select

    from engage.surveys.models import SurveyResponse

    with app.app_context():
        return db.session.scalar(select(SurveyResponse.id).where(SurveyResponse.survey_id == survey_id,
                                                                 SurveyResponse.user_id == user_id))


def test_a_complete_answer_is_saved_and_confirmed(app, browser, create_user, build_survey, clock):
    built = build_survey()
    clock(T0 + DAY)
    resident = create_user()
    browser.sign_in(resident)
    q, o = built.q, built.o
    url = f"/surveys/{built.survey_id}"
    response = browser.submit(url, {
        f"q{q['transport']}": str(o["transport.Metro"]),
        f"q{q['services']}": [str(o["services.Kyiv Digital"]), "other"], f"q{q['services']}-other": "Telegram bot",
        f"q{q['rating']}": "4",
        f"q{q['idea']}": "  Publish   budget data weekly  ",
        f"q{q['priorities']}-o{o['priorities.Heritage']}": "1",
        f"q{q['priorities']}-o{o['priorities.Education']}": "2",
        f"q{q['priorities']}-o{o['priorities.E-services']}": "3",
        f"q{q['age']}": str(o["age.30_44"]),
    }, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Thank you for answering" in page and "Thank you: your answer has been saved." in page
    values = _stored(app, _own_response_id(app, built.survey_id, resident.id))
    assert values == {
        q["transport"]: {"option": o["transport.Metro"]},
        q["services"]: {"options": [o["services.Kyiv Digital"]], "other": "Telegram bot"},
        q["rating"]: 4,
        q["idea"]: "Publish budget data weekly",
        q["priorities"]: [o["priorities.Heritage"], o["priorities.Education"], o["priorities.E-services"]],
        q["age"]: {"option": o["age.30_44"]},
    }
    review = browser.get(f"/surveys/{built.survey_id}/my-answer").get_data(as_text=True)
    assert "Telegram bot" in review and "Publish budget data weekly" in review
    assert review.index("Heritage") < review.index("Education") < review.index("E-services")


def test_each_question_type_is_checked_and_choices_are_kept(app, browser, create_user, build_survey, clock):
    built = build_survey()
    clock(T0 + DAY)
    browser.sign_in(create_user())
    q, o = built.q, built.o
    url = f"/surveys/{built.survey_id}"
    response = browser.submit(url, {
        # transport (required) left empty
        f"q{q['services']}": [str(o["services.Kyiv Digital"]), str(o["services.City website"]), "other"],
        f"q{q['services']}-other": "Radio",
        f"q{q['rating']}": "9",
        f"q{q['idea']}": "x" * 201,
        f"q{q['priorities']}-o{o['priorities.Heritage']}": "1",
        f"q{q['priorities']}-o{o['priorities.Education']}": "1",
        f"q{q['priorities']}-o{o['priorities.E-services']}": "2",
        f"q{q['gender']}": str(o["gender.woman"]),
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Answer this question." in page
    assert "Choose at most 2 options." in page
    assert "Choose a value from 1 to 5." in page
    assert "Keep your answer to 200 characters (it has 201)." in page
    assert "Give each option a different position, from 1 to 3." in page
    # Everything chosen or typed comes back.
    assert is_checked(page, f'q{q["services"]}-{o["services.Kyiv Digital"]}')
    assert is_checked(page, f'q{q["services"]}-{o["services.City website"]}')
    assert not is_checked(page, f'q{q["services"]}-{o["services.Open data portal"]}')
    assert is_checked(page, f'q{q["services"]}-other-choice')
    assert 'value="Radio"' in page
    assert "x" * 201 in page
    assert is_checked(page, f'q{q["gender"]}-{o["gender.woman"]}')
    assert re.search(r'<option value="1" selected>', page)
    # The error sits next to its question, tied to it for screen readers.
    assert f'id="q{q["transport"]}-error"' in page
    assert _count_responses(app, built.survey_id) == 0


def test_other_needs_its_text_and_ranking_needs_every_option(app, browser, create_user, build_survey, clock):
    built = build_survey()
    clock(T0 + DAY)
    browser.sign_in(create_user())
    q, o = built.q, built.o
    response = browser.submit(f"/surveys/{built.survey_id}", {
        f"q{q['transport']}": "other", f"q{q['transport']}-other": "  ",
        f"q{q['priorities']}-o{o['priorities.Heritage']}": "1",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Say what “Other” is." in page
    assert "Give every option a position." in page


def test_an_option_of_another_question_is_refused(app, browser, create_user, build_survey, clock):
    built = build_survey()
    clock(T0 + DAY)
    browser.sign_in(create_user())
    response = browser.submit(f"/surveys/{built.survey_id}", {f"q{built.q['transport']}": str(built.o["services.City website"])})
    assert response.status_code == 422
    assert "Choose one of the options." in response.get_data(as_text=True)


def test_one_answer_per_person_which_can_change_until_closing(app, browser, create_user, build_survey, clock):
    built = build_survey()
    clock(T0 + DAY)
    resident = create_user()
    browser.sign_in(resident)
    url = f"/surveys/{built.survey_id}"
    first = browser.submit(url, {f"q{built.q['transport']}": str(built.o["transport.Bus"])}, follow_redirects=True)
    assert "Thank you: your answer has been saved." in first.get_data(as_text=True)
    page = browser.get(url).get_data(as_text=True)
    assert "You answered on" in page and "Change my answer" in page
    assert is_checked(page, f'q{built.q["transport"]}-{built.o["transport.Bus"]}')
    second = browser.submit(url, {f"q{built.q['transport']}": str(built.o["transport.Bicycle"])}, follow_redirects=True)
    assert "Your answer has been changed." in second.get_data(as_text=True)
    assert _count_responses(app, built.survey_id) == 1
    values = _stored(app, _own_response_id(app, built.survey_id, resident.id))
    assert values == {built.q["transport"]: {"option": built.o["transport.Bicycle"]}}

    clock(T0 + 31 * DAY)
    closed = browser.submit(url, {f"q{built.q['transport']}": str(built.o["transport.Bus"])}, form_url="/")
    assert closed.status_code == 403
    page = browser.get(url).get_data(as_text=True)
    assert "This survey closed on" in page
    assert _stored(app, _own_response_id(app, built.survey_id, resident.id))[built.q["transport"]] == \
        {"option": built.o["transport.Bicycle"]}


def test_upcoming_and_draft_surveys_take_no_answers(app, browser, create_user, build_survey, clock):
    built = build_survey()
    draft = build_survey(published=False)
    clock(T0 - DAY)
    browser.sign_in(create_user())
    page = browser.get(f"/surveys/{built.survey_id}").get_data(as_text=True)
    assert "This survey opens on" in page and "Send my answer" not in page
    assert browser.submit(f"/surveys/{built.survey_id}", {}, form_url="/").status_code == 403
    assert browser.get(f"/surveys/{draft.survey_id}").status_code == 404


def test_visitors_sign_in_unless_anonymous_answers_are_allowed(app, client, browser, build_survey, clock):
    built = build_survey(anonymous=False)
    clock(T0 + DAY)
    page = client.get(f"/surveys/{built.survey_id}").get_data(as_text=True)
    assert "Sign in to answer this survey." in page
    response = browser.submit(f"/surveys/{built.survey_id}", {f"q{built.q['transport']}": str(built.o["transport.Bus"])},
                              form_url="/")
    assert response.status_code == 302 and "/account/sign-in" in response.headers["Location"]
    assert _count_responses(app, built.survey_id) == 0


def test_anonymous_answers_one_per_browser(app, build_survey, clock):
    from tests.conftest import Browser

    built = build_survey(anonymous=True)
    clock(T0 + DAY)
    url = f"/surveys/{built.survey_id}"
    visitor = Browser(app.test_client())
    visitor.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {f"q{built.q['transport']}": str(built.o["transport.Bus"])}
    first = visitor.submit(url, data, follow_redirects=True)
    assert "Thank you: your answer has been saved." in first.get_data(as_text=True)
    assert visitor.client.get_cookie("engage_survey_browser") is not None
    # The same browser changes its answer rather than adding one.
    again = visitor.submit(url, {f"q{built.q['transport']}": str(built.o["transport.Metro"])}, follow_redirects=True)
    assert "Your answer has been changed." in again.get_data(as_text=True)
    assert _count_responses(app, built.survey_id) == 1
    assert "Metro" in visitor.get(f"{url}/my-answer").get_data(as_text=True)
    # A forged cookie is not anyone's browser: it starts a new answer.
    other = Browser(app.test_client())
    other.client.set_cookie("engage_survey_browser", "forged.value")
    other.submit(url, data, follow_redirects=True)
    assert _count_responses(app, built.survey_id) == 2


def test_anonymous_answers_are_rate_limited_per_address(app, build_survey, clock):
    from tests.conftest import Browser

    built = build_survey(anonymous=True)
    clock(T0 + DAY)
    app.config["RATELIMIT_SURVEY_ANONYMOUS"] = "2 per hour"
    try:
        statuses = []
        for _ in range(3):
            visitor = Browser(app.test_client())  # a fresh browser each time: no cookie
            statuses.append(visitor.submit(f"/surveys/{built.survey_id}",
                                           {f"q{built.q['transport']}": str(built.o["transport.Bus"])}).status_code)
    finally:
        app.config["RATELIMIT_SURVEY_ANONYMOUS"] = "20 per hour"
    assert statuses == [302, 302, 429]
    assert _count_responses(app, built.survey_id) == 2


def test_signed_in_people_are_not_held_by_the_anonymous_limit(app, browser, create_user, build_survey, clock):
    built = build_survey(anonymous=True)
    clock(T0 + DAY)
    app.config["RATELIMIT_SURVEY_ANONYMOUS"] = "1 per hour"
    try:
        browser.sign_in(create_user())
        for option in ("transport.Bus", "transport.Metro", "transport.Bicycle"):
            assert browser.submit(f"/surveys/{built.survey_id}", {f"q{built.q['transport']}": str(built.o[option])}).status_code == 302
    finally:
        app.config["RATELIMIT_SURVEY_ANONYMOUS"] = "20 per hour"
