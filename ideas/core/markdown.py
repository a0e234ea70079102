"""Markdown to safe HTML: rendered by markdown-it, then cleaned by an allow-list (nh3)."""

from __future__ import annotations

from functools import lru_cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable(
    ["table", "strikethrough"]
)

ALLOWED_TAGS = {
    "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "strong", "em", "del", "s",
    "code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead",
    "tbody", "tr", "th", "td",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


def render_markdown(text: str | None) -> Markup:
    """Render user markdown and sanitize the result; scripts, event handlers and
    `javascript:` links never survive, whatever the input."""
    if not text:
        return Markup("")
    return _render(text)


@lru_cache(maxsize=4096)
def _render(text: str) -> Markup:
    """The same text always gives the same HTML: pages with many comments render each once."""
    html = _md.render(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(clean)


def plain_excerpt(text: str | None, length: int = 200) -> str:
    """A short plain-text excerpt of markdown, for lists and previews."""
    if not text:
        return ""
    plain = nh3.clean(_md.render(text), tags=set()).strip()
    plain = " ".join(plain.split())
    return plain if len(plain) <= length else plain[: length - 1].rstrip() + "…"
