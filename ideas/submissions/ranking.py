"""Pure ranking arithmetic for idea lists; no app, no database.

- top: the Wilson score lower bound of the up-vote share (z = 1.96), so an idea
  with 9 of 10 up-votes does not outrank one with 90 of 100.
- trending: every up-vote adds exp(t / TREND_TAU) to a sum kept in log space. At
  any moment the sum decays by the same factor for every idea, so ordering by the
  stored log equals ordering by the time-decayed vote count, and the column can
  be indexed and updated in the vote's transaction.
"""

from __future__ import annotations

import math
from datetime import datetime

Z = 1.96
TREND_TAU_SECONDS = 3 * 24 * 3600.0  # a vote's weight falls by e every three days
_EPOCH = datetime(2020, 1, 1)


def wilson_lower_bound(up: int, down: int, z: float = Z) -> float:
    """Lower bound of the Wilson score interval for the up-vote share; 0 with no votes."""
    n = up + down
    if n <= 0:
        return 0.0
    phat = up / n
    z2 = z * z
    centre = phat + z2 / (2 * n)
    margin = z * math.sqrt((phat * (1 - phat) + z2 / (4 * n)) / n)
    return (centre - margin) / (1 + z2 / n)


def _vote_weight_log(at: datetime) -> float:
    return (at - _EPOCH).total_seconds() / TREND_TAU_SECONDS


def trend_add(trend: float, at: datetime) -> float:
    """The trend value after one more up-vote at `at` (trend 0.0 means none yet)."""
    w = _vote_weight_log(at)
    if trend == 0.0:
        return w
    return max(trend, w) + math.log1p(math.exp(-abs(trend - w)))


def trend_remove(trend: float, at: datetime) -> float:
    """The trend value after the up-vote cast at `at` is taken back (0.0 when none left)."""
    w = _vote_weight_log(at)
    if trend == 0.0 or w >= trend - 1e-12:
        return 0.0
    return trend + math.log1p(-math.exp(w - trend))


def trend_from(vote_times: list[datetime]) -> float:
    """The trend value of an idea from all its up-vote times (used by recount)."""
    value = 0.0
    for at in sorted(vote_times):
        value = trend_add(value, at)
    return value
