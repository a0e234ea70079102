"""What every search backend offers, and choosing one from the configuration.

SEARCH_BACKEND = "whoosh" (default: an index under instance/search-index) or
"postgres" (a table in the PostgreSQL database, for deployments on several
machines). Both store the one analyzer's terms and answer the same parsed query
(`ideas.search.query`), with the searcher's grants as a filter.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from ideas.search.documents import Document
from ideas.search.query import ParsedQuery

FACETS = ("kind", "challenge", "company", "category", "status", "lang")
SORTS = ("relevance", "new", "old")


class IndexBusy(Exception):
    """Another writer holds the index (Whoosh allows one); try again later."""


class IndexUnavailable(Exception):
    """The index cannot be read (missing, corrupt, or the backend is down)."""


@dataclass
class Hits:
    keys: list[tuple[str, int]]  # (kind, obj_id) of the page, best first
    total: int
    facets: dict[str, dict[str, int]] = field(default_factory=dict)
    sampled: int = 0  # facets count only the best this many (0: every match)
    exact: bool = True  # the total is exact (else an estimate)


@dataclass
class Mask:
    """What the index may not answer for yet: things with a change still queued."""

    keys: set[str] = field(default_factory=set)  # "idea:12"
    challenges: set[int] = field(default_factory=set)  # everything in these challenges
    everything: bool = False

    def __bool__(self) -> bool:
        return bool(self.keys or self.challenges or self.everything)


class IndexWriter:
    def upsert(self, docs: list[Document]) -> None:
        raise NotImplementedError

    def delete(self, keys: Iterable[str]) -> None:
        raise NotImplementedError

    def delete_challenge(self, challenge_id: int) -> None:
        raise NotImplementedError


class Backend:
    name = ""

    def writer(self) -> AbstractContextManager[IndexWriter]:
        """One writer at a time: raises IndexBusy when another holds it. Leaving the
        block commits (an exception discards what was written)."""
        raise NotImplementedError

    def search(self, query: ParsedQuery, grants: list[str] | None, *, filters: dict[str, str],
               sort: str, page: int, per_page: int, mask: Mask) -> Hits:
        raise NotImplementedError

    def matching(self, query: ParsedQuery, grants: list[str] | None, *, filters: dict[str, str],
                 limit: int, within: list[str] | None = None) -> list[tuple[str, int, float]]:
        """The best `limit` matches as (kind, obj_id, score), no facets (similar ideas);
        `within`: only among these document keys (caps the work)."""
        raise NotImplementedError

    def near_words(self, word: str, maxdist: int) -> list[str]:
        """Vocabulary words within `maxdist` edits of `word` (any document's)."""
        raise NotImplementedError

    def word_visible(self, word: str, grants: list[str] | None) -> bool:
        """Whether a document the grants open contains the surface word."""
        raise NotImplementedError

    def rebuild(self, batches: Iterator[list[Document]]) -> int:
        """Replace the whole index with these documents; returns how many."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise IndexUnavailable when the index cannot be read."""
        raise NotImplementedError

    def reset(self) -> bool:
        """Start an empty index (after the old one proved unreadable); False when
        another process already did."""
        raise NotImplementedError


def backend_for(app) -> Backend:
    """The app's backend (one per app, built on first use)."""
    found = app.extensions.get("ideas.search.backend")
    if found is None:
        name = app.config.get("SEARCH_BACKEND", "whoosh")
        if name == "postgres":
            from ideas.search.pg_backend import PostgresBackend

            found = PostgresBackend(app)
        elif name == "whoosh":
            from ideas.search.whoosh_backend import WhooshBackend

            found = WhooshBackend(app.config["SEARCH_INDEX_DIR"])
        else:
            raise ValueError(f"SEARCH_BACKEND must be whoosh or postgres, not {name!r}")
        app.extensions["ideas.search.backend"] = found
    return found
