"""Notifications for each event, once, in the reader's language; choices respected; the outbox delivers once."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from engage.extensions import db


@pytest.fixture(autouse=True)
def outbox_worker_only(app):
    """These tests follow the outbox worker, so nothing is sent at the end of a request (as in production)."""
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = False
    yield
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = True


@pytest.fixture
def setting(create_round, create_user, create_proposal):
    facilitator = create_user(roles=("facilitator",), display_name="Iryna Facilitator")
    round_id = create_round(facilitators=[facilitator])
    author = create_user(display_name="Olha Author", locale="uk", email="olha@example.org")
    proposal_id = create_proposal(round_id, author, title="Відкриті дані про бюджет")
    return round_id, proposal_id, facilitator, author


def counts(app):
    from engage.core.outbox import OutboxMessage
    from engage.notifications.models import Notification

    with app.app_context():
        return (db.session.scalar(select(func.count()).select_from(Notification)),
                db.session.scalar(select(func.count()).select_from(OutboxMessage)))


def outbox_rows(app):
    from engage.core.outbox import OutboxMessage

    with app.app_context():
        rows = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return rows


def answer(browser, proposal_id, outcome="accepted", reason="It becomes commitment 2."):
    return browser.submit(f"/proposals/{proposal_id}/response",
                          {f"p{proposal_id}-outcome": outcome, f"p{proposal_id}-reason": reason})


def deliver(app):
    from engage.core.outbox import deliver_due

    with app.app_context():
        return deliver_due()


def test_an_answer_notifies_the_author_once_in_their_language(app, browser, setting, outbox):
    round_id, proposal_id, facilitator, author = setting
    browser.sign_in(facilitator)
    answer(browser, proposal_id)
    assert counts(app) == (1, 1)
    [message] = outbox_rows(app)
    assert message.to == "olha@example.org" and message.status == "pending"
    assert message.subject.startswith("Організатори відповіли на вашу пропозицію «Відкриті дані про бюджет»: Враховано.")
    assert "/notifications/unsubscribe/" in message.text and "/notifications/settings" in message.text

    assert deliver(app) == {"sent": 1, "retry": 0, "failed": 0}
    assert deliver(app) == {"sent": 0, "retry": 0, "failed": 0}  # never twice
    assert len(outbox.to("olha@example.org")) == 1

    answer(browser, proposal_id, outcome="partially_accepted", reason="Only part of it.")
    assert counts(app) == (2, 2)
    assert "оновили свою відповідь" in outbox_rows(app)[-1].subject

    browser.sign_out()
    browser.sign_in(author)
    page = browser.get("/notifications/").get_data(as_text=True)
    assert "Організатори відповіли на вашу пропозицію" in page
    assert 'class="badge badge-count"' in browser.get("/").get_data(as_text=True)


def test_replies_notify_the_commenter_but_not_oneself(app, browser, create_user, setting, clock):
    round_id, proposal_id, _, author = setting
    clock.to_phase("deliberation")
    browser.sign_in(author)
    location = browser.submit(f"/proposals/{proposal_id}/comments", {"body": "Чи буде це щотижня?"}).headers["Location"]
    comment_id = location.rsplit("comment-", 1)[1]
    browser.submit(f"/proposals/{proposal_id}/comments", {"body": "Уточнюю своє питання.", "parent_id": comment_id})
    assert counts(app) == (0, 0)
    browser.sign_out()
    browser.sign_in(create_user(display_name="Taras Neighbour"))
    browser.submit(f"/proposals/{proposal_id}/comments", {"body": "Так, щопонеділка.", "parent_id": comment_id})
    assert counts(app)[0] == 1
    assert "Taras Neighbour відповів(-ла) на ваш коментар." in outbox_rows(app)[0].subject


def test_moderation_notifies_with_the_reason(app, browser, create_user, setting):
    round_id, proposal_id, _, author = setting
    moderator = create_user(roles=("moderator",))
    browser.sign_in(moderator)
    browser.submit(f"/moderation/proposal/{proposal_id}/hide", {"reason": "Містить номер телефону"},
                   form_url=f"/moderation/proposal/{proposal_id}")
    browser.submit(f"/moderation/proposal/{proposal_id}/restore", {"reason": ""},
                   form_url=f"/moderation/proposal/{proposal_id}")
    subjects = [m.subject for m in outbox_rows(app)]
    assert subjects[0].startswith("Вашу пропозицію приховано модерацією: Містить номер телефону")
    assert subjects[1].startswith("Ваша пропозиція знову видима.")


def test_phase_changes_reach_followers_once(app, browser, create_user, create_round, clock):
    from tests.conftest import phase_start

    round_id = create_round()
    follower = create_user(locale="en")
    browser.sign_in(follower)
    browser.submit(f"/rounds/{round_id}/follow", form_url=f"/rounds/{round_id}")
    from engage.notifications.services import announce_phases

    clock.to_phase("deliberation", offset=timedelta(hours=2))
    with app.app_context():
        # Earlier phases began long ago: marked, not announced. Deliberation began two hours ago.
        assert announce_phases() == 1
        assert announce_phases() == 0
    assert counts(app) == (1, 1)
    assert outbox_rows(app)[0].subject.startswith("“Co-creation of the Kyiv OGP Local Action Plan” is now in its “Deliberation” phase.")
    clock(phase_start("prioritisation") + timedelta(minutes=5))
    with app.app_context():
        assert announce_phases() == 1
    assert counts(app) == (2, 2)


def test_choices_are_respected(app, browser, setting, clock, create_user):
    round_id, proposal_id, facilitator, author = setting
    browser.sign_in(author)
    page = browser.get("/notifications/settings").get_data(as_text=True)
    assert len(re.findall(r'<input checked[^>]*value="email"', page)) == 6  # every kind, by email unless chosen otherwise
    saved = browser.submit("/notifications/settings", {"kind_response": "site", "kind_reply": "email",
                                                      "kind_phase": "email", "kind_moderation": "email",
                                                      "kind_meeting": "email", "kind_organisation": "email"})
    assert saved.status_code == 302
    browser.sign_out()
    browser.sign_in(facilitator)
    answer(browser, proposal_id)
    assert counts(app) == (1, 0)  # on the site, not by email


def test_unsubscribe_link_stops_one_kind(app, browser, setting):
    round_id, proposal_id, facilitator, author = setting
    browser.sign_in(facilitator)
    answer(browser, proposal_id)
    browser.sign_out()
    link = re.search(r"https?://\S+/notifications/unsubscribe/\S+", outbox_rows(app)[0].text).group(0)
    path = link.split("localhost", 1)[-1] if "localhost" in link else "/" + link.split("/", 3)[3]
    assert "Stop emails for" in browser.get(path).get_data(as_text=True) or "Припинити" in browser.get(path).get_data(as_text=True)
    browser.submit(path, {})
    with app.app_context():
        from engage.auth.models import User
        from engage.notifications.services import email_choices

        choices = email_choices(db.session.get(User, author.id))
    assert choices["response"] is False and choices["reply"] is True
    assert browser.get("/notifications/unsubscribe/not-a-token").status_code == 400


def test_opening_marks_read_and_mark_all(app, browser, create_user, setting):
    round_id, proposal_id, facilitator, author = setting
    other = create_user()
    browser.sign_in(facilitator)
    answer(browser, proposal_id)
    answer(browser, proposal_id, outcome="not_accepted", reason="Changed our mind.")
    browser.sign_out()
    from engage.notifications.models import Notification

    with app.app_context():
        first_id = db.session.scalar(select(func.min(Notification.id)))
    browser.sign_in(other)
    assert browser.get(f"/notifications/{first_id}").status_code == 404  # not theirs
    browser.sign_out()
    browser.sign_in(author)
    opened = browser.get(f"/notifications/{first_id}")
    assert opened.status_code == 302 and opened.headers["Location"].endswith(f"/proposals/{proposal_id}")
    assert 'aria-label="1 непрочитане"' in browser.get("/").get_data(as_text=True) or ">1</span>" in browser.get("/").get_data(as_text=True)
    browser.submit("/notifications/read", form_url="/notifications/")
    assert 'class="badge badge-count"' not in browser.get("/").get_data(as_text=True)


def test_outbox_retries_after_a_failure_and_never_duplicates(app, create_user, setting, outbox, monkeypatch, clock):
    from engage.core import mail
    from engage.core.time import utcnow
    from engage.notifications import services

    round_id, proposal_id, facilitator, author = setting
    with app.app_context():
        from engage.auth.models import User

        services.notify(db.session.get(User, author.id), "response", "/", title="T", outcome="accepted")
        db.session.commit()
    failures = {"left": 2}
    real = mail.BACKENDS["log"]

    def flaky(message, config):
        if failures["left"]:
            failures["left"] -= 1
            raise OSError("connection refused")
        real(message, config)

    monkeypatch.setitem(mail.BACKENDS, "log", flaky)
    start = utcnow()
    clock(start)
    assert deliver(app) == {"sent": 0, "retry": 1, "failed": 0}
    [row] = outbox_rows(app)
    assert row.attempts == 1 and row.last_error == "connection refused" and row.next_attempt_at == start + timedelta(minutes=1)
    assert deliver(app) == {"sent": 0, "retry": 0, "failed": 0}  # not due yet
    clock(start + timedelta(minutes=1))
    assert deliver(app)["retry"] == 1
    assert outbox_rows(app)[0].next_attempt_at == start + timedelta(minutes=3)
    clock(start + timedelta(minutes=3))
    assert deliver(app) == {"sent": 1, "retry": 0, "failed": 0}
    clock(start + timedelta(days=2))
    assert deliver(app) == {"sent": 0, "retry": 0, "failed": 0}
    assert len(outbox.to("olha@example.org")) == 1
    assert outbox_rows(app)[0].status == "sent"


def test_outbox_gives_up_and_keeps_the_error(app, setting, monkeypatch, clock):
    from engage.core import mail
    from engage.core.time import utcnow
    from engage.notifications import services

    round_id, proposal_id, facilitator, author = setting
    app.config["OUTBOX_MAX_ATTEMPTS"] = 3
    try:
        with app.app_context():
            from engage.auth.models import User

            services.notify(db.session.get(User, author.id), "response", "/", title="T", outcome="accepted")
            db.session.commit()

        def broken(message, config):
            raise OSError("mailbox unavailable")

        monkeypatch.setitem(mail.BACKENDS, "log", broken)
        moment = utcnow()
        results = []
        for _ in range(4):
            clock(moment)
            results.append(deliver(app))
            moment += timedelta(days=1)
        assert [r["failed"] for r in results] == [0, 0, 1, 0]
        [row] = outbox_rows(app)
        assert row.status == "failed" and row.attempts == 3 and row.last_error == "mailbox unavailable"
    finally:
        app.config["OUTBOX_MAX_ATTEMPTS"] = 8


def test_only_one_sender_claims_a_message(app, setting):
    from engage.notifications import services

    round_id, proposal_id, facilitator, author = setting
    with app.app_context():
        from engage.auth.models import User

        services.notify(db.session.get(User, author.id), "response", "/", title="T", outcome="accepted")
        db.session.commit()
        [message_id] = [m.id for m in outbox_rows(app)]
        from engage.core import outbox

        assert outbox._claim(message_id) is True
        assert outbox._claim(message_id) is False


def test_outbox_commands(app, runner, setting, outbox):
    round_id, proposal_id, facilitator, author = setting
    with app.app_context():
        from engage.auth.models import User
        from engage.notifications import services

        services.notify(db.session.get(User, author.id), "response", "/", title="T", outcome="accepted")
        db.session.commit()
    result = runner.invoke(args=["outbox", "send"])
    assert result.exit_code == 0 and "sent 1, to retry 0, given up 0" in result.output
    worked = runner.invoke(args=["outbox", "work", "--interval", "0", "--runs", "2"])
    assert worked.exit_code == 0
    assert len(outbox.to("olha@example.org")) == 1
