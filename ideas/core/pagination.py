"""Pagination without COUNT(*) on every page.

`Page` holds the items of one page plus whether there is a next one (one extra row
is fetched to know). Lists that may grow large use keyset pagination (a cursor of
the last row's sort key) so that deep pages cost what the first page costs.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from typing import Any

from flask_babel import gettext as _

from ideas.core.edge import MAX_ID, int_arg
from ideas.core.errors import Invalid


@dataclass
class Page:
    items: list
    page: int = 1
    per_page: int = 20
    has_next: bool = False
    has_prev: bool = False
    next_cursor: str | None = None
    prev_cursor: str | None = None
    total: int | None = None
    extra: dict = field(default_factory=dict)

    @property
    def pages(self) -> int | None:
        if self.total is None:
            return None
        return max(1, -(-self.total // self.per_page))


def page_arg(name: str = "page", maximum: int = 100_000) -> int:
    """The page number from the query string, clamped to 1..maximum; a broken value
    (not a number, absurdly long) is the first page, as lists have always done."""
    value = int_arg(name, 1, minimum=-MAX_ID, maximum=MAX_ID, lenient=True)
    return min(max(value, 1), maximum)


def paginate_offset(query, page: int, per_page: int, session) -> Page:
    """Offset pagination for small lists: fetches per_page + 1 rows, no COUNT."""
    rows = session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    return Page(
        items=list(rows[:per_page]),
        page=page,
        per_page=per_page,
        has_next=len(rows) > per_page,
        has_prev=page > 1,
    )


def encode_cursor(values: list[Any]) -> str:
    """An opaque, URL-safe cursor holding a row's sort key."""
    raw = json.dumps(values, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> list[Any] | None:
    """The sort key inside a cursor; a tampered cursor is an Invalid error, not a 500."""
    if not cursor:
        return None
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, UnicodeDecodeError) as exc:
        raise Invalid(_("The page link is broken."), field="after") from exc
    if not isinstance(values, list):
        raise Invalid(_("The page link is broken."), field="after")
    return values
