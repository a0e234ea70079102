"""Delivery of the outbox through a real SMTP server (aiosmtpd on localhost)."""

import email
import socket
from email.policy import default as default_policy

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select

from ideas.core.mail import OutboxMessage, deliver_pending, queue_mail


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Collector:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    handler = Collector()
    controller = Controller(handler, hostname="127.0.0.1", port=_free_port())
    controller.start()
    try:
        yield controller, handler
    finally:
        controller.stop()


def test_deliver_through_real_smtp_server(app, db, smtp_server):
    controller, handler = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port,
                      MAIL_DEFAULT_SENDER="Ideas Commons <noreply@example.org>")
    queue_mail("jana@example.org", "Potvrďte svůj e-mail, Jano", "Dobrý den, žluťoučký kůň úpěl ďábelské ódy.")
    db.session.commit()

    assert deliver_pending(app.config) == (1, 0, 0)

    [envelope] = handler.messages
    assert envelope.rcpt_tos == ["jana@example.org"]
    parsed = email.message_from_bytes(envelope.original_content, policy=default_policy)
    assert parsed["Subject"] == "Potvrďte svůj e-mail, Jano"
    assert parsed["To"] == "jana@example.org"
    assert "žluťoučký kůň úpěl ďábelské ódy" in parsed.get_body(("plain",)).get_content()
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is not None and message.attempts == 1 and message.last_error is None
    # nothing left to send
    assert deliver_pending(app.config) == (0, 0, 0)
    assert len(handler.messages) == 1


def test_failed_delivery_keeps_message_pending(app, db):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())  # nobody listens
    queue_mail("jana@example.org", "Ahoj", "Zkouška")
    db.session.commit()

    assert deliver_pending(app.config) == (0, 1, 0)

    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None
    assert message.attempts == 1
    assert message.last_error and "Connection" in message.last_error
    assert message.next_attempt_at > message.created_at


def test_mail_send_command_prints_counts(app, db, smtp_server):
    controller, handler = smtp_server
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=controller.port)
    queue_mail("jana@example.org", "Ahoj", "Zkouška")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send", "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert "sent: 1, failed: 0" in result.output
    assert len(handler.messages) == 1


def test_without_smtp_mail_is_kept_locally_and_printed_not_marked_sent(app, db):
    queue_mail("jana@example.org", "Potvrďte e-mail", "Otevřete http://localhost/verify/abc.def")
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert result.exit_code == 0, result.output
    # The whole message is on the console (stdout), whatever the log level.
    assert "To: jana@example.org" in result.output and "Subject: Potvrďte e-mail" in result.output
    assert "http://localhost/verify/abc.def" in result.output
    assert "kept locally: 1" in result.output and "sent: 1" not in result.output
    message = db.session.scalar(select(OutboxMessage))
    assert message.sent_at is None  # never "sent" as if it went over SMTP
    assert message.kept_locally_at is not None and message.state == "kept locally"
    again = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "kept locally: 0" in again.output  # kept once, not printed again


def test_message_states(app, db):
    message = queue_mail("a@example.org", "s", "b")
    assert message.state == "pending"
    message.attempts = 8
    assert message.state == "failed"


def _verification_mail_posted(app, client, capsys):
    response = client.post("/register", {"email": "newcomer@example.org", "display_name": "Newcomer",
                                          "password": "a long enough password"})
    assert response.status_code == 303
    return capsys.readouterr().out


def test_the_server_prints_mail_after_the_request_that_queued_it(app, db, client, capsys):
    app.config["TESTING"] = False  # as `make run` serves it (tests keep mail queued by default)
    out = _verification_mail_posted(app, client, capsys)
    assert "To: newcomer@example.org" in out and "/verify/" in out
    message = db.session.scalar(select(OutboxMessage))
    assert message.kept_locally_at is not None and message.sent_at is None


def test_the_server_leaves_mail_to_smtp_when_configured(app, db, client, capsys):
    app.config.update(TESTING=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=_free_port())
    out = _verification_mail_posted(app, client, capsys)
    assert "To: newcomer@example.org" not in out
    message = db.session.scalar(select(OutboxMessage))
    assert message.kept_locally_at is None and message.sent_at is None and message.attempts == 0
