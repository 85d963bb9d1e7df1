"""A small mail service: rendering messages and handing them to a backend.

Nothing in a request sends mail: features write messages to the outbox (engage.core.outbox), whose
senders call :func:`deliver`. Backends: ``smtp`` sends through an SMTP server; ``log`` (the development
default) writes the whole message to the ``engage.mail`` logger, so a
developer can follow confirmation links from the console. A failure to send is
logged and reported as ``False``; it never breaks the request.
"""
from __future__ import annotations

import logging
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import make_msgid

from flask import current_app, render_template
from flask_babel import force_locale
from jinja2 import TemplateNotFound

log = logging.getLogger("engage.mail")


@dataclass(frozen=True)
class Message:
    to: str
    subject: str
    text: str
    html: str | None = None

    def to_email(self, sender: str) -> EmailMessage:
        email = EmailMessage()
        email["From"] = sender
        email["To"] = self.to
        email["Subject"] = self.subject
        email["Message-ID"] = make_msgid(domain="engage")
        email.set_content(self.text)
        if self.html:
            email.add_alternative(self.html, subtype="html")
        return email


def _send_log(message: Message, config) -> None:
    log.info(
        "mail to %s\nSubject: %s\n\n%s",
        message.to,
        message.subject,
        message.text,
        extra={"mail_message": message},
    )


def _send_smtp(message: Message, config) -> None:
    email = message.to_email(config["MAIL_DEFAULT_SENDER"])
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    if config["MAIL_USE_SSL"]:
        server: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(host, port, timeout=timeout)
    with server:
        if config["MAIL_USE_TLS"] and not config["MAIL_USE_SSL"]:
            server.starttls(context=ssl.create_default_context())
        if config["MAIL_USERNAME"]:
            server.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"] or "")
        server.send_message(email)


BACKENDS = {"log": _send_log, "smtp": _send_smtp}


class MailError(Exception):
    """The message could not be handed over (unknown backend, SMTP or network failure)."""


def deliver(message: Message) -> None:
    """Hand ``message`` to the configured backend, or raise :class:`MailError`."""
    config = current_app.config
    backend = BACKENDS.get(config["MAIL_BACKEND"])
    if backend is None:
        raise MailError(f"unknown MAIL_BACKEND {config['MAIL_BACKEND']!r}")
    try:
        backend(message, config)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailError(str(exc) or exc.__class__.__name__) from exc


def send(message: Message) -> bool:
    """Send ``message``; return whether it was handed over. Failures are logged."""
    try:
        deliver(message)
    except MailError as exc:
        log.error("sending mail to %s failed: %s", message.to, exc)
        return False
    return True


def render_message(to: str, template: str, locale: str, **context) -> Message:
    """Render ``templates/email/<template>.txt`` (and ``.html`` if present) in ``locale``.

    The first line of the text template is the subject.
    """
    with force_locale(locale):
        rendered = render_template(f"email/{template}.txt", **context)
        subject, _, body = rendered.strip().partition("\n")
        try:
            html = render_template(f"email/{template}.html", **context)
        except TemplateNotFound:  # an HTML part is optional
            html = None
    site = current_app.config["SITE_NAME"]
    return Message(to=to, subject=f"{subject.strip()} · {site}", text=body.strip() + "\n", html=html)
