"""The "which is better?" mode: pairs of ideas, the member picks one or skips.

Pairs favour ideas compared least, so every idea gets seen; a member never judges
their own idea nor the same pair twice. Strengths come from a Bradley-Terry model
fitted with `choix` (ILSR, a little regularisation so one-sided records stay finite).
"""

from __future__ import annotations

import random
from itertools import combinations

import choix
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.extensions import db
from ideas.submissions.models import Idea, IdeaCoauthor, PairwiseComparison
from ideas.submissions.policy import PUBLIC_STATUSES

POOL = 50
OPEN_STATUSES = tuple(s for s in PUBLIC_STATUSES if s != "declined")
REGULARISATION = 0.01


def _candidates(challenge: Challenge):
    return select(Idea).where(Idea.challenge_id == challenge.id, Idea.hidden_at.is_(None),
                              Idea.status.in_(OPEN_STATUSES))


def _own_idea_ids(member, challenge: Challenge) -> set[int]:
    if member is None or not getattr(member, "is_authenticated", False):
        return set()
    own = set(db.session.scalars(select(Idea.id).where(Idea.challenge_id == challenge.id,
                                                       Idea.author_id == member.id)))
    own.update(db.session.scalars(select(IdeaCoauthor.idea_id).join(Idea, Idea.id == IdeaCoauthor.idea_id)
                                  .where(Idea.challenge_id == challenge.id, IdeaCoauthor.user_id == member.id)))
    return own


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
    query = _candidates(challenge).order_by(Idea.comparison_count, Idea.id).limit(POOL)
    if own:
        query = query.where(Idea.id.not_in(own))
    pool = list(db.session.scalars(query))
    if len(pool) < 2:
        return None
    judged = judged_pairs(member, challenge)
    pairs = [(a, b) for a, b in combinations(pool, 2) if frozenset((a.id, b.id)) not in judged]
    if not pairs:
        return None
    weights = [1.0 / (1 + a.comparison_count + b.comparison_count) for a, b in pairs]
    left, right = rng.choices(pairs, weights=weights, k=1)[0]
    if rng.random() < 0.5:
        left, right = right, left
    return left, right


def record_pick(member, challenge: Challenge, left: Idea, right: Idea, winner: Idea | None,
                now=None) -> PairwiseComparison:
    """Store one answer (winner None = skipped) and count the comparison on both ideas."""
    if member is None or not getattr(member, "is_authenticated", False) or not getattr(member, "is_verified", False):
        raise NotAllowed(_("Please log in with a confirmed email address to compare ideas."))
    if challenge.phase not in ("submission", "voting"):
        raise InvalidTransition(_("Comparing is closed in this challenge."))
    if left.id == right.id or left.challenge_id != challenge.id or right.challenge_id != challenge.id:
        raise Invalid(_("Pick one of two different ideas of this challenge."), field="winner")
    if winner is not None and winner.id not in (left.id, right.id):
        raise Invalid(_("Pick one of the two ideas shown."), field="winner")
    own = _own_idea_ids(member, challenge)
    if left.id in own or right.id in own:
        raise NotAllowed(_("You cannot judge your own idea."))
    for idea in (left, right):
        if idea.hidden_at is not None or idea.status not in OPEN_STATUSES:
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

