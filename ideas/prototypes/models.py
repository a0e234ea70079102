"""Prototypes: a selected idea being built, its dated status history, the idea's
authors credited on it, its iterations with images, the testers signed up for each
iteration, and their structured feedback (a rating per success criterion of the
challenge, what worked, what did not, images, and the staff's reply)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.prototypes import statuses
from ideas.submissions.models import Idea


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Prototype(db.Model):
    """A prototype made from a selected idea; visible to the public or only to its
    focus group (group visibility needs a group)."""

    __tablename__ = "prototypes"
    __table_args__ = (
        CheckConstraint(_in("status", statuses.STATUSES), name="status"),
        CheckConstraint(_in("visibility", statuses.VISIBILITIES), name="visibility"),
        CheckConstraint("visibility = 'public' OR focus_group_id IS NOT NULL", name="group_visibility"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    focus_group_id: Mapped[int | None] = mapped_column(ForeignKey("focus_groups.id", ondelete="SET NULL"),
                                                       index=True)
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(Text, default="")  # markdown
    status: Mapped[str] = mapped_column(String(10), default=statuses.INITIAL)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    iteration_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship()
    idea: Mapped[Idea] = relationship()
    credits: Mapped[list[PrototypeCredit]] = relationship(cascade="all, delete-orphan",
                                                          order_by="PrototypeCredit.position")
    history: Mapped[list[PrototypeStatusChange]] = relationship(cascade="all, delete-orphan",
                                                                order_by="PrototypeStatusChange.id")


class PrototypeCredit(db.Model):
    """An author of the idea, credited on the prototype (lead author first)."""

    __tablename__ = "prototype_credits"
    __table_args__ = (UniqueConstraint("prototype_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(ForeignKey("prototypes.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    position: Mapped[int]

    user: Mapped[User] = relationship(lazy="joined")


class PrototypeStatusChange(db.Model):
    """Every status of a prototype, dated (the first row is its creation)."""

    __tablename__ = "prototype_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(ForeignKey("prototypes.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str | None] = mapped_column(String(10))
    to_status: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(String(500), default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class Iteration(db.Model):
    """A version of the prototype with what changed since the last, and its test:
    `places` testers (the confirmed ones; `held_places` counts them and is raised by a
    conditional UPDATE, so two sign-ups cannot take the last place), then
    `waiting_places` on the waiting list."""

    __tablename__ = "prototype_iterations"
    __table_args__ = (
        UniqueConstraint("prototype_id", "number"),
        CheckConstraint(_in("signup_mode", statuses.SIGNUP_MODES), name="signup_mode"),
        CheckConstraint("places >= 0 AND waiting_places >= 0", name="places"),
        CheckConstraint("held_places >= 0 AND held_places <= places", name="held_places"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    prototype_id: Mapped[int] = mapped_column(ForeignKey("prototypes.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    version_name: Mapped[str] = mapped_column(String(80))
    description: Mapped[str] = mapped_column(Text)  # markdown
    changes: Mapped[str] = mapped_column(Text, default="")  # what changed since the last iteration
    places: Mapped[int] = mapped_column(default=0)
    waiting_places: Mapped[int] = mapped_column(default=0)
    held_places: Mapped[int] = mapped_column(default=0)
    signup_mode: Mapped[str] = mapped_column(String(10), default="first_come")
    test_open: Mapped[bool] = mapped_column(default=False)
    feedback_count: Mapped[int] = mapped_column(default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    images: Mapped[list[IterationImage]] = relationship(cascade="all, delete-orphan",
                                                        order_by="IterationImage.position")


class IterationImage(db.Model):
    __tablename__ = "prototype_iteration_images"
    __table_args__ = (UniqueConstraint("iteration_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iteration_id: Mapped[int] = mapped_column(ForeignKey("prototype_iterations.id", ondelete="CASCADE"),
                                              index=True)
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    # The image's alt text, required on upload (core/uploads.py); "" only for images
    # stored before it was asked for, which the page describes by their place instead.
    alt: Mapped[str] = mapped_column(String(300), default="", server_default="")


class TesterSignup(db.Model):
    """A member's sign-up to test an iteration; one per member and iteration."""

    __tablename__ = "prototype_testers"
    __table_args__ = (
        UniqueConstraint("iteration_id", "user_id"),
        CheckConstraint(_in("status", statuses.SIGNUP_STATUSES), name="status"),
        Index("ix_prototype_testers_queue", "iteration_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    iteration_id: Mapped[int] = mapped_column(ForeignKey("prototype_iterations.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[str] = mapped_column(String(10))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    user: Mapped[User] = relationship()

    __test__ = False  # not a pytest test class, whatever its name


class TestFeedback(db.Model):
    """A confirmed tester's feedback on an iteration (one each), and the staff's reply."""

    __tablename__ = "prototype_feedback"
    __table_args__ = (UniqueConstraint("iteration_id", "tester_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    iteration_id: Mapped[int] = mapped_column(ForeignKey("prototype_iterations.id", ondelete="CASCADE"),
                                              index=True)
    tester_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    worked: Mapped[str] = mapped_column(Text, default="")
    did_not_work: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    reply: Mapped[str] = mapped_column(Text, default="")
    replied_at: Mapped[datetime | None]
    replied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    tester: Mapped[User | None] = relationship(foreign_keys=[tester_id])
    ratings: Mapped[list[CriterionRating]] = relationship(cascade="all, delete-orphan",
                                                          order_by="CriterionRating.criterion_id")
    images: Mapped[list[FeedbackImage]] = relationship(cascade="all, delete-orphan",
                                                       order_by="FeedbackImage.position")

    __test__ = False  # not a pytest test class, whatever its name


class CriterionRating(db.Model):
    """A tester's rating of an iteration against one success criterion (1 to 5)."""

    __tablename__ = "prototype_ratings"
    __table_args__ = (
        UniqueConstraint("feedback_id", "criterion_id"),
        CheckConstraint("value BETWEEN 1 AND 5", name="value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("prototype_feedback.id", ondelete="CASCADE"))
    criterion_id: Mapped[int] = mapped_column(ForeignKey("challenge_criteria.id", ondelete="CASCADE"), index=True)
    value: Mapped[int]


class FeedbackImage(db.Model):
    __tablename__ = "prototype_feedback_images"
    __table_args__ = (UniqueConstraint("feedback_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    feedback_id: Mapped[int] = mapped_column(ForeignKey("prototype_feedback.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    # The image's alt text, required on upload (core/uploads.py); "" only for images
    # stored before it was asked for, which the page describes by their place instead.
    alt: Mapped[str] = mapped_column(String(300), default="", server_default="")
