"""The badges shown next to a member's name, everywhere a name appears.

Which badges a member holds is known higher up (reputation: expert status per
category); core only offers the slot, which create_app fills. Templates call the
global `name_badge(user_id)`; Python code that memoizes HTML by its values (list
rows, comments) passes `name_badge(author_id)` in as one of those values, so a
change of status is a different fragment.
"""

from __future__ import annotations

from flask import current_app
from markupsafe import Markup

from ideas.core.providers import Provider

member_badges = Provider("core.member_badges", "(user_id) -> Markup: the badges beside a member's name")


def name_badge(user_id: int | None) -> Markup:
    """The HTML shown right after a member's name (empty when they hold no badge)."""
    if user_id is None or not member_badges.is_filled(current_app):
        return Markup("")
    return member_badges(user_id)
