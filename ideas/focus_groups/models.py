"""Focus groups: a private group of members that refines a challenge's selected ideas.

A group has its ideas, a confidentiality agreement kept in every version, the people
invited (one membership row per person, whose status says where they stand), the
acceptances of the agreement, a discussion board (threads and replies with image
attachments), sessions with their attendance, and feedback rounds (a questionnaire,
answered once per member). The rules of the database are here; the rules of the flow
are in services.py and its siblings, who may see what in policy.py.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
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
from ideas.focus_groups import statuses


def _in(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class FocusGroup(db.Model):
    """A private group around one or more selected ideas of a challenge.

    `member_count` counts the memberships in status "member"; joining raises it with a
    conditional UPDATE (`member_count < size_limit`), so two people accepting the last
    place at once cannot both get in."""

    __tablename__ = "focus_groups"
    __table_args__ = (
        CheckConstraint("size_limit >= 1", name="size_limit"),
        CheckConstraint("member_count >= 0", name="member_count"),
        CheckConstraint("ends_on >= starts_on", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    purpose: Mapped[str] = mapped_column(Text)  # markdown
    size_limit: Mapped[int]
    member_count: Mapped[int] = mapped_column(default=0)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    agreement_version: Mapped[int] = mapped_column(default=1)  # the version members must have accepted
    synthesis: Mapped[str] = mapped_column(Text, default="")  # markdown: what the group found
    synthesis_public: Mapped[bool] = mapped_column(default=False)  # shown on the ideas' public pages
    synthesis_at: Mapped[datetime | None]
    synthesis_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    archived_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    challenge: Mapped[Challenge] = relationship()
    ideas: Mapped[list[FocusGroupIdea]] = relationship(back_populates="group", cascade="all, delete-orphan",
                                                       order_by="FocusGroupIdea.idea_id")

    @property
    def archived(self) -> bool:
        return self.archived_at is not None


class FocusGroupIdea(db.Model):
    """One of the ideas a group refines."""

    __tablename__ = "focus_group_ideas"

    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"), primary_key=True)
    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True, index=True)

    group: Mapped[FocusGroup] = relationship(back_populates="ideas")


class Agreement(db.Model):
    """Each version of a group's confidentiality agreement, kept for good: an
    acceptance points at the exact text accepted."""

    __tablename__ = "focus_group_agreements"
    __table_args__ = (UniqueConstraint("group_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    text: Mapped[str] = mapped_column(Text)  # markdown
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Membership(db.Model):
    """A person's place in a group: invited, member, declined, left or removed (see
    statuses.py). One row per person and group; an invitation again reuses it."""

    __tablename__ = "focus_group_members"
    __table_args__ = (
        UniqueConstraint("group_id", "user_id"),
        CheckConstraint(_in("status", statuses.MEMBERSHIP), name="status"),
        Index("ix_focus_group_members_user", "user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(10), default="invited")
    reason: Mapped[str] = mapped_column(String(300), default="")  # why staff invited them (the suggestion)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    invited_at: Mapped[datetime] = mapped_column(default=utcnow)
    responded_at: Mapped[datetime | None]
    joined_at: Mapped[datetime | None]
    left_at: Mapped[datetime | None]
    removed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    group: Mapped[FocusGroup] = relationship()


class AgreementAcceptance(db.Model):
    """A member accepted this version of the group's agreement, at this time."""

    __tablename__ = "focus_group_acceptances"
    __table_args__ = (UniqueConstraint("group_id", "user_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    agreement_id: Mapped[int] = mapped_column(ForeignKey("focus_group_agreements.id", ondelete="RESTRICT"))
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)


class Post(db.Model):
    """A message on a group's board: a thread's opening post (thread_id None, with a
    title) or a reply in a thread."""

    __tablename__ = "focus_group_posts"
    __table_args__ = (
        CheckConstraint("(thread_id IS NULL) = (title <> '')", name="thread_title"),
        Index("ix_focus_group_posts_board", "group_id", "thread_id", "last_activity_at", "id"),
        Index("ix_focus_group_posts_thread", "thread_id", "created_at", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"))
    thread_id: Mapped[int | None] = mapped_column(ForeignKey("focus_group_posts.id", ondelete="CASCADE"))
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    title: Mapped[str] = mapped_column(String(160), default="")
    body: Mapped[str] = mapped_column(Text)  # markdown
    reply_count: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_activity_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[User | None] = relationship()
    attachments: Mapped[list[Attachment]] = relationship(cascade="all, delete-orphan",
                                                         order_by="Attachment.position")


class Attachment(db.Model):
    """An image attached to a post, stored privately (served only to the group)."""

    __tablename__ = "focus_group_attachments"
    __table_args__ = (UniqueConstraint("post_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("focus_group_posts.id", ondelete="CASCADE"), index=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    filename: Mapped[str] = mapped_column(String(64), unique=True)
    width: Mapped[int]
    height: Mapped[int]
    # The image's alt text, required on upload (core/uploads.py); "" only for images
    # stored before it was asked for, which the page describes by their place instead.
    alt: Mapped[str] = mapped_column(String(300), default="", server_default="")


class GroupSession(db.Model):
    """A meeting of the group, online (a video link) or in person (a place); starts_at
    is UTC and is shown in each member's zone."""

    __tablename__ = "focus_group_sessions"
    __table_args__ = (
        CheckConstraint(_in("mode", statuses.SESSION_MODES), name="mode"),
        CheckConstraint("duration_minutes BETWEEN 5 AND 1440", name="duration"),
        Index("ix_focus_group_sessions_group", "group_id", "starts_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int] = mapped_column(default=60)
    mode: Mapped[str] = mapped_column(String(10), default="online")
    place: Mapped[str] = mapped_column(String(300), default="")
    video_link: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")  # markdown
    notes: Mapped[str] = mapped_column(Text, default="")  # markdown, written afterwards
    notes_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Attendance(db.Model):
    """A member was at a session (recorded by staff afterwards)."""

    __tablename__ = "focus_group_attendance"

    session_id: Mapped[int] = mapped_column(ForeignKey("focus_group_sessions.id", ondelete="CASCADE"),
                                            primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), primary_key=True)


class FeedbackRound(db.Model):
    """A short questionnaire staff publish to the group: draft, open, then closed."""

    __tablename__ = "focus_group_rounds"
    __table_args__ = (CheckConstraint(_in("status", statuses.ROUND_STATUSES), name="status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("focus_groups.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(160))
    intro: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="open")
    response_count: Mapped[int] = mapped_column(default=0)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    questions: Mapped[list[FeedbackQuestion]] = relationship(cascade="all, delete-orphan",
                                                        order_by="FeedbackQuestion.position")


class FeedbackQuestion(db.Model):
    """A question of a round: a rating on a scale, or free text."""

    __tablename__ = "focus_group_questions"
    __table_args__ = (
        UniqueConstraint("round_id", "position"),
        CheckConstraint(_in("kind", statuses.QUESTION_KINDS), name="kind"),
        CheckConstraint("scale_low < scale_high", name="scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("focus_group_rounds.id", ondelete="CASCADE"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(10))
    text: Mapped[str] = mapped_column(String(300))
    scale_low: Mapped[int] = mapped_column(default=1)
    scale_high: Mapped[int] = mapped_column(default=5)


class FeedbackResponse(db.Model):
    """A member's answers to a round: one per member and round, by the database."""

    __tablename__ = "focus_group_responses"
    __table_args__ = (UniqueConstraint("round_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("focus_group_rounds.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeedbackAnswer(db.Model):
    """One question's answer in a response: a rating or a text."""

    __tablename__ = "focus_group_answers"
    __table_args__ = (UniqueConstraint("response_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("focus_group_responses.id", ondelete="CASCADE"))
    question_id: Mapped[int] = mapped_column(ForeignKey("focus_group_questions.id", ondelete="CASCADE"),
                                             index=True)
    rating: Mapped[int | None]
    text: Mapped[str] = mapped_column(Text, default="")
