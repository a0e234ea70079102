"""What a search box's text means, for every backend (pure: no database, no index).

Words are all required (AND); each word's terms come from the one analyzer, and a
word that yields several terms at a position (a Latin word's English and Czech stems)
matches any of them. A "quoted phrase" matches its words in order; a word or phrase
prefixed with `-` excludes what contains it. Wildcards are not needed (word forms
are found through stemming) and are ignored with a message; so are words past
MAX_WORDS, so no query scans everything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from ideas.search import analyzer

MAX_QUERY_CHARS = 300
MAX_WORDS = 8

# A position's alternatives (a tuple of terms), with its distance from the previous one.
Position = tuple[int, tuple[str, ...]]

_PART_RE = re.compile(r'(?P<neg>-?)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')


@dataclass
class Clause:
    """One required or excluded unit: a word (its positions are ANDed) or a phrase
    (its positions in order, each at its distance from the previous)."""

    positions: list[Position]
    phrase: bool = False
    text: str = ""  # as typed (for "did you mean")


@dataclass
class ParsedQuery:
    text: str
    required: list[Clause] = field(default_factory=list)
    excluded: list[Clause] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # translated messages for the searcher
    error: str | None = None  # when set, nothing is searched
    match_any: bool = False  # any required clause will do (similar ideas), best first

    @property
    def empty(self) -> bool:
        return not self.required

    def terms(self) -> set[str]:
        """Every term the required clauses look for (highlighting)."""
        return {term for clause in self.required for _d, alts in clause.positions for term in alts}

    def typed_words(self) -> list[str]:
        return [c.text for c in self.required if not c.phrase]


def _positions(text: str) -> list[Position]:
    """The analyzer's terms grouped by position, each with its distance from the
    previous position (stop words between phrase words widen the distance)."""
    grouped: dict[int, list[str]] = {}
    for token in analyzer.analyze(text, for_query=True):
        alts = grouped.setdefault(token.pos, [])
        if token.term not in alts:
            alts.append(token.term)
    out: list[Position] = []
    previous = None
    for pos in sorted(grouped):
        out.append((0 if previous is None else pos - previous, tuple(grouped[pos])))
        previous = pos
    return out


def parse(text: str | None, *, max_words: int = MAX_WORDS) -> ParsedQuery:
    """The search box's text as clauses; `error` says why nothing can be searched."""
    raw = (text or "").strip()
    query = ParsedQuery(raw)
    if not raw:
        query.error = str(_l("Type a word to search for."))
        return query
    if len(raw) > MAX_QUERY_CHARS:
        raw = raw[:MAX_QUERY_CHARS]
        query.notes.append(str(ngettext("Only the first %(num)d character of your search was used.",
                                          "Only the first %(num)d characters of your search were used.", MAX_QUERY_CHARS)))
    if "*" in raw or "?" in raw:
        query.notes.append(str(_l("Wildcards (* and ?) are not needed: other forms of a word are "
                                  "found by themselves, so they were ignored.")))
        raw = raw.replace("*", " ").replace("?", " ")
    words = 0
    dropped = False
    for match in _PART_RE.finditer(raw):
        negative = bool(match.group("neg"))
        part = match.group("phrase") if match.group("phrase") is not None else match.group("word")
        positions = _positions(part or "")
        if not positions:
            continue
        is_phrase = match.group("phrase") is not None and len(positions) > 1
        if words + len(positions) > max_words:
            dropped = True
            continue
        words += len(positions)
        clause = Clause(positions, phrase=is_phrase, text=part.strip())
        (query.excluded if negative else query.required).append(clause)
    if dropped:
        query.notes.append(str(ngettext("Only the first %(num)d word of your search was used.",
                                          "Only the first %(num)d words of your search were used.", max_words)))
    if not query.required:
        query.error = str(_l("Add a word to look for (common words such as “the” are not searched)."))
    return query


# -- PostgreSQL tsquery ---------------------------------------------------------

def _lexeme(term: str) -> str:
    return "'" + term.replace("\\", "\\\\").replace("'", "''") + "'"


def _alternatives(alts: tuple[str, ...]) -> str:
    return "(" + " | ".join(_lexeme(a) for a in alts) + ")"


def _clause_tsquery(clause: Clause) -> str:
    parts = [_alternatives(alts) for _d, alts in clause.positions]
    if not clause.phrase:
        return "(" + " & ".join(parts) + ")"
    out = parts[0]
    for (distance, _alts), part in zip(clause.positions[1:], parts[1:], strict=True):
        out += f" <{distance}> {part}" if distance != 1 else f" <-> {part}"
    return "(" + out + ")"


def to_tsquery(query: ParsedQuery) -> str:
    """The query as PostgreSQL tsquery text over the analyzer's lexemes (cast with
    ::tsquery, which stores lexemes as given: no second normalization)."""
    required = (" | " if query.match_any else " & ").join(_clause_tsquery(c) for c in query.required)
    if query.match_any and query.excluded:
        required = f"({required})"
    excluded = "".join(f" & !{_clause_tsquery(c)}" for c in query.excluded)
    return required + excluded
