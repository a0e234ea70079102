"""The judging arithmetic, pure (no app, no database): weighted totals of a scorecard,
calibration of judges who score harsher or softer than others, the panel's agreement
(Krippendorff's alpha, interval level), the jury's ranking against the community's
(Kendall's tau-b) and a balanced assignment of ideas to judges.

Missing scores are normal (a judge scores only the ideas assigned to them): every figure
is computed from the scores that exist, never from zeros standing in for the others.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass

MIN_CALIBRATION_SCORES = 3  # fewer scores than this say too little about a judge's habits
LOW_AGREEMENT = 0.667  # Krippendorff's lower bound for tentative conclusions


@dataclass(frozen=True)
class Criterion:
    """One line of a rubric: its weight and the scale a judge scores it on."""

    id: Hashable
    weight: float
    low: int
    high: int


def weighted_total(scores: Mapping[Hashable, float], criteria: Iterable[Criterion]) -> float:
    """A scorecard's total from 0 to 1: each criterion's score placed on its scale
    (low -> 0, high -> 1), then the weighted mean. Every criterion must be scored."""
    criteria = list(criteria)
    weight = sum(c.weight for c in criteria)
    if not criteria or weight <= 0:
        raise ValueError("a rubric needs at least one criterion with a positive weight")
    total = 0.0
    for c in criteria:
        if c.id not in scores:
            raise ValueError(f"criterion {c.id!r} is not scored")
        value = scores[c.id]
        if not c.low <= value <= c.high:
            raise ValueError(f"criterion {c.id!r}: {value} is outside {c.low}-{c.high}")
        total += c.weight * (value - c.low) / (c.high - c.low)
    return total / weight


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


def _stdev(values: list[float]) -> float:
    """Sample standard deviation (n - 1): a judge's scores are a sample of their habits."""
    mean = _mean(values)
    return math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))


@dataclass(frozen=True)
class JudgeCalibration:
    judge: Hashable
    count: int
    mean: float | None
    stdev: float | None
    calibrated: bool  # False: fewer than MIN_CALIBRATION_SCORES scores, or no spread (flagged)


def calibrations(totals: Mapping[tuple[Hashable, Hashable], float]) -> dict[Hashable, JudgeCalibration]:
    """Each judge's mean and spread over the ideas they scored (`totals`: (judge, idea) ->
    weighted total); a judge is calibrated with at least MIN_CALIBRATION_SCORES scores
    that are not all equal."""
    by_judge: dict[Hashable, list[float]] = defaultdict(list)
    for (judge, _idea), total in totals.items():
        by_judge[judge].append(total)
    result = {}
    for judge, values in by_judge.items():
        if len(values) < MIN_CALIBRATION_SCORES:
            result[judge] = JudgeCalibration(judge, len(values), _mean(values), None, False)
            continue
        spread = _stdev(values)
        result[judge] = JudgeCalibration(judge, len(values), _mean(values), spread, spread > 1e-12)
    return result


def z_scores(totals: Mapping[tuple[Hashable, Hashable], float]) -> dict[tuple[Hashable, Hashable], float]:
    """(judge, idea) -> the total as a z-score over that judge's totals, for calibrated
    judges only (the others are left out, as in the calibrated ranking)."""
    judges = calibrations(totals)
    return {(judge, idea): (total - judges[judge].mean) / judges[judge].stdev
            for (judge, idea), total in totals.items() if judges[judge].calibrated}


@dataclass(frozen=True)
class RankedIdea:
    idea: Hashable
    raw: float  # mean of its judges' weighted totals, 0..1
    calibrated: float | None  # mean of its calibrated judges' z-scores; None when it has none
    count: int  # number of scorecards
    spread: float  # highest minus lowest total among its judges (0 with one judge)


def ranking(totals: Mapping[tuple[Hashable, Hashable], float]) -> list[RankedIdea]:
    """The shortlist ranked by calibrated score (ideas without one after those with one),
    then raw mean, then id: each judge's totals become z-scores over the ideas that judge
    scored, and an idea's calibrated score is the mean of its judges' z-scores."""
    judges = calibrations(totals)
    raw: dict[Hashable, list[float]] = defaultdict(list)
    zs: dict[Hashable, list[float]] = defaultdict(list)
    for (judge, idea), total in totals.items():
        raw[idea].append(total)
        cal = judges[judge]
        if cal.calibrated:
            zs[idea].append((total - cal.mean) / cal.stdev)
    rows = [RankedIdea(idea, _mean(values), _mean(zs[idea]) if zs.get(idea) else None, len(values),
                       max(values) - min(values)) for idea, values in raw.items()]
    # equal calibrated scores (to 9 places: float noise is not a difference) go by raw mean
    rows.sort(key=lambda r: (r.calibrated is None, -round(r.calibrated or 0.0, 9), -r.raw, str(r.idea)))
    return rows


