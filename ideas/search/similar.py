"""Similar ideas: by meaning (multilingual sentence embeddings, cosine) and shared
words, combined, within one challenge.

The work per request is capped: the MEANING_CANDIDATES nearest in meaning (one matrix
product over the challenge's vectors, kept per process: ideas.search.vectors.matrices),
then their shared words with the text (the analyzer's terms, so other forms count).
Without vectors (SEARCH_EMBEDDINGS off), the index's best WORD_CANDIDATES word matches. What is shown passes the ideas'
own policy (visible and listed), so a hidden or private idea is never suggested.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from flask import current_app
from sqlalchemy import select

from ideas.search import analyzer, vectors
from ideas.search.analyzer import detect_language
from ideas.search.backends import backend_for
from ideas.search.policies import user_grants
from ideas.search.query import parse
from ideas.submissions import statuses
from ideas.submissions.models import Idea
from ideas.submissions.policy import listed, visible_ideas

log = logging.getLogger(__name__)

WORD_CANDIDATES = 30
MEANING_CANDIDATES = 60
MAX_TEXT_WORDS = 24
# Meaning: the centred cosine's z-score among the challenge's ideas (how far this idea
# stands out from the rest); 2.5 standard deviations counts as a full match.
Z_FULL = 2.5
# When the text is plainly one existing idea (z above this), that idea's own nearest
# neighbours, its twins in other languages, are the text's too (one hop, damped).
Z_HOP = 1.5
HOP_DAMPING = 0.8
SMALL_CHALLENGE = 6  # fewer ideas than this: no z-scores, centred cosines as they are
MEANING_WEIGHT = 0.65
MIN_SCORE = 0.25


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
    meaning: float  # language-centred cosine (0 when unknown)
    words: float  # share of the best word match (0..1)


def _standing(cosines: np.ndarray, centred: bool = True) -> np.ndarray:
    """Each cosine's strength in 0..1 relative to the others (in a small challenge, on
    a fixed scale: centred cosines of twins ~0.3-0.6; plain ones ~0.85-0.95)."""
    if len(cosines) < SMALL_CHALLENGE:
        low, span = (0.10, 0.40) if centred else (0.78, 0.14)
        return np.clip((cosines - low) / span, 0, 1)
    spread = cosines.std() or 1.0
    return np.clip((cosines - cosines.mean()) / spread / Z_FULL, 0, 1)


def _word_scores(user, session, challenge_id: int, text: str, within: list[int] | None = None) -> dict[int, float]:
    """Shared-word scores from the index (best = 1), for challenges whose ideas have no
    vectors (embeddings off); `within` limits them to some ideas."""
    parsed = parse(text, max_words=MAX_TEXT_WORDS)
    if parsed.error:
        return {}
    parsed.match_any = True
    backend = backend_for(current_app._get_current_object())
    hits = backend.matching(parsed, user_grants(session, user),
                            filters={"challenge": str(challenge_id), "kind": "idea"}, limit=WORD_CANDIDATES,
                            within=None if within is None else [f"idea:{i}" for i in within])
    if not hits:
        return {}
    best = max(score for _k, _i, score in hits) or 1.0
    return {obj_id: score / best for _kind, obj_id, score in hits}


def _word_overlap(session, text: str, idea_ids: list[int]) -> dict[int, float]:
    """Shared words between the text and each of these ideas (title words count
    double), best = 1: the analyzer's terms, so other forms and spellings count."""
    wanted = set(analyzer.terms(text, for_query=True))
    if not wanted or not idea_ids:
        return {}
    scores = {}
    for row in session.execute(select(Idea.id, Idea.title, Idea.summary).where(Idea.id.in_(idea_ids))):
        title, summary = set(analyzer.terms(row.title)), set(analyzer.terms(row.summary))
        score = 2 * len(wanted & title) + len(wanted & (summary - title))
        if score:
            scores[row.id] = score
    best = max(scores.values(), default=0) or 1
    return {i: v / best for i, v in scores.items()}


def _meaning_scores(matrix: vectors.Matrix, query: np.ndarray | None, exclude) -> tuple[dict[int, float], dict[int, float]]:
    """(strength 0..1, raw cosine) of the MEANING_CANDIDATES ideas nearest in meaning."""
    if query is None or not len(matrix.ids):
        return {}, {}
    ids, centred = matrix.ids, matrix.centred  # no copies: 50,000 x 384 floats is 77 MB
    excluded = np.isin(ids, np.fromiter(exclude, dtype=np.int64, count=len(exclude))) if exclude else None
    cosines = centred @ query
    if excluded is not None:
        if excluded.all():
            return {}, {}
        cosines[excluded] = cosines[~excluded].mean()  # neutral in the spread, and never shown
    strength = _standing(cosines, matrix.centring)
    if excluded is not None:
        strength[excluded] = 0
    top = int(np.argmax(cosines))
    if len(ids) >= SMALL_CHALLENGE and (cosines[top] - cosines.mean()) / (cosines.std() or 1.0) >= Z_HOP:
        around = centred @ centred[top]
        around[top] = np.delete(around, top).mean()  # itself: neither a match nor in the spread
        hop = _standing(around, matrix.centring) * strength[top] * HOP_DAMPING
        hop[top] = 0
        if excluded is not None:
            hop[excluded] = 0
        strength = np.maximum(strength, hop)
    n = min(MEANING_CANDIDATES, len(ids))
    best = np.argpartition(-strength, n - 1)[:n]
    return ({int(ids[i]): float(strength[i]) for i in best}, {int(ids[i]): float(cosines[i]) for i in best})


