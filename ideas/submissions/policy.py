"""Who may see an idea: the challenge must be visible to them, and hidden or
withdrawn ideas are shown only to their authors and the challenge's staff."""

from __future__ import annotations

from sqlalchemy import and_, or_, select

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage, can_view, visible_challenges
from ideas.submissions.models import Idea

PUBLIC_STATUSES = ("submitted", "shortlisted", "selected", "prototyped", "winner", "declined")


def listed():
    """A WHERE clause over Idea: the ideas everyone who sees the challenge sees in its
    lists (not hidden, not withdrawn or merged); `challenges.idea_count` counts these."""
    return and_(Idea.hidden_at.is_(None), Idea.status.in_(PUBLIC_STATUSES))


def visible_ideas(user):
    """A WHERE clause over Idea (joined or not) for listings, search, feeds, exports."""
    visible_challenge_ids = select(Challenge.id).where(visible_challenges(user))
    shown = listed()
    if user is not None and getattr(user, "is_authenticated", False):
        shown = or_(shown, Idea.author_id == user.id)
    return and_(Idea.challenge_id.in_(visible_challenge_ids), shown)


def can_view_idea(user, idea: Idea) -> bool:
    if not can_view(user, idea.challenge):
        return False
    if idea.hidden_at is None and idea.status in PUBLIC_STATUSES:
        return True
    if user is not None and getattr(user, "is_authenticated", False) and idea.author_id == user.id:
        return True
    return can_manage(user, idea.challenge)
