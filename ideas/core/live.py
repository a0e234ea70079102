"""Telling screen-reader users what changed when htmx swaps part of a page.

A swapped-in region is new to the page, so a screen reader says nothing about it; the
page keeps one polite live region (`#live-status` in base.html) instead, and a view that
answers an htmx request names the change in the `HX-Trigger` response header:
`{"announce": "Your comment is posted."}`, and optionally `{"moveFocus": "#comment-12"}`
to put keyboard focus on what the change made. static/js/app.js does the rest.
"""

from __future__ import annotations

import json
import re

_SELECTOR = re.compile(r"#[A-Za-z][\w-]{0,80}")


def announce(message: str, *, focus: str | None = None) -> dict[str, str]:
    """The response headers that announce `message` (translated text) and, when given,
    move focus to the element with the id selector `focus` after the swap."""
    events: dict[str, str] = {"announce": str(message)}
    if focus is not None:
        if not _SELECTOR.fullmatch(focus):
            raise ValueError(f"not an id selector: {focus!r}")
        events["moveFocus"] = focus
    # ASCII only (\\u escapes): header values are Latin-1 on the wire; htmx parses the JSON.
    return {"HX-Trigger": json.dumps(events, ensure_ascii=True)}
