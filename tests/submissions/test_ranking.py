"""Pure ranking arithmetic: no app, no database."""

from datetime import datetime, timedelta

import pytest

from ideas.submissions.ranking import trend_add, trend_from, trend_remove, wilson_lower_bound


def test_no_votes_scores_zero():
    assert wilson_lower_bound(0, 0) == 0.0


def test_known_value():
    # 1 up, 0 down: (1 + z²/2 - z*sqrt(z²/4)) / (1 + z²) = 1 / (1 + z²)
    assert wilson_lower_bound(1, 0) == pytest.approx(1 / (1 + 1.96 ** 2))


def test_more_evidence_ranks_higher_at_the_same_share():
    assert wilson_lower_bound(9, 1) < wilson_lower_bound(90, 10)


def test_more_down_votes_rank_lower():
    assert wilson_lower_bound(10, 5) < wilson_lower_bound(10, 1)
    assert 0.0 <= wilson_lower_bound(0, 10) < wilson_lower_bound(1, 10)


def test_trend_add_then_remove_returns_to_start():
    t0 = datetime(2026, 1, 1)
    one = trend_add(0.0, t0)
    two = trend_add(one, t0 + timedelta(hours=5))
    assert trend_remove(two, t0 + timedelta(hours=5)) == pytest.approx(one)
    assert trend_remove(one, t0) == 0.0


def test_recent_votes_trend_higher_than_old_ones():
    now = datetime(2026, 6, 1)
    recent = trend_from([now - timedelta(hours=1)] * 3)
    old = trend_from([now - timedelta(days=30)] * 10)
    assert recent > old
    assert trend_from([]) == 0.0
