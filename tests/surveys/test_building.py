"""Building surveys: who may, question types, the demographic block, locking once answers exist."""
from __future__ import annotations

import re

from engage.extensions import db
from tests.conftest import DAY, T0


def _survey(app, survey_id):
    from engage.surveys.models import Survey

    return db.session.get(Survey, survey_id)


def test_a_facilitator_builds_and_publishes_a_survey(app, browser, create_user, create_round, clock):
    clock(T0 + DAY)
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    browser.sign_in(facilitator)
    response = browser.submit(f"/rounds/{round_id}/surveys/new", {
        "title_en": "Open data survey", "introduction_en": "Tell us **how** you use city data.",
        "title_uk": "Опитування про відкриті дані",
        "opens_at": "2026-03-01T12:00", "closes_at": "2026-04-01T12:00", "allow_anonymous": "y",
        "results_visibility": "live",
    })
    assert response.status_code == 302
    editor = response.headers["Location"]
    survey_id = int(re.search(r"/surveys/(\d+)/questions", editor).group(1))
    page = browser.get(editor).get_data(as_text=True)
    assert "No questions yet" in page and "This survey is a draft" in page

    added = browser.submit(f"/surveys/{survey_id}/questions/new?type=multiple", {
        "type": "multiple", "prompt_en": "Which data do you use?", "options_en": "Budget\nTransport\n\nHeritage",
        "options_uk": "Бюджет\nТранспорт\nПам'ятки", "max_choices": "2", "allow_other": "y", "required": "y",
    })
    assert added.status_code == 302
    browser.submit(f"/surveys/{survey_id}/questions/new?type=scale", {
        "type": "scale", "prompt_en": "How easy is it to find?", "scale": "0-10",
        "min_label_en": "Very hard", "max_label_en": "Very easy",
    })
    browser.submit(f"/surveys/{survey_id}/questions/new?type=text", {
        "type": "text", "prompt_en": "What is missing?", "long_text": "y", "max_length": "1000",
    })
    published = browser.submit(f"/surveys/{survey_id}/publish", form_url=editor, follow_redirects=True)
    assert "The survey is published." in published.get_data(as_text=True)
    with app.app_context():
        survey = _survey(app, survey_id)
        assert survey.title == {"en": "Open data survey", "uk": "Опитування про відкриті дані"}
        assert survey.allow_anonymous and survey.results_visibility == "live" and survey.is_published
        multiple, scale, text = survey.questions
        assert [o.label for o in multiple.options] == [
            {"en": "Budget", "uk": "Бюджет"}, {"en": "Transport", "uk": "Транспорт"}, {"en": "Heritage", "uk": "Пам'ятки"}]
        assert (multiple.max_choices, multiple.allow_other, multiple.required) == (2, True, True)
        assert (scale.scale_min, scale.scale_max, scale.min_label) == (0, 10, {"en": "Very hard"})
        assert (text.long_text, text.max_length) == (True, 1000)
    round_page = browser.get(f"/rounds/{round_id}").get_data(as_text=True)
    assert "Open data survey" in round_page
    ukrainian = browser.get(f"/surveys/{survey_id}", headers={"Accept-Language": "uk"})
    assert ukrainian.status_code == 200


def test_only_the_rounds_facilitators_and_admins_build(app, browser, create_user, build_survey, clock):
    built = build_survey(published=False)
    clock(T0 + DAY)
    pages = [f"/rounds/{built.round_id}/surveys/new", f"/surveys/{built.survey_id}/questions",
             f"/surveys/{built.survey_id}/edit", f"/surveys/{built.survey_id}/questions/new"]
    for person, expected in ((create_user(), 404), (create_user(roles=("facilitator",)), 404),
                             (create_user(roles=("moderator",)), 404)):
        browser.sign_in(person)
        # The round is published, so its "new survey" page answers 403; the draft survey looks absent.
        assert browser.get(pages[0]).status_code == 403
        for url in pages[1:]:
            assert browser.get(url).status_code == expected, url
        browser.sign_out()
    browser.sign_in(create_user(roles=("admin",)))
    for url in pages:
        assert browser.get(url).status_code == 200, url
    assert browser.submit(f"/surveys/{built.survey_id}/publish", form_url=pages[1]).status_code == 302
    browser.sign_out()
    # Published now: residents see it but still cannot edit it.
    browser.sign_in(create_user())
    assert browser.get(f"/surveys/{built.survey_id}").status_code == 200
    for url in pages[1:]:
        assert browser.get(url).status_code == 403, url
    assert browser.client.post(f"/surveys/{built.survey_id}/demographics",
                               data={"csrf_token": browser.csrf_token("/")}).status_code == 403


