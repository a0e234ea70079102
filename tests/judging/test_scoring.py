"""The judging arithmetic on hand-computed examples, checked against krippendorff and scipy."""

from __future__ import annotations

import math
import random

import pytest

from ideas.judging import scoring
from ideas.judging.scoring import Criterion

RUBRIC = [Criterion("impact", 2, 1, 5), Criterion("cost", 1, 1, 10)]


def test_weighted_total_places_each_score_on_its_scale():
    # impact 5 of 1-5 -> 1.0 (weight 2), cost 1 of 1-10 -> 0.0 (weight 1): (2*1 + 1*0) / 3
    assert scoring.weighted_total({"impact": 5, "cost": 1}, RUBRIC) == pytest.approx(2 / 3)
    # impact 3 -> 0.5, cost 10 -> 1.0: (2*0.5 + 1) / 3
    assert scoring.weighted_total({"impact": 3, "cost": 10}, RUBRIC) == pytest.approx(2 / 3)
    with pytest.raises(ValueError, match="not scored"):
        scoring.weighted_total({"impact": 3}, RUBRIC)
    with pytest.raises(ValueError, match="outside"):
        scoring.weighted_total({"impact": 6, "cost": 1}, RUBRIC)


def _harsh_and_soft():
    """Two judges who agree on the order but not on the level; a third scores two ideas."""
    soft = {"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.6}
    harsh = {"A": 0.4, "B": 0.3, "C": 0.2, "D": 0.1}
    totals = {("soft", i): v for i, v in soft.items()} | {("harsh", i): v for i, v in harsh.items()}
    totals |= {("newcomer", "C"): 1.0, ("newcomer", "D"): 0.9}
    return totals


def test_calibration_removes_a_judge_s_level_and_flags_thin_judges():
    judges = scoring.calibrations(_harsh_and_soft())
    assert judges["soft"].calibrated and judges["harsh"].calibrated
    assert judges["soft"].mean == pytest.approx(0.75) and judges["harsh"].mean == pytest.approx(0.25)
    # sample sd of 0.9, 0.8, 0.7, 0.6 = sqrt(0.05 / 3)
    assert judges["soft"].stdev == pytest.approx(math.sqrt(0.05 / 3))
    assert not judges["newcomer"].calibrated and judges["newcomer"].count == 2  # fewer than 3 scores
    flat = scoring.calibrations({("flat", i): 0.5 for i in "ABC"})
    assert not flat["flat"].calibrated  # no spread


def test_calibrated_ranking_differs_from_the_raw_mean_when_one_judge_is_harsh():
    # The soft judge scored A, B, C; the harsh one D, E, F (each their own third of the
    # shortlist). Raw means put all of the harsh judge's ideas last; calibrated, each
    # judge's best idea is +1 (0.1 above a mean, sd 0.1), their worst -1.
    totals = {("soft", "A"): 0.9, ("soft", "B"): 0.8, ("soft", "C"): 0.7,
              ("harsh", "D"): 0.5, ("harsh", "E"): 0.4, ("harsh", "F"): 0.3}
    rows = scoring.ranking(totals)
    assert [r.idea for r in sorted(rows, key=lambda r: -r.raw)] == ["A", "B", "C", "D", "E", "F"]
    by_idea = {r.idea: r for r in rows}
    assert by_idea["D"].calibrated == pytest.approx(1.0) and by_idea["A"].calibrated == pytest.approx(1.0)
    assert by_idea["C"].calibrated == pytest.approx(-1.0)
    assert [r.idea for r in rows] == ["A", "D", "B", "E", "C", "F"]  # ties broken by the raw mean
    assert by_idea["D"].count == 1 and by_idea["D"].spread == 0.0


def test_shared_ideas_average_their_judges_z_scores():
    rows = {r.idea: r for r in scoring.ranking(_harsh_and_soft())}
    z = 0.15 / math.sqrt(0.05 / 3)  # A is 0.15 above each judge's mean (sd sqrt(0.05/3))
    assert rows["A"].calibrated == pytest.approx(z)
    # C: soft and harsh both -0.05 from their means; the newcomer (2 scores) is left out
    assert rows["C"].calibrated == pytest.approx(-(0.05 / math.sqrt(0.05 / 3)))
    assert rows["C"].raw == pytest.approx((0.7 + 0.2 + 1.0) / 3)
    assert rows["C"].count == 3 and rows["C"].spread == pytest.approx(0.8)


def test_an_idea_with_only_uncalibrated_judges_ranks_after_the_others():
    totals = {("j1", "A"): 0.9, ("j1", "B"): 0.5, ("j1", "C"): 0.1, ("thin", "Z"): 1.0}
    rows = scoring.ranking(totals)
    assert rows[-1].idea == "Z" and rows[-1].calibrated is None and rows[-1].raw == 1.0


def test_alpha_hand_computed():
    # Two judges, three ideas: (1, 1), (2, 3), (3, 3). n = 6 pairable values.
    units = {"a": {"x": 1, "y": 1}, "b": {"x": 2, "y": 3}, "c": {"x": 3, "y": 3}}
    # D_o = (1/6) * [0 + 2*1/1 + 0] = 1/3; values 1,1,2,3,3,3: mean 13/6,
    # sum of squares = 1/36 * (49+49+1+25+25+25) = 174/36; D_e = 2*6*(174/36) / 30 = 58/30
    assert scoring.krippendorff_alpha_interval(units) == pytest.approx(1 - (1 / 3) / (58 / 30))
    assert scoring.krippendorff_alpha_interval({"a": {"x": 1}}) is None  # nothing pairable
    assert scoring.krippendorff_alpha_interval({"a": {"x": 2, "y": 2}, "b": {"x": 2, "y": 2}}) is None


@pytest.mark.parametrize("seed", range(5))
def test_alpha_matches_the_krippendorff_package_with_missing_scores(seed):
    krippendorff = pytest.importorskip("krippendorff", reason="krippendorff (dev requirement) not installed")
    import numpy as np

    rng = random.Random(seed)
    judges, ideas = ["j1", "j2", "j3", "j4"], [f"i{n}" for n in range(12)]
    units = {}
    for idea in ideas:
        level = rng.uniform(0, 1)
        who = rng.sample(judges, rng.choice([1, 2, 3]))  # not every judge scores every idea
        units[idea] = {j: round(level + rng.uniform(-0.2, 0.2), 3) for j in who}
    matrix = np.array([[units[i].get(j, np.nan) for i in ideas] for j in judges], dtype=float)
    expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement="interval")
    assert scoring.krippendorff_alpha_interval(units) == pytest.approx(expected, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_tau_matches_scipy_with_ties_and_missing_ideas(seed):
    from scipy.stats import kendalltau

    rng = random.Random(seed)
    a = {f"i{n}": rng.choice([1, 2, 3, 4, 5]) for n in range(15)}
    b = {f"i{n}": rng.choice([1, 2, 3]) for n in range(3, 18)}  # partly other ideas
    common = sorted(set(a) & set(b))
    expected = kendalltau([a[k] for k in common], [b[k] for k in common], variant="b").statistic
    assert scoring.kendall_tau_b(a, b) == pytest.approx(expected)
    assert scoring.kendall_tau_b({"x": 1}, {"x": 2}) is None


def test_disagreements_name_the_ideas_ranked_most_differently():
    jury = {"A": 0.9, "B": 0.8, "C": 0.7, "D": 0.1}
    community = {"A": 10, "B": 9, "C": 1, "D": 50}
    rows = scoring.disagreements(jury, community)
    assert rows[0] == ("D", 4, 1)  # last for the jury, first for the community
    assert ("A", 1, 2) in rows and all(j != c for _i, j, c in rows)


def test_balanced_assignment_keeps_loads_within_one_and_avoids_authors():
    ideas = [f"i{n}" for n in range(10)]
    judges = ["j1", "j2", "j3", "j4"]
    excluded = {("j1", "i0"), ("j2", "i0"), ("j3", "i5")}  # j1 and j2 wrote i0; j3 co-wrote i5
    assignment = scoring.assign_balanced(ideas, judges, 2, excluded)
    assert all(len(js) == 2 and len(set(js)) == 2 for js in assignment.values())
    assert set(assignment) == set(ideas)
    assert not any((j, i) in excluded for i, js in assignment.items() for j in js)
    loads = [sum(j in js for js in assignment.values()) for j in judges]
    assert sum(loads) == 20 and max(loads) - min(loads) <= 1


def test_ideas_added_later_are_assigned_on_top_of_the_existing_loads():
    judges = ["j1", "j2", "j3"]
    existing = {"i1": ["j1", "j2"], "i2": ["j1", "j3"]}  # j1 carries two already
    new = scoring.assign_balanced(["i1", "i2", "i3"], judges, 2, existing=existing)
    assert list(new) == ["i3"] and sorted(new["i3"]) == ["j2", "j3"]


def test_assignment_refuses_an_idea_that_cannot_get_enough_judges():
    with pytest.raises(scoring.AssignmentError) as exc:
        scoring.assign_balanced(["i1"], ["j1", "j2"], 2, excluded={("j1", "i1")})
    assert (exc.value.needed, exc.value.available) == (2, 1)


def test_z_scores_leave_out_uncalibrated_judges_and_remove_a_harsh_offset():
    from ideas.judging.scoring import krippendorff_alpha_interval, z_scores

    # two judges rank a, b, c alike; "h" is 0.5 lower on everything; "x" scored one idea only
    totals = {("s", "a"): 0.9, ("s", "b"): 0.7, ("s", "c"): 0.5,
              ("h", "a"): 0.4, ("h", "b"): 0.2, ("h", "c"): 0.0, ("x", "a"): 1.0}
    z = z_scores(totals)
    assert ("x", "a") not in z
    assert z[("s", "a")] == pytest.approx(1.0) and z[("h", "a")] == pytest.approx(1.0)
    assert z[("s", "c")] == pytest.approx(-1.0)
    raw_units = {i: {j: t for (j, k), t in totals.items() if k == i and j != "x"} for i in "abc"}
    z_units = {i: {j: v for (j, k), v in z.items() if k == i} for i in "abc"}
    assert krippendorff_alpha_interval(raw_units) < 0.667 < krippendorff_alpha_interval(z_units) == pytest.approx(1.0)
