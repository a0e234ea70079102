"""The outbox: mail is queued in the database with the change that causes it and
delivered later by `flask mail send`, so a rolled-back change sends nothing and a
failed delivery is retried.

`kind` separates account mail (verification, password reset: always sent) from
notification mail (sent only to members who consented).

Without MAIL_SERVER (development) nothing pretends to be sent: a message is *kept
locally* (`kept_locally_at`, not `sent_at`), printed on the console, and readable
by the site admin at /admin/mailbox. `flask mail send` does this, and so does the
server itself right after a request that queued mail (MAIL_LOCAL_AFTER_REQUEST), so
a newcomer running `make run` sees the verification link at once.
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
import sys
from collections.abc import Callable
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from typing import NamedTuple

from flask import Flask, g, has_request_context
from sqlalchemy import JSON, CheckConstraint, Index, String, Text, select
from sqlalchemy.orm import Mapped, mapped_column

from ideas.core.db import utcnow
from ideas.extensions import db

log = logging.getLogger(__name__)

MAIL_KINDS = ("account", "notification")
MAX_ATTEMPTS = 8


class OutboxMessage(db.Model):
    __tablename__ = "outbox_messages"
    __table_args__ = (
        CheckConstraint("kind IN ('account', 'notification')", name="kind"),
        Index("ix_outbox_pending", "sent_at", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    to_address: Mapped[str] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(String(250))
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Extra headers (List-Unsubscribe and List-Unsubscribe-Post of RFC 8058, ...).
    headers: Mapped[dict | None] = mapped_column(JSON)
    kind: Mapped[str] = mapped_column(String(20), default="account")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]  # handed to the SMTP server
    kept_locally_at: Mapped[datetime | None]  # no SMTP configured: printed and kept here
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)

    @property
    def state(self) -> str:
        """sent, kept locally, failed (given up), or pending."""
        if self.sent_at is not None:
            return "sent"
        if self.kept_locally_at is not None:
            return "kept locally"
        if (self.attempts or 0) >= MAX_ATTEMPTS:
            return "failed"
        return "pending"


class Delivery(NamedTuple):
    sent: int
    failed: int
    kept: int = 0


def queue_mail(
    to_address: str, subject: str, body_text: str, *, body_html: str | None = None,
    kind: str = "account", headers: dict[str, str] | None = None,
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction (not sent yet)."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    message = OutboxMessage(
        to_address=to_address, subject=subject, body_text=body_text, body_html=body_html, kind=kind,
        headers=dict(headers) if headers else None,
    )
    db.session.add(message)
    if has_request_context():
        g.mail_queued = True
    return message


def _build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="ideas.local")
    for name, value in (message.headers or {}).items():
        email[name] = value
    email.set_content(message.body_text)
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html")
    return email


def _connect(config) -> smtplib.SMTP:
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    if config.get("MAIL_USE_SSL"):
        smtp: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=30, context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=30)
        if config.get("MAIL_USE_TLS"):
            smtp.starttls(context=ssl.create_default_context())
    if config.get("MAIL_USERNAME"):
        smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
    return smtp


def _due(now: datetime, limit: int) -> list[OutboxMessage]:
    return list(db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.kept_locally_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ))


def console_text(message: OutboxMessage) -> str:
    """How a message kept locally reads on the console."""
    rule = "-" * 72
    return (f"{rule}\nMail kept locally (no MAIL_SERVER set), #{message.id}\n"
            f"To: {message.to_address}\nSubject: {message.subject}\n\n{message.body_text.rstrip()}\n{rule}")


def _print(text: str) -> None:
    print(text, file=sys.stdout, flush=True)


def deliver_pending(config, *, limit: int = 500, now: datetime | None = None,
                    echo: Callable[[str], None] = _print) -> Delivery:
    """Deliver due messages; returns Delivery(sent, failed, kept). Commits after each.

    Without MAIL_SERVER a message is kept locally: printed through `echo` (stdout) and
    marked `kept_locally_at`, never `sent_at`. A failure keeps the message pending with
    its error and backs off exponentially; after MAX_ATTEMPTS it is no longer retried.
    """
    now = now or utcnow()
    due = _due(now, limit)
    if not due:
        return Delivery(0, 0, 0)
    if not config.get("MAIL_SERVER"):
        for message in due:
            echo(console_text(message))
            log.warning("mail #%s to %s kept locally (no MAIL_SERVER): %s", message.id,
                        message.to_address, message.subject)
            message.kept_locally_at = now
            message.attempts += 1
            db.session.commit()
        return Delivery(0, 0, len(due))
    sent = failed = 0
    try:
        smtp = _connect(config)
    except (OSError, smtplib.SMTPException) as exc:
        for message in due:
            _failed(message, exc, now)
        db.session.commit()
        return Delivery(0, len(due), 0)
    try:
        for message in due:
            try:
                smtp.send_message(_build(message, config["MAIL_DEFAULT_SENDER"]))
                message.sent_at = now
                message.attempts += 1
                message.last_error = None
                sent += 1
            except (OSError, smtplib.SMTPException) as exc:
                _failed(message, exc, now)
                failed += 1
            db.session.commit()
    finally:
        with contextlib.suppress(OSError, smtplib.SMTPException):
            smtp.quit()
    return Delivery(sent, failed, 0)


def init_app(app: Flask) -> None:
    """Without SMTP, keep the mail a request queued locally as soon as it is committed,
    so the development server prints it (MAIL_LOCAL_AFTER_REQUEST; not in tests)."""

    @app.after_request
    def _keep_local_mail(response):
        config = app.config
        if (g.pop("mail_queued", False) and not config.get("MAIL_SERVER")
                and config.get("MAIL_LOCAL_AFTER_REQUEST") and not config.get("TESTING")
                and response.status_code < 400):
            try:
                deliver_pending(config, limit=50)
            except Exception:  # a development convenience must never break the response
                db.session.rollback()
                log.exception("could not keep the queued mail locally")
        return response


def _failed(message: OutboxMessage, exc: Exception, now: datetime) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.next_attempt_at = now + timedelta(minutes=2 ** min(message.attempts, 10))
