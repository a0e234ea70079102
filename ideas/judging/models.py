"""Judging of a challenge's shortlist: the setup, the panel (invitations), the rubric,
who judges which idea (assignments), the scorecards with their scores, and the audit
trail of every score change. The rules of the database are here (unique, check,
foreign keys); the rules of the flow are in services.py."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.extensions import db

INVITATION_STATUSES = ("invited", "accepted", "declined")
ASSIGNMENT_STATUSES = ("assigned", "conflict")
SCORECARD_STATUSES = ("draft", "submitted")


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class JudgingSetup(db.Model):
    """How a challenge is judged: blind or not, how many judges each idea needs, and
    when the results were published (None: scores are for staff only)."""

    __tablename__ = "judging_setups"
    __table_args__ = (CheckConstraint("judges_per_idea >= 1", name="judges_per_idea"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), unique=True)
    blind: Mapped[bool] = mapped_column(default=True)
    judges_per_idea: Mapped[int] = mapped_column(default=3)
    # How the shortlist was last given to the panel ("all" or "balanced"; None: not yet):
    # ideas shortlisted later are given the same way.
    assign_mode: Mapped[str | None] = mapped_column(String(10))
    published_at: Mapped[datetime | None]
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class JudgeInvitation(db.Model):
    """A member invited to a challenge's panel; they accept or decline."""

    __tablename__ = "judge_invitations"
    __table_args__ = (
        UniqueConstraint("challenge_id", "user_id"),
        CheckConstraint(_in("status", INVITATION_STATUSES), name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="invited")
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]
    reminded_at: Mapped[datetime | None]  # staff last reminded this judge of unscored ideas

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    challenge: Mapped[Challenge] = relationship()


class RubricCriterion(db.Model):
    """One line of a challenge's rubric: what judges score, its weight and its scale."""

    __tablename__ = "rubric_criteria"
    __table_args__ = (
        UniqueConstraint("challenge_id", "position"),
        CheckConstraint("weight > 0", name="weight"),
        CheckConstraint("scale_low < scale_high", name="scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[float] = mapped_column(default=1.0)
    scale_low: Mapped[int] = mapped_column(default=1)
    scale_high: Mapped[int] = mapped_column(default=5)


class JudgeAssignment(db.Model):
    """A judge is to score an idea; a declared conflict keeps the row (with its reason)
    so the idea is never given back to that judge."""

    __tablename__ = "judge_assignments"
    __table_args__ = (
        UniqueConstraint("idea_id", "judge_id"),
        CheckConstraint(_in("status", ASSIGNMENT_STATUSES), name="status"),
        CheckConstraint("status <> 'conflict' OR conflict_reason <> ''", name="conflict_reason"),
        Index("ix_judge_assignments_challenge_judge", "challenge_id", "judge_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="assigned")
    conflict_reason: Mapped[str] = mapped_column(String(500), default="")
    assigned_at: Mapped[datetime] = mapped_column(default=utcnow)
    conflict_at: Mapped[datetime | None]


class Scorecard(db.Model):
    """A judge's scores on one idea, a comment for its authors and a note for staff;
    a draft until submitted, reopened only by staff."""

    __tablename__ = "scorecards"
    __table_args__ = (
        UniqueConstraint("assignment_id"),
        UniqueConstraint("idea_id", "judge_id"),
        CheckConstraint(_in("status", SCORECARD_STATUSES), name="status"),
        CheckConstraint("status <> 'submitted' OR submitted_at IS NOT NULL", name="submitted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(ForeignKey("judge_assignments.id", ondelete="CASCADE"))
    judge_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10), default="draft")
    comment_for_author: Mapped[str] = mapped_column(Text, default="")
    note_for_staff: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]
    reopened_at: Mapped[datetime | None]
    reopened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    judge: Mapped[User] = relationship(foreign_keys=[judge_id])
    scores: Mapped[list[Score]] = relationship(back_populates="scorecard", cascade="all, delete-orphan",
                                               order_by="Score.criterion_id")


class Score(db.Model):
    """One criterion's score on a scorecard: unique per (judge, idea, criterion) since a
    scorecard is unique per (judge, idea)."""

    __tablename__ = "scores"
    __table_args__ = (UniqueConstraint("scorecard_id", "criterion_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"))
    # RESTRICT: a criterion that was scored cannot vanish with its scores.
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="RESTRICT"), index=True)
    value: Mapped[int]

    scorecard: Mapped[Scorecard] = relationship(back_populates="scores")


class ScoreChange(db.Model):
    """The audit trail: every score set or changed (who, when, criterion, old, new)."""

    __tablename__ = "score_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(ForeignKey("scorecards.id", ondelete="CASCADE"), index=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("rubric_criteria.id", ondelete="CASCADE"))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    old_value: Mapped[int | None]
    new_value: Mapped[int | None]
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


DECISIONS = ("selected", "declined")


class JudgingDecision(db.Model):
    """The staff's decision on a judged idea, kept aside until the results are published:
    publishing applies it (the idea's status changes then, and its authors are told)."""

    __tablename__ = "judging_decisions"
    __table_args__ = (CheckConstraint(_in("to_status", DECISIONS), name="to_status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), unique=True)
    to_status: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime] = mapped_column(default=utcnow)
    applied_at: Mapped[datetime | None]  # when publishing applied it
