"""Sending e-mail: SMTP when MAIL_SERVER is set, else an in-memory outbox shown at /dev/outbox.

Any domain sends with `send(to, subject, body)`. The outbox exists so development and tests
see every message without a mail server; its page is served only when MAIL_DEV_OUTBOX is on
(set by `make run`) or in tests, never in production.
"""

import smtplib
from dataclasses import dataclass
from datetime import datetime
from email.message import EmailMessage
from email.utils import make_msgid

from flask import Blueprint
from flask import Flask
from flask import abort
from flask import current_app
from flask import render_template

from directory.core import jobs
from directory.core.db import utcnow
from directory.core.redis import redis_client

OUTBOX_SIZE = 200
RETRY_INTERVALS = (30, 120, 600)  # seconds before each new attempt at a failed delivery
bp = Blueprint("mail", __name__)


@dataclass(frozen=True)
class SentMessage:
    """A message as the outbox keeps it."""

    to: str
    subject: str
    body: str
    sent_at: datetime


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text message to one address (through the job queue when there is one)."""
    subject, body = str(subject), str(body)  # lazy strings: rendered now, in the caller's language
    if current_app.config.get("MAIL_SERVER"):
        if not _queued(to, subject, body):
            deliver(to, subject, body)
        return
    if not outbox_enabled():
        current_app.logger.warning("MAIL_SERVER is not set: a message was kept in memory only")
    _remember(SentMessage(to=to, subject=subject, body=body, sent_at=utcnow()))


def deliver(to: str, subject: str, body: str) -> None:
    """Hand one message to the SMTP server (a background job when Redis is configured)."""
    _send_smtp(_message(to, subject, body))


def _queued(to: str, subject: str, body: str) -> bool:
    """Queue the delivery for the workers, so a slow or unreachable SMTP server never holds a page.

    RQ retries a failed delivery three times over about ten minutes. Without Redis, or when it
    cannot be reached, the caller delivers at once as before.
    """
    if redis_client() is None:
        return False
    try:
        jobs.enqueue(f"{__name__}.deliver", to, subject, body, user_id=None, kind="mail",
                     description="e-mail", retry_intervals=RETRY_INTERVALS)  # fmt: skip
    except jobs.JobsUnavailable as error:
        current_app.logger.warning("mail: %s; sending from this request", error)
        return False
    return True


def outbox() -> list[SentMessage]:
    """Messages kept in memory, newest first."""
    return list(reversed(current_app.extensions.setdefault("mail_outbox", [])))


def outbox_enabled() -> bool:
    """Whether the development outbox page is served."""
    config = current_app.config
    return bool(config.get("MAIL_DEV_OUTBOX") or config.get("TESTING"))


def _message(to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = current_app.config["MAIL_FROM"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="badgeons")
    message.set_content(body)
    return message


def _send_smtp(message: EmailMessage) -> None:
    config = current_app.config
    host, _, port = config["MAIL_SERVER"].partition(":")
    with smtplib.SMTP(host, int(port or 25), timeout=10) as smtp:
        if config.get("MAIL_USE_TLS"):
            smtp.starttls()
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
        smtp.send_message(message)


def _remember(message: SentMessage) -> None:
    kept = current_app.extensions.setdefault("mail_outbox", [])
    kept.append(message)
    del kept[:-OUTBOX_SIZE]


@bp.get("/dev/outbox")
def outbox_page():
    if not outbox_enabled():
        abort(404)
    return render_template("core/dev_outbox.html", messages=outbox())


def init_app(app: Flask) -> None:
    """Register the development outbox page."""
    app.extensions.setdefault("mail_outbox", [])
    app.register_blueprint(bp)
