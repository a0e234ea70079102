"""Similar ideas: by shared words (the index, any word, best first) and by meaning
(multilingual sentence embeddings, cosine), combined, within one challenge.

The work per request is capped: at most WORD_CANDIDATES word matches and
MEANING_CANDIDATES nearest vectors are considered; the challenge's vectors are one
in-process matrix (ideas.search.vectors.matrices). What is shown passes the ideas'
own policy (visible and listed), so a hidden or private idea is never suggested.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select

from ideas.search import vectors
from ideas.search.backends import backend_for
from ideas.search.policies import user_grants
from ideas.search.query import parse
from ideas.submissions import statuses
from ideas.submissions.models import Idea
from ideas.submissions.policy import listed, visible_ideas

log = logging.getLogger(__name__)

WORD_CANDIDATES = 30
MEANING_CANDIDATES = 30
MAX_TEXT_WORDS = 24
# multilingual-e5 cosines sit high: unrelated ideas ~0.76-0.84, a twin in the same
# language 0.90+, in another language 0.85-0.92 (measured on the demo's texts)
COSINE_FLOOR = 0.78
COSINE_SPAN = 0.14
COSINE_BEHIND_BEST = 0.10  # further behind the best match than this is another topic
MEANING_WEIGHT = 0.65
MIN_SCORE = 0.30


@dataclass
class SimilarIdea:
    id: int
    title: str
    slug: str
    summary: str
    status: str
    up_votes: int
    comment_count: int
    score: float
    meaning: float  # cosine (0 when unknown)
    words: float  # share of the best word match (0..1)


def _meaning_norm(cosine: float) -> float:
    return float(min(1.0, max(0.0, (cosine - COSINE_FLOOR) / COSINE_SPAN)))


def _word_scores(user, session, challenge_id: int, text: str) -> dict[int, float]:
    parsed = parse(text, max_words=MAX_TEXT_WORDS)
    if parsed.error:
        return {}
    parsed.match_any = True
    backend = backend_for(current_app._get_current_object())
    hits = backend.matching(parsed, user_grants(session, user),
                            filters={"challenge": str(challenge_id), "kind": "idea"}, limit=WORD_CANDIDATES)
    if not hits:
        return {}
    best = max(score for _k, _i, score in hits) or 1.0
    return {obj_id: score / best for _kind, obj_id, score in hits}


def _meaning_scores(session, challenge_id: int, query_vector: np.ndarray | None) -> dict[int, float]:
    if query_vector is None:
        return {}
    ids, matrix = vectors.matrices.get(session, challenge_id)
    if not len(ids):
        return {}
    cosines = matrix @ query_vector
    n = min(MEANING_CANDIDATES, len(ids))
    top = np.argpartition(-cosines, n - 1)[:n]
    return {int(ids[i]): float(cosines[i]) for i in top}


def similar_ideas(session, user, challenge_id: int, text: str, *, exclude: set[int] | frozenset = frozenset(),
                  limit: int = 5, query_vector: np.ndarray | None = None, listed_only: bool = True,
                  min_score: float = MIN_SCORE) -> list[SimilarIdea]:
    """Up to `limit` ideas of the challenge most like `text`, that `user` may see."""
    text = (text or "").strip()
    if not text:
        return []
    try:
        words = _word_scores(user, session, challenge_id, text)
    except Exception:  # the index is down: meaning alone
        log.exception("similar ideas: word match failed")
        words = {}
    if query_vector is None and vectors.enabled():
        query_vector = vectors.embed([text])[0]
    meaning = _meaning_scores(session, challenge_id, query_vector)
    best_cosine = max((c for i, c in meaning.items() if i not in exclude), default=0.0)
    scored = []
    for idea_id in set(words) | set(meaning):
        if idea_id in exclude:
            continue
        cosine = meaning.get(idea_id)
        m = _meaning_norm(cosine) if cosine is not None and cosine >= best_cosine - COSINE_BEHIND_BEST else 0.0
        w = words.get(idea_id, 0.0)
        score = MEANING_WEIGHT * m + (1 - MEANING_WEIGHT) * w if meaning else w
        if score >= min_score:
            scored.append((score, idea_id))
    scored.sort(reverse=True)
    wanted = [i for _s, i in scored[:limit * 3]]
    if not wanted:
        return []
    shown = [Idea.id.in_(wanted), visible_ideas(user), Idea.merged_into_id.is_(None)]
    if listed_only:
        shown.append(listed())
    else:
        shown.append(Idea.status.in_(statuses.MERGE_TARGETS))
    rows = {r.id: r for r in session.execute(
        select(Idea.id, Idea.title, Idea.slug, Idea.summary, Idea.status, Idea.up_votes, Idea.comment_count)
        .where(*shown))}
    out = []
    for score, idea_id in scored:
        row = rows.get(idea_id)
        if row is None:
            continue
        out.append(SimilarIdea(row.id, row.title, row.slug, row.summary, row.status, row.up_votes,
                               row.comment_count, round(score, 3), round(meaning.get(idea_id, 0.0), 3),
                               round(words.get(idea_id, 0.0), 3)))
        if len(out) >= limit:
            break
    return out


def stored_vector(session, idea_id: int) -> np.ndarray | None:
    from ideas.search.models import IdeaVector

    raw = session.scalar(select(IdeaVector.vector).where(IdeaVector.idea_id == idea_id))
    return vectors.from_bytes(raw) if raw is not None else None


def _as_similar(row, cosine: float) -> SimilarIdea:
    return SimilarIdea(row.id, row.title, row.slug, row.summary, row.status, row.up_votes, row.comment_count,
                       round(cosine, 3), round(cosine, 3), 0.0)


def likely_duplicates(session, user, challenge_id: int, *, recent: int = 20, limit: int = 10,
                      min_cosine: float = 0.92) -> list[tuple[SimilarIdea, SimilarIdea, float]]:
    """Pairs (newer, older) of mergeable ideas most alike, best first: the `recent`
    newest mergeable ideas against the whole challenge (capped work)."""
    newest = session.execute(
        select(Idea.id).where(Idea.challenge_id == challenge_id, Idea.status.in_(statuses.MERGEABLE),
                              Idea.hidden_at.is_(None)).order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(recent)).scalars().all()
    ids, matrix = vectors.matrices.get(session, challenge_id)
    if not newest or not len(ids):
        return []
    position = {int(i): n for n, i in enumerate(ids)}
    pairs: dict[tuple[int, int], float] = {}
    for idea_id in newest:
        n = position.get(idea_id)
        if n is None:
            continue
        cosines = matrix @ matrix[n]
        cosines[n] = -1
        k = min(5, len(ids) - 1)
        if k <= 0:
            continue
        for j in np.argpartition(-cosines, k - 1)[:k]:
            if cosines[j] >= min_cosine:
                other = int(ids[j])
                pair = (idea_id, other) if idea_id > other else (other, idea_id)
                pairs[pair] = max(pairs.get(pair, 0.0), float(cosines[j]))
    if not pairs:
        return []
    involved = {i for pair in pairs for i in pair}
    rows = {r.id: r for r in session.execute(
        select(Idea.id, Idea.title, Idea.slug, Idea.summary, Idea.status, Idea.up_votes, Idea.comment_count)
        .where(Idea.id.in_(involved), visible_ideas(user), Idea.hidden_at.is_(None),
               Idea.status.in_(statuses.MERGE_TARGETS)))}
    out = []
    for (a, b), cosine in sorted(pairs.items(), key=lambda item: -item[1]):
        if a in rows and b in rows and rows[a].status in statuses.MERGEABLE:
            out.append((_as_similar(rows[a], cosine), _as_similar(rows[b], cosine), round(cosine, 3)))
        if len(out) >= limit:
            break
    return out
