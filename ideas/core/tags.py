"""Tags: the one rule for cleaning and checking them, for challenges and ideas alike.

A tag is trimmed, its inner whitespace collapsed, and kept as written; duplicates are
dropped without regard to case (the first spelling wins). At most MAX_TAGS tags of at
most MAX_LENGTH characters each; more is refused with a message naming the field.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext

from ideas.core.errors import Invalid

MAX_TAGS = 10
MAX_LENGTH = 30


def clean_tags(tags) -> list[str]:
    """Tags from a list or a comma-separated string: trimmed, without duplicates."""
    if isinstance(tags, str):
        tags = tags.split(",")
    seen: list[str] = []
    lowered: set[str] = set()
    for tag in tags or []:
        tag = " ".join(str(tag).split())
        if tag and tag.lower() not in lowered:
            seen.append(tag)
            lowered.add(tag.lower())
    return seen


def check_tags(tags: list[str], field: str = "tags") -> list[str]:
    """Raise Invalid unless the cleaned tags are within the limits; return them."""
    if len(tags) > MAX_TAGS:
        raise Invalid(_("At most %(n)s tags.", n=MAX_TAGS), field=field)
    for tag in tags:
        if len(tag) > MAX_LENGTH:
            raise Invalid(ngettext("A tag has at most %(num)d character: %(tag)s", "A tag has at most %(num)d characters: %(tag)s",
                                   MAX_LENGTH, tag=tag[:40]), field=field)
    return tags