def krippendorff_alpha_interval(units: Mapping[Hashable, Mapping[Hashable, float]]) -> float | None:
    """Krippendorff's alpha at the interval level (`units`: idea -> {judge: value}).

    Only units with at least two values are pairable; alpha = 1 - D_o / D_e, with the
    observed disagreement within units and the expected one between all pairable values.
    None when undefined (fewer than two pairable values, or no variation at all)."""
    pairable = [list(values.values()) for values in units.values() if len(values) >= 2]
    values = [v for unit in pairable for v in unit]
    n = len(values)
    if n < 2:
        return None
    observed = 0.0
    for unit in pairable:
        m = len(unit)
        observed += sum((a - b) ** 2 for i, a in enumerate(unit) for j, b in enumerate(unit) if i != j) / (m - 1)
    observed /= n
    mean = _mean(values)
    # sum over ordered pairs of (c - k)^2 = 2n * sum (v - mean)^2
    expected = 2 * n * sum((v - mean) ** 2 for v in values) / (n * (n - 1))
    if expected <= 0:
        return None
    return 1.0 - observed / expected


def kendall_tau_b(a: Mapping[Hashable, float], b: Mapping[Hashable, float]) -> float | None:
    """Kendall's tau-b between two scorings of the ideas both have (ties counted as
    tau-b does); None with fewer than two common ideas or when one side is all ties."""
    common = sorted(set(a) & set(b), key=str)
    concordant = discordant = ties_a = ties_b = 0
    for i, x in enumerate(common):
        for y in common[i + 1:]:
            da, db = a[x] - a[y], b[x] - b[y]
            if da == 0 and db == 0:
                continue
            if da == 0:
                ties_a += 1
            elif db == 0:
                ties_b += 1
            elif (da > 0) == (db > 0):
                concordant += 1
            else:
                discordant += 1
    denominator = math.sqrt((concordant + discordant + ties_a) * (concordant + discordant + ties_b))
    if len(common) < 2 or denominator == 0:
        return None
    return (concordant - discordant) / denominator


def ranks(scores: Mapping[Hashable, float]) -> dict[Hashable, int]:
    """1 for the highest score; equal scores share the better rank."""
    ordered = sorted(scores.items(), key=lambda kv: -kv[1])
    result: dict[Hashable, int] = {}
    previous, rank = None, 0
    for position, (key, value) in enumerate(ordered, start=1):
        if value != previous:
            rank, previous = position, value
        result[key] = rank
    return result


def disagreements(jury: Mapping[Hashable, float], community: Mapping[Hashable, float],
                  limit: int = 5) -> list[tuple[Hashable, int, int]]:
    """The ideas whose jury rank and community rank differ most: (idea, jury rank,
    community rank), largest difference first, at most `limit`."""
    common = set(jury) & set(community)
    jr = ranks({k: jury[k] for k in common})
    cr = ranks({k: community[k] for k in common})
    rows = sorted(((k, jr[k], cr[k]) for k in common), key=lambda r: (-abs(r[1] - r[2]), r[1], str(r[0])))
    return [r for r in rows if r[1] != r[2]][:limit]


class AssignmentError(ValueError):
    """An idea cannot get the judges it needs (too few judges without a conflict)."""

    def __init__(self, idea: Hashable, needed: int, available: int):
        super().__init__(f"idea {idea!r} needs {needed} judges, only {available} can judge it")
        self.idea, self.needed, self.available = idea, needed, available


def assign_balanced(ideas: Iterable[Hashable], judges: Iterable[Hashable], per_idea: int,
                    excluded: set[tuple[Hashable, Hashable]] = frozenset(),
                    existing: Mapping[Hashable, Iterable[Hashable]] | None = None) -> dict[Hashable, list]:
    """Judges for each idea: `per_idea` of them (those already assigned in `existing`
    count), never a (judge, idea) pair in `excluded` (authors, co-authors, declared
    conflicts), each idea to the judges with the lightest load so far (ties by the order
    given), so that loads stay within one of each other when the exclusions allow it.
    Returns the new assignments only: idea -> [judge, ...]."""
    judges = list(judges)
    order = {judge: i for i, judge in enumerate(judges)}
    load = dict.fromkeys(judges, 0)
    existing = {idea: list(js) for idea, js in (existing or {}).items()}
    for assigned in existing.values():
        for judge in assigned:
            if judge in load:
                load[judge] += 1
    new: dict[Hashable, list] = {}
    # The ideas with the fewest possible judges first, so they are not left without any.
    ideas = list(ideas)
    possible = {idea: [j for j in judges if (j, idea) not in excluded] for idea in ideas}
    for idea in sorted(ideas, key=lambda i: (len(possible[i]), ideas.index(i))):
        have = [j for j in existing.get(idea, []) if j in load]
        need = per_idea - len(have)
        if need <= 0:
            continue
        candidates = [j for j in possible[idea] if j not in have]
        if len(candidates) < need:
            raise AssignmentError(idea, per_idea, len(candidates) + len(have))
        chosen = sorted(candidates, key=lambda j: (load[j], order[j]))[:need]
        for judge in chosen:
            load[judge] += 1
        new[idea] = chosen
    return new
