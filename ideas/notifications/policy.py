"""Who may see a notification: only the member it was written for."""

from __future__ import annotations

from sqlalchemy import false

from ideas.notifications.models import Notification


def can_view(user, notification: Notification) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and notification.user_id == user.id


def visible_notifications(user):
    """A WHERE clause over Notification: the user's own (nothing for visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return false()
    return Notification.user_id == user.id