def similar_ideas(session, user, challenge_id: int, text: str, *, exclude: set[int] | frozenset = frozenset(),
                  limit: int = 5, query_vector: np.ndarray | None = None, query_lang: str | None = None,
                  listed_only: bool = True, min_score: float = MIN_SCORE) -> list[SimilarIdea]:
    """Up to `limit` ideas of the challenge most like `text`, that `user` may see."""
    text = (text or "").strip()
    if not text:
        return []
    meaning: dict[int, float] = {}
    cosines: dict[int, float] = {}
    if vectors.enabled():
        if query_vector is None:
            query_vector = vectors.embed([text])[0]
        matrix = vectors.matrices.get(session, challenge_id)
        centred = matrix.centre(query_vector, query_lang or detect_language(text))
        meaning, cosines = _meaning_scores(matrix, centred, set(exclude))
    # with vectors, words are scored among the nearest in meaning only (capped work); a
    # challenge whose ideas have no vectors yet is searched by words alone
    try:
        words = _word_overlap(session, text, list(meaning)) if meaning else \
            _word_scores(user, session, challenge_id, text)
    except Exception:  # the index is down: meaning alone
        log.exception("similar ideas: word match failed")
        words = {}
    scored = []
    for idea_id in set(words) | set(meaning):
        if idea_id in exclude:
            continue
        score = MEANING_WEIGHT * meaning.get(idea_id, 0.0) + (1 - MEANING_WEIGHT) * words.get(idea_id, 0.0) \
            if meaning else words.get(idea_id, 0.0)
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
                               row.comment_count, round(score, 3), round(cosines.get(idea_id, 0.0), 3),
                               round(words.get(idea_id, 0.0), 3)))
        if len(out) >= limit:
            break
    return out


def stored_vector(session, idea_id: int) -> tuple[np.ndarray | None, str | None]:
    """The idea's stored vector and language (None, None before it is indexed)."""
    from ideas.search.models import IdeaVector

    row = session.execute(select(IdeaVector.vector, IdeaVector.lang).where(IdeaVector.idea_id == idea_id)).first()
    return (vectors.from_bytes(row.vector), row.lang) if row is not None else (None, None)


def _as_similar(row, cosine: float) -> SimilarIdea:
    return SimilarIdea(row.id, row.title, row.slug, row.summary, row.status, row.up_votes, row.comment_count,
                       round(cosine, 3), round(cosine, 3), 0.0)


def likely_duplicates(session, user, challenge_id: int, *, recent: int = 20, limit: int = 10,
                      min_cosine: float = 0.30, min_z: float = 1.5) -> list[tuple[SimilarIdea, SimilarIdea, float]]:
    """Pairs (newer, older) of mergeable ideas most alike, best first: the `recent`
    newest mergeable ideas against the whole challenge (capped work), by centred
    cosine (so a twin in another language counts), standing out from the rest."""
    newest = session.execute(
        select(Idea.id).where(Idea.challenge_id == challenge_id, Idea.status.in_(statuses.MERGEABLE),
                              Idea.hidden_at.is_(None)).order_by(Idea.created_at.desc(), Idea.id.desc())
        .limit(recent)).scalars().all()
    matrix = vectors.matrices.get(session, challenge_id)
    if not newest or len(matrix.ids) < 2:
        return []
    position = {int(i): n for n, i in enumerate(matrix.ids)}
    rows_wanted = [position[i] for i in newest if i in position]
    if not rows_wanted:
        return []
    sims = matrix.centred[rows_wanted] @ matrix.centred.T  # at most recent x challenge size
    pairs: dict[tuple[int, int], float] = {}
    for r, n in enumerate(rows_wanted):
        row = sims[r]
        row[n] = -1
        others = np.delete(row, n)
        spread = others.std() or 1.0
        k = min(3, len(others))
        for j in np.argpartition(-row, k - 1)[:k]:
            if row[j] >= min_cosine and (len(others) < SMALL_CHALLENGE or (row[j] - others.mean()) / spread >= min_z):
                a, b = int(matrix.ids[n]), int(matrix.ids[j])
                pair = (a, b) if a > b else (b, a)
                pairs[pair] = max(pairs.get(pair, 0.0), float(row[j]))
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
