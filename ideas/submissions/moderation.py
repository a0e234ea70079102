"""Shortlisting, declining, hiding, merging and reports. (Owner: moderation work.)"""

from __future__ import annotations


def staff_panel(user, idea) -> dict:
    """What the staff actions box of an idea page shows (template: submissions/_staff_actions.html)."""
    return {"idea": idea, "is_staff": False}
