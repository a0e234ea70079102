"""Votes: casting, changing, taking back, budgets. (Owner: votes work.)"""

from __future__ import annotations


def vote_panel(user, idea, now=None) -> dict:
    """What the vote widget of one idea shows this user (template: submissions/_vote.html)."""
    return {"idea": idea, "my_vote": 0, "can_vote": False, "reason": "", "budget_left": None}


def my_votes(user, idea_ids) -> dict[int, int]:
    """The user's vote value per idea id among `idea_ids` (one query)."""
    return {}
