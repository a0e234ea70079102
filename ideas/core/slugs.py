"""URL slugs in any of our scripts: Latin accents folded, Cyrillic and CJK kept."""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w]+", re.UNICODE)


def _fold_latin(text: str) -> str:
    out = []
    for ch in text:
        if "LATIN" in unicodedata.name(ch, ""):
            ch = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(ch)
    return "".join(out)


def slugify(text: str, max_length: int = 80) -> str:
    """A lower-case, hyphenated slug; 'item' when nothing usable is left."""
    slug = _NON_WORD.sub("-", _fold_latin(text).lower()).strip("-_")
    slug = slug[:max_length].rstrip("-_")
    return slug or "item"
