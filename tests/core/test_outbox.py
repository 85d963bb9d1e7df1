"""Every email goes through the outbox: a request only writes it, a sender delivers it.

With the production setting (no sending at the end of a request) a mail server that hangs or fails
cannot hold up a web worker, and its emails wait in the outbox until the worker sends them.
"""
import smtplib

import pytest
from sqlalchemy import select

from engage.core.outbox import OutboxMessage
from engage.extensions import db


@pytest.fixture
def worker_only(app):
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = False
    app.config["MAIL_BACKEND"] = "smtp"
    yield
    app.config["OUTBOX_SEND_AFTER_REQUEST"] = True
    app.config["MAIL_BACKEND"] = "log"


class Refused:
    """A mail server the request must never reach."""

    opened = 0

    def __init__(self, *a, **k):
        Refused.opened += 1
        raise ConnectionRefusedError("no mail server")


def rows(app):
    with app.app_context():
        found = db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
        db.session.expunge_all()
        return found


def test_account_emails_are_written_not_sent_by_the_request(app, browser, create_user, monkeypatch, worker_only):
    Refused.opened = 0
    monkeypatch.setattr(smtplib, "SMTP", Refused)
    known = create_user(email="known@example.org")

    browser.submit("/account/register", {"email": "new@example.org", "display_name": "New Person",
                                         "password": "a long enough password", "locale": "en", "accept_privacy": "y"})
    browser.submit("/account/forgot-password", {"email": known.email})
    browser.submit("/account/register", {"email": known.email, "display_name": "Again",
                                         "password": "a long enough password", "locale": "en", "accept_privacy": "y"})
    browser.sign_in(known)
    browser.submit("/account/email", {"email": "moved@example.org", "current_password": known.password})

    assert Refused.opened == 0  # no request talked to the mail server
    written = rows(app)
    assert [(m.to, m.status, m.attempts) for m in written] == [
        ("new@example.org", "pending", 0),  # confirm your address
        ("known@example.org", "pending", 0),  # reset link
        ("known@example.org", "pending", 0),  # someone tried to register with your address
        ("moved@example.org", "pending", 0),  # confirm the new address
    ]
    assert "/account/confirm/" in written[0].text and "/account/reset-password/" in written[1].text
    assert "/account/email/confirm/" in written[3].text


def test_the_worker_retries_what_the_mail_server_refused_and_then_sends_it(app, browser, create_user, runner,
                                                                         monkeypatch, worker_only):
    person = create_user()
    browser.submit("/account/forgot-password", {"email": person.email})
    monkeypatch.setattr(smtplib, "SMTP", Refused)
    result = runner.invoke(args=["outbox", "send"])
    assert "sent 0, to retry 1" in result.output
    [message] = rows(app)
    assert (message.status, message.attempts, message.last_error) == ("pending", 1, "no mail server")

    delivered = []

    class Server:
        def __init__(self, *a, **k):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def send_message(self, email):
            delivered.append(email["To"])

    monkeypatch.setattr(smtplib, "SMTP", Server)
    with app.app_context():
        db.session.execute(OutboxMessage.__table__.update().values(next_attempt_at=message.created_at))
        db.session.commit()
    assert "sent 1, to retry 0" in runner.invoke(args=["outbox", "send"]).output
    assert delivered == [person.email]
    assert rows(app)[0].status == "sent"


def test_without_a_worker_emails_are_sent_when_the_request_ends(app, browser, create_user, outbox):
    """The development quick start runs no worker: the reset link still arrives, and is marked sent."""
    person = create_user()
    browser.submit("/account/forgot-password", {"email": person.email})
    [message] = outbox.to(person.email)
    assert "/account/reset-password/" in message.text
    [row] = rows(app)
    assert row.status == "sent" and row.sent_at is not None


def test_an_email_of_a_request_that_failed_is_never_sent(app, create_user, outbox):
    from engage.core import mail, outbox as box

    person = create_user()
    with app.test_request_context("/"):
        box.queue(mail.Message(to=person.email, subject="s", text="t"))
        db.session.rollback()
    assert outbox.to(person.email) == [] and rows(app) == []
