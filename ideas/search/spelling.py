""""Did you mean": corrections of the searched words, built from the index's own
vocabulary but offered only when a document the searcher may see contains them, so a
private text never leaks even as a suggested word."""

from __future__ import annotations

from ideas.search import analyzer

MAX_CANDIDATES = 12  # visibility checks per word, at most


def edit_distance(a: str, b: str, limit: int = 3) -> int:
    """Levenshtein distance, giving up (limit + 1) once it exceeds `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


def suggest(backend, words: list[str], grants) -> str | None:
    """The typed words with each unknown one replaced by its closest visible
    correction; None when nothing was corrected."""
    changed = False
    out = []
    for typed in words:
        word = typed.lower()
        if not word or not analyzer.WORD_RE.fullmatch(word) or backend.word_visible(word, grants):
            out.append(typed)
            continue
        folded = analyzer.fold(word)
        maxdist = 1 if len(folded) <= 4 else 2
        candidates = sorted(set(backend.near_words(word, maxdist)) - {word},
                            key=lambda w: (edit_distance(analyzer.fold(w), folded, maxdist), w))
        best = next((c for c in candidates[:MAX_CANDIDATES] if backend.word_visible(c, grants)), None)
        if best is None:
            out.append(typed)
        else:
            out.append(best)
            changed = True
    return " ".join(out) if changed else None
