"""Pairwise comparisons: fair pairs, recorded picks, Bradley-Terry strengths."""

from __future__ import annotations

import random

import pytest

from ideas.core.errors import Invalid, NotAllowed
from ideas.submissions.counters import recount
from ideas.submissions.pairwise import bradley_terry, judged_count, next_pair, record_pick


def test_next_pair_never_own_idea_nor_same_idea(make):
    challenge = make.challenge()
    member = make.user()
    own = make.idea(challenge, member)
    others = [make.idea(challenge) for _ in range(4)]
    make.idea(challenge, status="withdrawn")
    hidden = make.idea(challenge)
    from ideas.core.db import utcnow
    hidden.hidden_at = utcnow()
    rng = random.Random(7)
    allowed = {i.id for i in others}
    for _ in range(50):
        left, right = next_pair(member, challenge, rng)
        assert left.id != right.id
        assert {left.id, right.id} <= allowed
    assert own.id not in allowed


def test_next_pair_skips_judged_pairs_then_runs_out(make):
    challenge = make.challenge()
    member = make.user()
    ideas = [make.idea(challenge) for _ in range(3)]
    seen = set()
    for _ in range(3):
        left, right = next_pair(member, challenge, random.Random(1))
        pair = frozenset((left.id, right.id))
        assert pair not in seen
        seen.add(pair)
        record_pick(member, challenge, left, right, left)
    assert next_pair(member, challenge) is None
    assert judged_count(member, challenge) == 3
    assert sum(i.comparison_count for i in ideas) == 6
    assert recount() == []


def test_record_pick_refusals(make):
    challenge = make.challenge()
    member = make.user()
    a, b = make.idea(challenge), make.idea(challenge)
    mine = make.idea(challenge, member)
    with pytest.raises(Invalid):
        record_pick(member, challenge, a, a, a)
    with pytest.raises(Invalid):
        record_pick(member, challenge, a, b, mine)
    with pytest.raises(NotAllowed):
        record_pick(member, challenge, a, mine, a)
    with pytest.raises(NotAllowed):
        record_pick(make.user(verified=False), challenge, a, b, a)
    record_pick(member, challenge, a, b, None)  # a skip is recorded too
    assert (a.comparison_count, b.comparison_count) == (1, 1)


def test_bradley_terry_ranks_a_consistent_winner_first(make):
    challenge = make.challenge()
    best, middle, worst = make.idea(challenge), make.idea(challenge), make.idea(challenge)
    never = make.idea(challenge)
    for _ in range(4):
        judge = make.user()
        record_pick(judge, challenge, best, middle, best)
        record_pick(judge, challenge, middle, worst, middle)
        record_pick(judge, challenge, worst, best, best)
    record_pick(make.user(), challenge, worst, never, None)  # skipped: no evidence
    ranking = bradley_terry(challenge)
    assert [idea.id for idea, _s in ranking] == [best.id, middle.id, worst.id]
    strengths = [s for _i, s in ranking]
    assert strengths[0] > strengths[1] > strengths[2]


def test_bradley_terry_empty(make):
    assert bradley_terry(make.challenge()) == []


def test_ranking_table_shows_the_strongest_with_their_vote_rank(app, db, make, monkeypatch):
    # Caching and invalidation of the table: tests/core/test_shared_cache.py
    from ideas.submissions import pairwise

    challenge = make.challenge()
    best, middle, worst = make.idea(challenge, up_votes=1), make.idea(challenge, up_votes=9), make.idea(challenge)
    for _ in range(3):
        judge = make.user()
        record_pick(judge, challenge, best, middle, best)
        record_pick(judge, challenge, middle, worst, middle)
    db.session.commit()
    table = pairwise.ranking_table(challenge)
    assert [r.id for r in table["rows"]] == [best.id, middle.id, worst.id]
    assert [r.vote_rank for r in table["rows"]] == [2, 1, 3]  # by votes, middle leads
    assert table["total"] == 6 and table["more"] == 0

    monkeypatch.setattr(pairwise, "RANKING_LIMIT", 1)
    pairwise.forget_ranking(challenge.id)
    table = pairwise.ranking_table(challenge)
    assert [r.id for r in table["rows"]] == [best.id] and table["more"] == 2
