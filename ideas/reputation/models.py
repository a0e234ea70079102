"""The points ledger and expert status with its history.

The ledger is append-only: the app only ever INSERTs into it. A fact that goes away
(a vote taken back) is answered by a reversal entry, never by an UPDATE or DELETE;
`flask reputation rebuild` recomputes what the facts say and appends the difference.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.core.db import utcnow
from ideas.extensions import db


class PointEntry(db.Model):
    """Points a member earned (or lost) for one thing.

    `thing` names what the points are for ("idea:12", "vote:12:7" for member 7's vote
    on idea 12, "comment:5", "scorecard:3", "judging:4" for a challenge). The same
    reason for the same thing never counts twice: (user, reason, thing, occurrence) is
    unique, and occurrence is 0 except when the same fact comes back after being
    taken back (an up-vote given again), which is the next occurrence.
    """

    __tablename__ = "point_entries"
    __table_args__ = (
        UniqueConstraint("user_id", "reason", "thing", "occurrence", name="uq_point_entries_once"),
        CheckConstraint("occurrence >= 0", name="occurrence"),
        # Expert rules and the profile: a member's points per category and time.
        Index("ix_point_entries_member", "user_id", "category", "at", "points"),
        # Leaderboards: a period's entries, and a challenge's, read from the index alone.
        Index("ix_point_entries_period", "at", "user_id", "points"),
        Index("ix_point_entries_challenge", "challenge_id", "at", "user_id", "points"),
        Index("ix_point_entries_thing", "thing"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(String(40))
    thing: Mapped[str] = mapped_column(String(60))
    occurrence: Mapped[int] = mapped_column(default=0)
    points: Mapped[int]
    category: Mapped[str | None] = mapped_column(String(40))
    challenge_id: Mapped[int | None] = mapped_column(ForeignKey("challenges.id", ondelete="SET NULL"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)


class ExpertStatus(db.Model):
    """A member's expert status in one category. `held` is what shows; `override` is
    staff's word ("granted" or "revoked"), which the daily review respects."""

    __tablename__ = "expert_statuses"
    __table_args__ = (
        UniqueConstraint("user_id", "category"),
        CheckConstraint("override IS NULL OR override IN ('granted', 'revoked')", name="override"),
        Index("ix_expert_statuses_category", "category", "held"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    held: Mapped[bool] = mapped_column(default=False)
    override: Mapped[str | None] = mapped_column(String(10))
    since: Mapped[datetime | None]  # held since
    reviewed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()


class ExpertStatusChange(db.Model):
    """The history of expert status: every grant, lapse and revocation, who did it
    (None: the rules) and why."""

    __tablename__ = "expert_status_changes"
    __table_args__ = (
        CheckConstraint("action IN ('granted', 'lapsed', 'revoked')", name="action"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    category: Mapped[str] = mapped_column(String(40))
    action: Mapped[str] = mapped_column(String(10))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship(foreign_keys=[actor_id])
