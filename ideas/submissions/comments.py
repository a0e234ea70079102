"""Comments on ideas. (Owner: comments work.)"""

from __future__ import annotations


def comment_thread(user, idea, page: int = 1) -> dict:
    """What the comments section of an idea page shows (template: submissions/_comments.html)."""
    return {"idea": idea, "comments": [], "page": None, "can_comment": False}