def test_question_settings_are_checked(app, browser, build_survey, clock):
    built = build_survey(published=False, demographics=False)
    clock(T0 + DAY)
    browser.sign_in(built.facilitator)
    url = f"/surveys/{built.survey_id}/questions/new"
    one_option = browser.submit(url + "?type=single", {"type": "single", "prompt_en": "Pick", "options_en": "Only one"})
    assert one_option.status_code == 422
    page = one_option.get_data(as_text=True)
    assert "Give at least two options." in page and "Only one" in page
    too_many = browser.submit(url + "?type=ranking", {"type": "ranking", "prompt_en": "Rank",
                                                      "options_en": "\n".join(f"Theme {n}" for n in range(8))})
    assert "A ranking has at most 7 options." in too_many.get_data(as_text=True)
    no_prompt = browser.submit(url + "?type=scale", {"type": "scale", "prompt_en": "", "scale": "1-5"})
    assert "Write the question." in no_prompt.get_data(as_text=True)
    picks = browser.submit(url + "?type=multiple", {"type": "multiple", "prompt_en": "Pick", "options_en": "A\nB",
                                                    "max_choices": "3"})
    assert "The maximum of picks must be between 1 and the number of options." in picks.get_data(as_text=True)
    unknown = browser.submit(url + "?type=nonsense", {"type": "nonsense", "prompt_en": "Pick", "options_en": "A\nB"})
    assert unknown.status_code == 422 and "Not a valid choice" in unknown.get_data(as_text=True)
    with app.app_context():
        assert len(_survey(app, built.survey_id).questions) == 5


def test_the_demographic_block_is_added_once_and_always_optional(app, browser, build_survey, clock):
    built = build_survey(published=False, demographics=False)
    clock(T0 + DAY)
    browser.sign_in(built.facilitator)
    editor = f"/surveys/{built.survey_id}/questions"
    first = browser.submit(f"/surveys/{built.survey_id}/demographics", form_url=editor, follow_redirects=True)
    assert "Demographic questions added: 4." in first.get_data(as_text=True)
    again = browser.submit(f"/surveys/{built.survey_id}/demographics", form_url=editor, follow_redirects=True)
    assert "Demographic questions added: 0." in again.get_data(as_text=True)
    with app.app_context():
        demographic = [q for q in _survey(app, built.survey_id).questions if q.demographic]
        assert [q.demographic for q in demographic] == ["age", "gender", "occupation", "district"]
        for question in demographic:
            assert question.type == "single" and not question.required
            assert question.options[-1].key == "prefer_not"
            assert question.options[-1].label == {"uk": "Не бажаю вказувати", "en": "Prefer not to say",
                                                  "es": "Prefiero no decirlo"}
        assert demographic[0].prompt["uk"] and demographic[0].prompt["es"]


def test_questions_are_reordered_and_removed_before_answers(app, browser, build_survey, clock):
    built = build_survey(published=False, demographics=False)
    clock(T0 + DAY)
    browser.sign_in(built.facilitator)
    editor = f"/surveys/{built.survey_id}/questions"
    browser.submit(f"/surveys/{built.survey_id}/questions/{built.q['rating']}/move", {"direction": "up"}, form_url=editor)
    browser.submit(f"/surveys/{built.survey_id}/questions/{built.q['idea']}/delete", form_url=editor)
    with app.app_context():
        order = [q.id for q in _survey(app, built.survey_id).questions]
    assert order == [built.q["transport"], built.q["rating"], built.q["services"], built.q["priorities"]]


