"""A challenge and what hangs on it: success criteria, phase plan, transitions,
invitations (invite-only challenges) and accepted participation terms."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ideas.accounts.models import User
from ideas.companies.models import Company
from ideas.core.db import utcnow
from ideas.extensions import db

PHASES = ("draft", "submission", "voting", "review", "refinement", "prototyping", "closed")
VISIBILITIES = ("public", "invite")
_phase_list = ", ".join(f"'{p}'" for p in PHASES)


class Challenge(db.Model):
    __tablename__ = "challenges"
    __table_args__ = (
        CheckConstraint(f"phase IN ({_phase_list})", name="phase"),
        CheckConstraint("visibility IN ('public', 'invite')", name="visibility"),
        CheckConstraint("vote_budget IS NULL OR vote_budget > 0", name="vote_budget"),
        Index("ix_challenges_listing", "visibility", "phase", "published_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    company_id: Mapped[int] = mapped_column(ForeignKey("companies.id", ondelete="CASCADE"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(160))
    slug: Mapped[str] = mapped_column(String(180))
    summary: Mapped[str] = mapped_column(String(300))
    problem: Mapped[str] = mapped_column(Text)  # markdown
    category: Mapped[str] = mapped_column(String(40), index=True)
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    # What it is written in, ISO 639-1 or "und" (core/languages.py), detected unless staff chose.
    language: Mapped[str | None] = mapped_column(String(8))
    cover_image: Mapped[str | None] = mapped_column(String(64))
    reward_text: Mapped[str] = mapped_column(String(300), default="")
    reward_amount: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    reward_currency: Mapped[str] = mapped_column(String(3), default="USD")
    terms: Mapped[str] = mapped_column(Text, default="")  # markdown: licence, reward split, confidentiality
    terms_version: Mapped[int] = mapped_column(default=1)
    visibility: Mapped[str] = mapped_column(String(10), default="public")
    phase: Mapped[str] = mapped_column(String(20), default="draft")
    vote_budget: Mapped[int | None]  # at most this many up-votes per member, if set
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # Counters kept in the transaction of the change (see `flask votes recount`).
    idea_count: Mapped[int] = mapped_column(default=0)
    vote_count: Mapped[int] = mapped_column(default=0)
    comment_count: Mapped[int] = mapped_column(default=0)
    last_activity_at: Mapped[datetime | None] = mapped_column(index=True)

    company: Mapped[Company] = relationship(lazy="joined")
    created_by: Mapped[User | None] = relationship()
    criteria: Mapped[list[ChallengeCriterion]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan",
        order_by="ChallengeCriterion.position",
    )
    phase_plans: Mapped[list[PhasePlan]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", order_by="PhasePlan.starts_at",
    )
    transitions: Mapped[list[PhaseTransition]] = relationship(
        back_populates="challenge", cascade="all, delete-orphan", order_by="PhaseTransition.id",
    )

    def __repr__(self) -> str:
        return f"<Challenge {self.id} {self.phase}>"


class ChallengeCriterion(db.Model):
    """One success criterion: what a good solution must achieve."""

    __tablename__ = "challenge_criteria"
    __table_args__ = (UniqueConstraint("challenge_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    text: Mapped[str] = mapped_column(String(200))

    challenge: Mapped[Challenge] = relationship(back_populates="criteria")


class PhasePlan(db.Model):
    """The planned dates of one phase; `flask challenges advance-due` acts on ends_at."""

    __tablename__ = "challenge_phase_plans"
    __table_args__ = (
        UniqueConstraint("challenge_id", "phase"),
        CheckConstraint(f"phase IN ({_phase_list})", name="phase"),
        CheckConstraint("ends_at IS NULL OR starts_at IS NULL OR ends_at > starts_at", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    phase: Mapped[str] = mapped_column(String(20))
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None] = mapped_column(index=True)

    challenge: Mapped[Challenge] = relationship(back_populates="phase_plans")


class PhaseTransition(db.Model):
    """Every move of a challenge: who (None for the scheduler), when, from, to."""

    __tablename__ = "challenge_transitions"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    from_phase: Mapped[str] = mapped_column(String(20))
    to_phase: Mapped[str] = mapped_column(String(20))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(String(300), default="")
    at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship(back_populates="transitions")
    actor: Mapped[User | None] = relationship()


class ChallengeInvite(db.Model):
    """A member invited to an invite-only challenge."""

    __tablename__ = "challenge_invites"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class TermsVersion(db.Model):
    """The text of each version of a challenge's participation terms, kept for good: an
    acceptance points at the exact text the member accepted."""

    __tablename__ = "terms_versions"
    __table_args__ = (UniqueConstraint("challenge_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text, default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TermsAcceptance(db.Model):
    """A member accepted a challenge's participation terms, in this version."""

    __tablename__ = "challenge_terms_acceptances"
    __table_args__ = (UniqueConstraint("challenge_id", "user_id", "terms_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    terms_version: Mapped[int]
    # The exact text accepted (None only for acceptances older than the kept versions).
    terms_version_id: Mapped[int | None] = mapped_column(
        ForeignKey("terms_versions.id", ondelete="RESTRICT"), index=True)
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)

    version_text: Mapped[TermsVersion | None] = relationship()
