"""The outbox: mail is queued in the database with the change that causes it and
delivered later by `flask mail send`, so a rolled-back change sends nothing and a
failed delivery is retried.

`kind` separates account mail (verification, password reset: always sent) from
notification mail (sent only to members who consented).
"""

from __future__ import annotations

import contextlib
import logging
import smtplib
import ssl
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from sqlalchemy import CheckConstraint, Index, String, Text, select
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
    kind: Mapped[str] = mapped_column(String(20), default="account")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str | None] = mapped_column(Text)


def queue_mail(
    to_address: str, subject: str, body_text: str, *, body_html: str | None = None,
    kind: str = "account",
) -> OutboxMessage:
    """Add a message to the outbox in the current transaction (not sent yet)."""
    if kind not in MAIL_KINDS:
        raise ValueError(f"unknown mail kind {kind!r}")
    message = OutboxMessage(
        to_address=to_address, subject=subject, body_text=body_text, body_html=body_html, kind=kind
    )
    db.session.add(message)
    return message


def _build(message: OutboxMessage, sender: str) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = message.to_address
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain="ideas.local")
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


def deliver_pending(config, *, limit: int = 500, now: datetime | None = None) -> tuple[int, int]:
    """Send due messages; returns (sent, failed). Commits after each message.

    Without MAIL_SERVER the message is written to the log and counted as sent
    (development). A failure keeps the message pending with its error and backs
    off exponentially; after MAX_ATTEMPTS it is no longer retried.
    """
    now = now or utcnow()
    due = db.session.scalars(
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.attempts < MAX_ATTEMPTS,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    if not due:
        return 0, 0
    sent = failed = 0
    smtp = None
    try:
        if config.get("MAIL_SERVER"):
            try:
                smtp = _connect(config)
            except (OSError, smtplib.SMTPException) as exc:
                for message in due:
                    _failed(message, exc, now)
                db.session.commit()
                return 0, len(due)
        for message in due:
            try:
                email = _build(message, config["MAIL_DEFAULT_SENDER"])
                if smtp is None:
                    log.info("mail (no MAIL_SERVER set) to %s: %s\n%s", message.to_address,
                             message.subject, message.body_text)
                else:
                    smtp.send_message(email)
                message.sent_at = now
                message.attempts += 1
                message.last_error = None
                sent += 1
            except (OSError, smtplib.SMTPException) as exc:
                _failed(message, exc, now)
                failed += 1
            db.session.commit()
    finally:
        if smtp is not None:
            with contextlib.suppress(OSError, smtplib.SMTPException):
                smtp.quit()
    return sent, failed


def _failed(message: OutboxMessage, exc: Exception, now: datetime) -> None:
    message.attempts += 1
    message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
    message.next_attempt_at = now + timedelta(minutes=2 ** min(message.attempts, 10))