def test_after_the_first_answer_meaning_is_locked_but_wording_is_not(app, browser, build_survey, answer_as, create_user, clock):
    built = build_survey()
    clock(T0 + DAY)
    resident = create_user()
    answer_as(built, {built.q["transport"]: {"option": built.o["transport.Metro"]}}, user_id=resident.id)
    browser.sign_in(built.facilitator)
    editor = f"/surveys/{built.survey_id}/questions"
    page = browser.get(editor).get_data(as_text=True)
    assert "People have already answered this survey" in page
    assert f"/questions/{built.q['idea']}/delete" not in page

    removed = browser.submit(f"/surveys/{built.survey_id}/questions/{built.q['idea']}/delete", form_url=editor,
                             follow_redirects=True)
    assert "People have already answered, so questions cannot be removed." in removed.get_data(as_text=True)
    edit = f"/surveys/{built.survey_id}/questions/{built.q['transport']}/edit"
    assert "Fix the wording only" in browser.get(edit).get_data(as_text=True)
    changed_type = browser.submit(edit, {"type": "multiple", "prompt_en": "How do you travel?",
                                         "options_en": "Bus\nMetro\nBicycle", "allow_other": "y", "required": "y"})
    assert changed_type.status_code == 422
    assert "cannot change" in changed_type.get_data(as_text=True)
    fewer = browser.submit(edit, {"type": "single", "prompt_en": "How do you travel?", "options_en": "Bus\nMetro",
                                  "allow_other": "y", "required": "y"})
    assert fewer.status_code == 422
    no_other = browser.submit(edit, {"type": "single", "prompt_en": "How do you travel?",
                                     "options_en": "Bus\nMetro\nBicycle", "required": "y"})
    assert no_other.status_code == 422
    wording = browser.submit(edit, {"type": "single", "prompt_en": "How do you usually travel?",
                                    "options_en": "Bus or trolleybus\nMetro\nBicycle", "allow_other": "y", "required": "y"})
    assert wording.status_code == 302
    with app.app_context():
        question = next(q for q in _survey(app, built.survey_id).questions if q.id == built.q["transport"])
        assert question.prompt["en"] == "How do you usually travel?"
        assert [o.id for o in question.options] == [built.o["transport.Bus"], built.o["transport.Metro"],
                                                    built.o["transport.Bicycle"]]
        assert question.options[0].label["en"] == "Bus or trolleybus"
    # The saved answer still points at the same option.
    review = browser.sign_out() and None
    browser.sign_in(resident)
    assert "Metro" in browser.get(f"/surveys/{built.survey_id}/my-answer").get_data(as_text=True)
    # A survey with answers stays published.
    browser.sign_out()
    browser.sign_in(built.facilitator)
    kept = browser.submit(f"/surveys/{built.survey_id}/unpublish", form_url=editor, follow_redirects=True)
    assert "The survey has answers, so it stays published." in kept.get_data(as_text=True)


def test_survey_dates_must_be_in_order(app, browser, create_user, create_round, clock):
    clock(T0 + DAY)
    facilitator = create_user(roles=("facilitator",))
    round_id = create_round(facilitators=[facilitator])
    browser.sign_in(facilitator)
    response = browser.submit(f"/rounds/{round_id}/surveys/new", {
        "title_en": "Backwards", "opens_at": "2026-04-01T12:00", "closes_at": "2026-03-01T12:00",
        "results_visibility": "live",
    })
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "The survey must close after it opens." in page and 'value="Backwards"' in page
    missing = browser.submit(f"/rounds/{round_id}/surveys/new", {"title_en": "", "opens_at": "", "closes_at": "x"})
    assert missing.status_code == 422
    text = missing.get_data(as_text=True)
    assert "Enter a title in the round’s default language." in text and "Enter when the survey opens." in text
