"""Who may see a notification: only the member it was written for, and only while
they may still see what it is about (an idea hidden or a challenge closed to them
since takes its notices out of the inbox, the count and the digest)."""

from __future__ import annotations

from sqlalchemy import and_, exists, false, or_, select

from ideas.challenges.models import Challenge
from ideas.challenges.policy import visible_challenges
from ideas.notifications.models import Notification
from ideas.submissions.models import Idea
from ideas.submissions.policy import visible_ideas


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def about_visible(user):
    """A WHERE clause over Notification: what it is about is visible to `user` (correlated
    look-ups by primary key, cheap for the few rows an inbox reads)."""
    idea_seen = exists(select(Idea.id).where(Idea.id == Notification.idea_id, visible_ideas(user)))
    challenge_seen = exists(select(Challenge.id).where(Challenge.id == Notification.challenge_id,
                                                       visible_challenges(user)))
    return and_(or_(Notification.idea_id.is_(None), idea_seen),
                or_(Notification.challenge_id.is_(None), challenge_seen))


def can_view(user, notification: Notification) -> bool:
    return _authenticated(user) and notification.user_id == user.id


def visible_notifications(user):
    """A WHERE clause over Notification: the user's own, about what they may see
    (nothing for visitors)."""
    if not _authenticated(user):
        return false()
    return and_(Notification.user_id == user.id, about_visible(user))
