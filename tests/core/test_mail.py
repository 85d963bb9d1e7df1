"""The mail service: failures are logged, never a 500."""
import smtplib

from engage.core import mail


def test_smtp_failure_keeps_the_email_in_the_outbox(app, browser, create_user, caplog, monkeypatch):
    """The request only writes the email; a mail server that fails leaves it waiting for the next try."""
    from sqlalchemy import select

    from engage.core.outbox import OutboxMessage
    from engage.extensions import db

    person = create_user()

    class Broken:
        def __init__(self, *a, **k):
            raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(smtplib, "SMTP", Broken)
    app.config["MAIL_BACKEND"] = "smtp"
    try:
        response = browser.submit("/account/forgot-password", {"email": person.email}, follow_redirects=True)
    finally:
        app.config["MAIL_BACKEND"] = "log"
    assert response.status_code == 200
    assert any("will retry" in r.getMessage() and "no mail server" in r.getMessage() for r in caplog.records)
    with app.app_context():
        [message] = db.session.scalars(select(OutboxMessage)).all()
        assert (message.to, message.status, message.attempts) == (person.email, "pending", 1)
        assert message.last_error == "no mail server" and "reset" in message.text


def test_smtp_backend_sends_a_multipart_message(app, monkeypatch):
    sent = []

    class FakeSMTP:
        def __init__(self, host, port, timeout):
            self.args = (host, port)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def starttls(self, context=None):
            sent.append("tls")

        def login(self, user, password):
            sent.append(("login", user))

        def send_message(self, email):
            sent.append(email)

    monkeypatch.setattr(smtplib, "SMTP", FakeSMTP)
    with app.app_context():
        app.config.update(MAIL_BACKEND="smtp", MAIL_USE_TLS=True, MAIL_USERNAME="engage")
        try:
            ok = mail.send(mail.Message(to="a@example.org", subject="Тема", text="Текст", html="<p>Текст</p>"))
        finally:
            app.config.update(MAIL_BACKEND="log", MAIL_USE_TLS=False, MAIL_USERNAME=None)
    assert ok
    assert sent[0] == "tls" and sent[1] == ("login", "engage")
    email = sent[2]
    assert email["To"] == "a@example.org" and email["Subject"] == "Тема"
    assert email.is_multipart()


def test_messages_are_in_the_recipients_language(app, browser, create_user, outbox):
    person = create_user(locale="es")
    browser.submit("/account/forgot-password", {"email": person.email})
    [message] = outbox.to(person.email)
    assert "contraseña" in message.subject.lower() or "contraseña" in message.text.lower()


def test_unknown_backend_is_logged(app, caplog):
    with app.app_context():
        app.config["MAIL_BACKEND"] = "pigeon"
        try:
            assert mail.send(mail.Message(to="a@example.org", subject="s", text="t")) is False
        finally:
            app.config["MAIL_BACKEND"] = "log"
    assert any("unknown MAIL_BACKEND" in r.getMessage() for r in caplog.records)
