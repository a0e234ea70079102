"""Highlighted snippets (pure): the passage of a text where the searched terms are
densest, escaped, with the matching words in <mark>. The same analyzer finds the
words, so a snippet marks "pračky" for a search of "pracka" on every backend."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

from ideas.search import analyzer

_MARKDOWN_RE = re.compile(r"[*_`#>\[\]]|\]\([^)]*\)|^\s*[-+]\s+", re.MULTILINE)


def plain(text: str) -> str:
    """Markdown text without its markup characters, on one line."""
    return " ".join(_MARKDOWN_RE.sub(" ", text or "").split())


def highlight(text: str, terms: set[str], *, width: int = 220, whole: bool = False) -> Markup:
    """`text` (or its densest passage of about `width` characters) with the words whose
    terms are in `terms` marked; the start of the text when nothing matches."""
    text = plain(text) if not whole else " ".join((text or "").split())
    spans = [(t.start, t.end) for t in analyzer.analyze(text) if t.term in terms]
    merged: list[tuple[int, int]] = []
    for start, end in sorted(set(spans)):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    begin, finish = 0, len(text)
    if not whole and len(text) > width:
        best, best_count = 0, -1
        for i, (start, _end) in enumerate(merged):
            count = sum(1 for s, _e in merged[i:] if s < start + width)
            if count > best_count:
                best, best_count = start, count
        begin = max(0, best - width // 4) if merged else 0
        if begin:
            space = text.rfind(" ", 0, begin + 1)
            begin = space + 1 if space >= 0 and begin - space < 20 else begin
        finish = min(len(text), begin + width)
        if finish < len(text):
            space = text.rfind(" ", begin, finish)
            finish = space if space > begin + width // 2 else finish
    out = [Markup("…") if begin > 0 else Markup("")]
    cursor = begin
    for start, end in merged:
        if end <= begin or start >= finish:
            continue
        start, end = max(start, begin), min(end, finish)
        out.append(escape(text[cursor:start]))
        out.append(Markup("<mark>%s</mark>") % text[start:end])
        cursor = end
    out.append(escape(text[cursor:finish]))
    if finish < len(text):
        out.append(Markup("…"))
    return Markup("").join(out)
