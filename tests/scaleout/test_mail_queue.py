"""E-mail goes through a real SMTP server on loopback: queued for a worker with Redis, sent at once without."""

import socket
import time

import pytest
from aiosmtpd.controller import Controller

from directory.core import mail
from directory.core import redis as redis_ext
from tests.scaleout.servers import base_env
from tests.scaleout.servers import flask

pytestmark = pytest.mark.scaleout


class Inbox:
    """An aiosmtpd handler that keeps what it receives."""

    def __init__(self):
        self.messages: list[tuple[list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield inbox, f"127.0.0.1:{controller.port}"
    controller.stop()


def received(inbox: Inbox, count: int, seconds: float = 10) -> list:
    deadline = time.monotonic() + seconds
    while len(inbox.messages) < count and time.monotonic() < deadline:
        time.sleep(0.05)  # the SMTP server runs in its own thread
    return inbox.messages


def test_without_redis_a_message_is_sent_at_once(app, smtp, monkeypatch):
    inbox, server = smtp
    monkeypatch.setitem(app.config, "MAIL_SERVER", server)
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, None)
    with app.app_context():
        mail.send("lea@exemple.fr", "Votre badge", "Bonjour Léa,\nVotre badge vous attend.")
    [(recipients, content)] = received(inbox, 1)
    assert recipients == ["lea@exemple.fr"] and "Subject: Votre badge" in content


def test_with_redis_a_worker_delivers_it(app, smtp, redis_url, queue_name, monkeypatch, tmp_path):
    inbox, server = smtp
    monkeypatch.setitem(app.config, "MAIL_SERVER", server)
    monkeypatch.setitem(app.config, "JOBS_QUEUE", queue_name)
    monkeypatch.setitem(app.extensions, redis_ext.EXTENSION, redis_ext.connect(redis_url))
    with app.app_context():
        mail.send("lea@exemple.fr", "Votre badge", "Bonjour Léa,\nVotre badge vous attend.")
    assert received(inbox, 1, seconds=0.5) == []  # queued, not sent by the request

    env = base_env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'worker.db'}", REDIS_URL=redis_url,
                   JOBS_QUEUE=queue_name, MAIL_SERVER=server)  # fmt: skip
    flask(env, "worker", "--burst", timeout=120)
    [(recipients, content)] = received(inbox, 1)
    assert recipients == ["lea@exemple.fr"] and "Votre badge vous attend." in content.replace("=\n", "")
