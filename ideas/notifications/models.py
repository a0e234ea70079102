from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from ideas.core.db import utcnow
from ideas.extensions import db

MAIL_STATES = ("none", "instant", "daily", "weekly", "digested", "dropped")
FOLLOW_KINDS = ("challenge", "idea", "company", "member")


class Notification(db.Model):
    """Something a member should know: their idea was shortlisted, a vote moved, a
    mention. `text` is rendered in the recipient's language when it is created.

    `idea_id` / `challenge_id` say what it is about (read from its link), so that a
    digest groups it by challenge and nobody is shown a notice about what they may no
    longer see. Alike unread notices share a `group_key` and become one with a
    `count`. `mail_state`: not mailed ("none"), mailed at once ("instant"), waiting for
    the daily or weekly digest, then "digested" (or "dropped": no longer visible, or
    consent withdrawn meanwhile)."""

    __tablename__ = "notifications"
    __table_args__ = (
        Index("ix_notifications_inbox", "user_id", "read_at", "id"),
        Index("ix_notifications_digest", "mail_state", "user_id"),
        # One unread notice per group: alike ones add to its count (an upsert).
        Index("uq_notifications_unread_group", "user_id", "group_key", unique=True,
              sqlite_where=text("read_at IS NULL AND group_key IS NOT NULL"),
              postgresql_where=text("read_at IS NULL AND group_key IS NOT NULL")),
        CheckConstraint("count >= 1", name="count"),
        CheckConstraint("mail_state IN ('none', 'instant', 'daily', 'weekly', 'digested', 'dropped')",
                        name="mail_state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    text: Mapped[str] = mapped_column(Text)
    link: Mapped[str] = mapped_column(String(300), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # Read from the link, not checked against the tables (no foreign key): a notice about
    # something that no longer exists is simply not shown (see policy.about_visible).
    idea_id: Mapped[int | None]
    challenge_id: Mapped[int | None]
    group_key: Mapped[str | None] = mapped_column(String(120))
    count: Mapped[int] = mapped_column(default=1)
    mail_state: Mapped[str] = mapped_column(String(10), default="none")


class NotificationPreference(db.Model):
    """How a member wants mail about one topic (kinds.TOPICS): instant, daily, weekly
    or off. Without a row, their default frequency (User.notify_frequency) applies,
    and nothing is mailed at all without their consent (User.notify_email)."""

    __tablename__ = "notification_preferences"
    __table_args__ = (
        CheckConstraint("frequency IN ('instant', 'daily', 'weekly', 'off')", name="frequency"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    topic: Mapped[str] = mapped_column(String(20), primary_key=True)
    frequency: Mapped[str] = mapped_column(String(10))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class Follow(db.Model):
    """A member follows a challenge, an idea, a company or another member."""

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("user_id", "target_kind", "target_id"),
        CheckConstraint("target_kind IN ('challenge', 'idea', 'company', 'member')", name="target_kind"),
        Index("ix_follows_target", "target_kind", "target_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_kind: Mapped[str] = mapped_column(String(10))
    target_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Activity(db.Model):
    """One thing that happened, for the activity feed of those who follow it: who did
    it (`actor_id`), what (`verb`), and on what (idea, comment, challenge, company).
    Written in the transaction of the fact; shown through the visibility policies."""

    __tablename__ = "activities"
    __table_args__ = (
        Index("ix_activities_challenge", "challenge_id", "id"),
        Index("ix_activities_idea", "idea_id", "id"),
        Index("ix_activities_company", "company_id", "id"),
        Index("ix_activities_actor", "actor_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    verb: Mapped[str] = mapped_column(String(30))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    company_id: Mapped[int | None] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    detail: Mapped[str] = mapped_column(String(40), default="")  # a status, a phase, a category
    at: Mapped[datetime] = mapped_column(default=utcnow)
