"""The "which is better?" mode: pairs of ideas, the member picks one or skips.

Pairs favour ideas compared least, so every idea gets seen; a member never judges
their own idea nor the same pair twice. Strengths come from a Bradley-Terry model
fitted with `choix` (ILSR, a little regularisation so one-sided records stay finite).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import combinations

import choix
from flask_babel import gettext as _
from sqlalchemy import event, func, inspect, select, update

from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.core.edge import MAX_ID
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.extensions import cache, db
from ideas.submissions import policy, statuses
from ideas.submissions.models import Idea, IdeaCoauthor, PairwiseComparison

POOL = 50
REGULARISATION = 0.01


def _candidates(challenge: Challenge):
    return select(Idea).where(Idea.challenge_id == challenge.id, Idea.hidden_at.is_(None),
                              Idea.status.in_(statuses.VOTABLE))


def _own_idea_ids(member, challenge: Challenge) -> set[int]:
    if member is None or not getattr(member, "is_authenticated", False):
        return set()
    # Every idea the member wrote or co-authors, in any challenge: a handful, read by
    # member (a filter by challenge would let SQLite walk the challenge's whole index).
    own = set(db.session.scalars(select(Idea.id).where(Idea.author_id == member.id)))
    own.update(db.session.scalars(select(IdeaCoauthor.idea_id).where(IdeaCoauthor.user_id == member.id)))
    return own


def idea_in(challenge: Challenge, raw) -> Idea | None:
    """The idea of this challenge whose id the form sent, or None (unknown, elsewhere,
    not a number, or out of the ids' range)."""
    try:
        idea_id = int(raw)
    except (TypeError, ValueError):
        return None
    if not 1 <= idea_id <= MAX_ID:
        return None
    idea = db.session.get(Idea, idea_id)
    return idea if idea is not None and idea.challenge_id == challenge.id else None


def judged_pairs(member, challenge: Challenge) -> set[frozenset[int]]:
    if member is None or not getattr(member, "is_authenticated", False):
        return set()
    rows = db.session.execute(select(PairwiseComparison.left_id, PairwiseComparison.right_id).where(
        PairwiseComparison.challenge_id == challenge.id, PairwiseComparison.user_id == member.id))
    return {frozenset(row) for row in rows}


def judged_count(member, challenge: Challenge) -> int:
    if member is None or not getattr(member, "is_authenticated", False):
        return 0
    return db.session.scalar(select(func.count(PairwiseComparison.id)).where(
        PairwiseComparison.challenge_id == challenge.id, PairwiseComparison.user_id == member.id)) or 0


def next_pair(member, challenge: Challenge, rng: random.Random | None = None) -> tuple[Idea, Idea] | None:
    """Two different ideas for the member to compare, or None when none are left.

    Chooses among the POOL least-compared ideas (not their own), weighting pairs
    towards fewer comparisons, and skips pairs this member has judged already."""
    rng = rng or random.Random()
    own = _own_idea_ids(member, challenge)
    query = (_candidates(challenge).with_only_columns(Idea.id, Idea.comparison_count)
             .order_by(Idea.comparison_count, Idea.id).limit(POOL))
    if own:
        query = query.where(Idea.id.not_in(own))
    pool = db.session.execute(query).all()
    if len(pool) < 2:
        return None
    judged = judged_pairs(member, challenge)
    pairs = [(a, b) for a, b in combinations(pool, 2) if frozenset((a.id, b.id)) not in judged]
    if not pairs:
        return None
    weights = [1.0 / (1 + a.comparison_count + b.comparison_count) for a, b in pairs]
    left_id, right_id = (row.id for row in rng.choices(pairs, weights=weights, k=1)[0])
    if rng.random() < 0.5:
        left_id, right_id = right_id, left_id
    ideas = {idea.id: idea for idea in db.session.scalars(select(Idea).where(Idea.id.in_((left_id, right_id))))}
    left, right = ideas[left_id], ideas[right_id]
    return left, right


def record_pick(member, challenge: Challenge, left: Idea, right: Idea, winner: Idea | None,
                now=None) -> PairwiseComparison:
    """Store one answer (winner None = skipped) and count the comparison on both ideas."""
    if (why := policy.can_compare_in(member, challenge)):
        raise NotAllowed(why)
    if left.id == right.id or left.challenge_id != challenge.id or right.challenge_id != challenge.id:
        raise Invalid(_("Pick one of two different ideas of this challenge."), field="winner")
    if winner is not None and winner.id not in (left.id, right.id):
        raise Invalid(_("Pick one of the two ideas shown."), field="winner")
    own = _own_idea_ids(member, challenge)
    if left.id in own or right.id in own:
        raise NotAllowed(_("You cannot judge your own idea."))
    if frozenset((left.id, right.id)) in judged_pairs(member, challenge):
        # a resent form (back button, second tab, double click) counts once
        raise Invalid(_("You compared these two already. Here is a new pair."), field="winner")
    for idea in (left, right):
        if idea.hidden_at is not None or idea.status not in statuses.VOTABLE:
            raise InvalidTransition(_("One of these ideas is no longer open."))
    now = now or utcnow()
    comparison = PairwiseComparison(challenge_id=challenge.id, user_id=member.id, left_id=left.id,
                                    right_id=right.id, winner_id=winner.id if winner else None, created_at=now)
    db.session.add(comparison)
    db.session.execute(update(Idea).where(Idea.id.in_((left.id, right.id)))
                       .values(comparison_count=Idea.comparison_count + 1)
                       .execution_options(synchronize_session=False))
    db.session.flush()
    db.session.expire(left, ["comparison_count"])
    db.session.expire(right, ["comparison_count"])
    return comparison


def bradley_terry(challenge: Challenge) -> list[tuple[Idea, float]]:
    """(idea, strength) best first, from the decided comparisons; ideas never
    compared (with a winner) are left out."""
    rows = db.session.execute(
        select(PairwiseComparison.left_id, PairwiseComparison.right_id, PairwiseComparison.winner_id)
        .where(PairwiseComparison.challenge_id == challenge.id, PairwiseComparison.winner_id.is_not(None))
    ).all()
    pairs_by_id: list[tuple[int, int]] = []
    for left, right, winner in rows:
        loser = right if winner == left else left
        pairs_by_id.append((winner, loser))
    ids = sorted({i for pair in pairs_by_id for i in pair})
    if not ids:
        return []
    ideas = {i.id: i for i in db.session.scalars(_candidates(challenge).where(Idea.id.in_(ids)))}
    ids = [i for i in ids if i in ideas]
    index = {idea_id: n for n, idea_id in enumerate(ids)}
    data = [(index[w], index[lo]) for w, lo in pairs_by_id if w in index and lo in index]
    if len(ids) == 1:
        return [(ideas[ids[0]], 0.0)]
    if not data:
        return []
    strengths = choix.ilsr_pairwise(len(ids), data, alpha=REGULARISATION)
    ranked = sorted(((ideas[idea_id], float(strengths[index[idea_id]])) for idea_id in ids),
                    key=lambda pair: (-pair[1], pair[0].id))
    return ranked


def comparison_total(challenge: Challenge) -> int:
    return db.session.scalar(select(func.count(PairwiseComparison.id)).where(
        PairwiseComparison.challenge_id == challenge.id)) or 0



# -- the ranking table -------------------------------------------------------

RANKING_LIMIT = 50  # rows shown; the rest is counted
RANKING_MAX_AGE = 60  # seconds a computed table may serve (vote ranks move with every vote)
# What, changed on an idea, changes the table (its rows, or which ideas are in it).
RANKING_FIELDS = ("title", "slug", "status", "hidden_at", "challenge_id")


@dataclass(frozen=True)
class RankRow:
    id: int
    title: str
    slug: str
    comparisons: int
    strength: float
    vote_rank: int | None


def _ranking_key(challenge_id: int) -> str:
    return f"pairwise:ranking:{challenge_id}"


def ranking_table(challenge: Challenge) -> dict:
    """The public ranking from comparisons: the RANKING_LIMIT strongest ideas with their
    place by votes, and how many more were ranked.

    Bradley-Terry over every comparison and the vote order of every idea cost too
    much for each page view of a large challenge, so a computed table is kept in the
    shared cache (`ideas.extensions.cache`) for at most RANKING_MAX_AGE seconds. It is
    dropped when a comparison is recorded or an idea of the challenge changes in a way
    the table shows (`forget_changed_rankings`, after the commit), and it is not used
    when the number of comparisons or of listed ideas differs from the one it was
    computed with, so a worker whose in-process cache missed the drop still does not
    serve a hidden idea or an old count."""
    total = comparison_total(challenge)
    key = _ranking_key(challenge.id)
    cached = cache.get(key)
    if cached is not None and cached["total"] == total and cached["idea_count"] == challenge.idea_count:
        return cached
    ranked = bradley_terry(challenge)
    shown = ranked[:RANKING_LIMIT]
    ids = {idea.id for idea, _strength in shown}
    vote_ranks: dict[int, int] = {}
    if ids:
        order = _candidates(challenge).with_only_columns(Idea.id).order_by(
            Idea.score.desc(), Idea.up_votes.desc(), Idea.id)
        for n, idea_id in enumerate(db.session.scalars(order), start=1):
            if idea_id in ids:
                vote_ranks[idea_id] = n
                if len(vote_ranks) == len(ids):
                    break
    table = {
        "rows": [RankRow(idea.id, idea.title, idea.slug, idea.comparison_count, strength,
                         vote_ranks.get(idea.id)) for idea, strength in shown],
        "more": max(0, len(ranked) - len(shown)),
        "total": total, "idea_count": challenge.idea_count,
    }
    cache.set(key, table, timeout=RANKING_MAX_AGE)
    return table


def forget_ranking(challenge_id: int) -> None:
    """Drop the challenge's cached ranking table (in every worker when the cache is Redis)."""
    cache.delete(_ranking_key(challenge_id))


_STALE = "ideas.stale_rankings"


def _note_changed_rankings(session, _flush_context) -> None:
    """After a flush: remember the challenges whose ranking table the flushed changes
    alter (a comparison recorded or removed; an idea added, removed, hidden, merged,
    withdrawn, declined, renamed or moved), to drop their tables once committed."""
    stale = set()
    for obj in session.new | session.deleted:
        if isinstance(obj, (PairwiseComparison, Idea)):
            stale.add(inspect(obj).dict.get("challenge_id"))  # never loads (a deleted row)
    for obj in session.dirty:
        if isinstance(obj, Idea):
            state = inspect(obj)
            if any(state.attrs[name].history.has_changes() for name in RANKING_FIELDS):
                stale.add(state.dict.get("challenge_id"))
                stale.update(state.attrs.challenge_id.history.deleted or ())
    if stale:
        session.info.setdefault(_STALE, set()).update(stale)


def _forget_after_commit(session) -> None:
    for challenge_id in session.info.pop(_STALE, ()):
        if challenge_id is not None:
            forget_ranking(challenge_id)


def _discard_after_rollback(session) -> None:
    session.info.pop(_STALE, None)


def forget_changed_rankings(session_events_target) -> None:
    """Connect the invalidation of ranking tables to the session: what a flush changed
    is noted, and the tables are dropped after the commit (a table computed from the
    old rows between flush and commit is dropped too). Called once from create_app."""
    for name, listener in (("after_flush", _note_changed_rankings), ("after_commit", _forget_after_commit),
                           ("after_rollback", _discard_after_rollback)):
        if not event.contains(session_events_target, name, listener):
            event.listen(session_events_target, name, listener)
