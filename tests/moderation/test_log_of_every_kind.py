"""The record of moderation actions lists every kind of content moderated, survey answers included."""
from tests.conftest import DAY, T0
from tests.surveys.conftest import answer_as, build_survey  # noqa: F401  (fixtures)


def test_a_hidden_survey_answer_is_in_the_record(app, browser, create_user, build_survey, answer_as, clock):  # noqa: F811
    from engage.auth.models import User
    from engage.extensions import db
    from engage.surveys import services
    from engage.surveys.models import AnswerItem

    built = build_survey()
    clock(T0 + DAY)
    answer_as(built, {built.q["idea"]: "Call the mayor a fool"}, user_id=create_user().id)
    moderator = create_user(roles=("moderator",))
    with app.app_context():
        item = db.session.scalar(db.select(AnswerItem).where(AnswerItem.question_id == built.q["idea"]))
        services.hide_text_answer(item, db.session.get(User, moderator.id), "An insult")
        db.session.commit()
        item_id = item.id
    browser.sign_in(moderator)
    page = browser.get("/moderation/log")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert f"Survey answer #{item_id}" in text and "An insult" in text
