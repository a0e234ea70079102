"""Ideas and the facts around them.

Counters that lists sort on (up_votes, down_votes, score, trend, comment_count,
comparison_count) are columns kept in the transaction of the change; `flask votes
recount` recomputes them from the facts (Vote, Comment, PairwiseComparison).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Computed,
    Float,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.submissions import statuses

_status_list = ", ".join(f"'{s}'" for s in statuses.ALL)


class Idea(db.Model):
    __tablename__ = "ideas"
    __table_args__ = (
        CheckConstraint(f"status IN ({_status_list})", name="status"),
        CheckConstraint("up_votes >= 0 AND down_votes >= 0", name="votes"),
        # Sort orders of a challenge's idea list, each ending in id for a stable order,
        # then the columns the visibility filter and the language filter read: a page is
        # picked from the index alone, so page 2,500 costs an index walk, not 50,000 row
        # look-ups, and so do the language counts of the list's filter.
        Index("ix_ideas_top", "challenge_id", "score", "id", "status", "hidden_at", "author_id", "language"),
        Index("ix_ideas_new", "challenge_id", "created_at", "id", "status", "hidden_at", "author_id", "language"),
        Index("ix_ideas_trend", "challenge_id", "trend", "id", "status", "hidden_at", "author_id", "language"),
        Index("ix_ideas_discussed", "challenge_id", "comment_count", "id", "status", "hidden_at", "author_id", "language"),
        Index("ix_ideas_author", "author_id", "created_at"),
        # Fresh eyes: the least-voted ideas of a challenge, straight from the index.
        Index("ix_ideas_fresh", "challenge_id", "votes_total", "id", "status", "hidden_at", "author_id", "language"),
        # "Which is better?": the least-compared ideas come first in the pool of pairs.
        Index("ix_ideas_compared", "challenge_id", "comparison_count", "id", "status", "hidden_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)  # markdown
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What it is written in, ISO 639-1 or "und" (core/languages.py): detected on submit
    # unless the author chose; None only for rows inserted around the services.
    language: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str] = mapped_column(String(20), default=statuses.INITIAL)
    status_reason: Mapped[str] = mapped_column(Text, default="")  # feedback shown to the author
    decided_at: Mapped[datetime | None]
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))
    # Moderation hides without losing the status, so un-hiding restores it.
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    up_votes: Mapped[int] = mapped_column(default=0)
    down_votes: Mapped[int] = mapped_column(default=0)
    # Kept by the database itself (a stored generated column), so it can be indexed.
    votes_total: Mapped[int] = mapped_column(Computed("up_votes + down_votes", persisted=True))
    score: Mapped[float] = mapped_column(Float, default=0.0)  # Wilson lower bound of up share
    trend: Mapped[float] = mapped_column(Float, default=0.0)  # log of time-weighted up-votes
    comment_count: Mapped[int] = mapped_column(default=0)
    comparison_count: Mapped[int] = mapped_column(default=0)
    revision_count: Mapped[int] = mapped_column(default=1)
    # Idempotency key from the submit form: a double-clicked submit makes one idea.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship()
    author: Mapped[User] = relationship(foreign_keys=[author_id])
    images: Mapped[list[IdeaImage]] = relationship(
        back_populates="idea", cascade="all, delete-orphan", order_by="IdeaImage.position"
    )
    coauthors: Mapped[list[IdeaCoauthor]] = relationship(
        back_populates="idea", cascade="all, delete-orphan"
    )

    @property
    def vote_total(self) -> int:
        return self.up_votes + self.down_votes

    def __repr__(self) -> str:
        return f"<Idea {self.id} {self.status}>"


class IdeaRevision(db.Model):
    """The idea's text as it stood after each save; number 1 is the submission."""

    __tablename__ = "idea_revisions"
    __table_args__ = (UniqueConstraint("idea_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(160))
    summary: Mapped[str] = mapped_column(String(500))
    description: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    editor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    editor: Mapped[User | None] = relationship()


class IdeaImage(db.Model):
    __tablename__ = "idea_images"
    __table_args__ = (UniqueConstraint("idea_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(64))
    width: Mapped[int]
    height: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # The image's alt text, required on upload (core/uploads.py); "" only for images
    # stored before it was asked for, which the page describes by their place instead.
    alt: Mapped[str] = mapped_column(String(300), default="", server_default="")

    idea: Mapped[Idea] = relationship(back_populates="images")


class IdeaCoauthor(db.Model):
    __tablename__ = "idea_coauthors"

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, index=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    via_merge_id: Mapped[int | None] = mapped_column(ForeignKey("idea_merges.id", ondelete="SET NULL"))

    idea: Mapped[Idea] = relationship(back_populates="coauthors")
    user: Mapped[User] = relationship(lazy="joined")


class IdeaDecision(db.Model):
    """The outcome history of an idea: every status change with its reason."""

    __tablename__ = "idea_decisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[str] = mapped_column(String(20))
    to_status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    actor: Mapped[User | None] = relationship()


class Comment(db.Model):
    __tablename__ = "comments"
    __table_args__ = (Index("ix_comments_idea", "idea_id", "created_at", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(Text)  # markdown
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    edited_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]
    hidden_at: Mapped[datetime | None]
    hidden_reason: Mapped[str] = mapped_column(Text, default="")
    hidden_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reply_count: Mapped[int] = mapped_column(default=0)
    # Marked helpful by the idea's author or the challenge's staff (reputation counts it).
    helpful_at: Mapped[datetime | None]
    helpful_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    author: Mapped[User] = relationship(foreign_keys=[author_id])


class Vote(db.Model):
    """One member's vote on one idea (+1 or -1); the pair is unique in the database."""

    __tablename__ = "votes"
    __table_args__ = (
        UniqueConstraint("idea_id", "user_id"),
        CheckConstraint("value IN (-1, 1)", name="value"),
        Index("ix_votes_member", "challenge_id", "user_id"),
        Index("ix_votes_user", "user_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    value: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Set when a merge moved this vote here, so the voter can be told and the merge undone.
    moved_by_merge_id: Mapped[int | None] = mapped_column(ForeignKey("idea_merges.id", ondelete="SET NULL"))
    moved_from_idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="SET NULL"))


class VoteBudgetUse(db.Model):
    """Up-votes a member has spent in a challenge with a vote budget. Spending is a
    conditional UPDATE (`used < budget`), so concurrent votes cannot overspend."""

    __tablename__ = "vote_budget_uses"
    __table_args__ = (CheckConstraint("used >= 0", name="used"),)

    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)
    used: Mapped[int] = mapped_column(default=0)


class PairwiseComparison(db.Model):
    """One "which is better?" answer; winner_id is None when the member skipped."""

    __tablename__ = "pairwise_comparisons"
    __table_args__ = (
        CheckConstraint("left_id <> right_id", name="distinct"),
        Index("ix_pairwise_member", "challenge_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    left_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    right_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    winner_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaMerge(db.Model):
    """A duplicate merged into another idea, with what moved, so it can be undone."""

    __tablename__ = "idea_merges"

    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    target_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reason: Mapped[str] = mapped_column(Text, default="")
    source_prior_status: Mapped[str] = mapped_column(String(20))
    # Votes left on the source because the voter had already voted on the target.
    kept_vote_ids: Mapped[list[int]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    undone_at: Mapped[datetime | None]
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    source: Mapped[Idea] = relationship(foreign_keys=[source_id])
    target: Mapped[Idea] = relationship(foreign_keys=[target_id])


class Report(db.Model):
    """A member's report of an idea or a comment to the challenge's staff."""

    __tablename__ = "reports"
    __table_args__ = (
        CheckConstraint("(idea_id IS NULL) <> (comment_id IS NULL)", name="one_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"))
    comment_id: Mapped[int | None] = mapped_column(ForeignKey("comments.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resolution: Mapped[str] = mapped_column(String(300), default="")

    reporter: Mapped[User | None] = relationship(foreign_keys=[reporter_id])
