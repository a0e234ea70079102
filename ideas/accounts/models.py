"""The person behind every role. Roles themselves are relations (company staff,
judge panels, invitations), not columns here; only the site operator flag is."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ideas.core.db import utcnow
from ideas.extensions import db

NOTIFY_FREQUENCIES = ("instant", "daily", "weekly")


def session_stamp(changed_at: datetime | None) -> str:
    return str(int(changed_at.timestamp())) if changed_at else "0"


class User(UserMixin, db.Model):
    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("notify_frequency IN ('instant', 'daily', 'weekly')", name="notify_frequency"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)  # stored lower-cased
    username: Mapped[str] = mapped_column(String(30), unique=True)  # for @mentions
    display_name: Mapped[str] = mapped_column(String(80))
    password_hash: Mapped[str] = mapped_column(String(255))
    email_verified_at: Mapped[datetime | None]
    is_admin: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    bio: Mapped[str] = mapped_column(Text, default="")
    avatar: Mapped[str | None] = mapped_column(String(64))
    expertise: Mapped[list[str]] = mapped_column(JSON, default=list)
    locale: Mapped[str] = mapped_column(String(10), default="en")
    timezone: Mapped[str] = mapped_column(String(64), default="UTC")
    # Consent to notification mail; off until the member says yes. Account mail
    # (verification, reset) is sent regardless.
    notify_email: Mapped[bool] = mapped_column(default=False)
    notify_frequency: Mapped[str] = mapped_column(String(10), default="daily")  # the daily digest by default
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    password_changed_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def is_active(self) -> bool:  # Flask-Login
        return self.active

    def get_id(self) -> str:
        """The session and remember-cookie identity: the id plus a stamp of the last
        password change, so changing or resetting the password ends other sessions."""
        return f"{self.id}.{session_stamp(self.password_changed_at)}"

    @property
    def is_verified(self) -> bool:
        return self.email_verified_at is not None

    def __repr__(self) -> str:
        return f"<User {self.id} {self.username}>"


class LoginFailure(db.Model):
    """One failed login (or throttle notice), counted per key: `acct:<email>` or
    `ip:<address>` (`notice:<email>` marks that the owner was told). The table is the
    shared counter when there is no Redis: every worker on the machine sees it. Rows
    older than the longest window are deleted as new ones arrive."""

    __tablename__ = "login_failures"
    __table_args__ = (Index("ix_login_failures_key_at", "key", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(320))
    at: Mapped[datetime] = mapped_column(default=utcnow)
