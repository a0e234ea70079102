"""The pure rules of reputation (ideas/reputation/rules.py), table by table: no app,
no database."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from ideas.reputation import rules
from ideas.reputation.rules import CategoryRecord, MemberStats, Need

NOW = datetime(2026, 12, 1, 12, 0)


# -- points ------------------------------------------------------------------------

@pytest.mark.parametrize(("reason", "family"), [
    ("idea_submitted", "idea_submitted"),
    ("idea_withdrawn", "idea_submitted"),
    ("upvote_received", "upvote_received"),
    ("upvote_taken_back", "upvote_received"),
    ("comment_helpful", "comment_helpful"),
    ("helpful_taken_back", "comment_helpful"),
    ("idea_shortlisted", "idea_shortlisted"),
    ("idea_shortlisted_reversed", "idea_shortlisted"),
    ("judging_completed_reversed", "judging_completed"),
])
def test_every_reason_belongs_to_one_rule(reason, family):
    assert rules.family(reason) == family


def test_reversals_are_their_rules_reversal_and_all_distinct():
    reversals = [rules.reversal_of(r) for r in rules.RULES]
    assert len(set(reversals)) == len(reversals)
    assert not set(reversals) & set(rules.RULES)
    assert all(len(r) <= 40 for r in [*reversals, *rules.RULES])  # the ledger's column
    assert set(rules.reasons_of(["upvote_received"])) == {"upvote_received", "upvote_taken_back"}


def test_outcomes_earn_more_the_further_an_idea_goes():
    worth = [rules.RULES[rules.OUTCOME_REASONS[s]].points for s in ("shortlisted", "selected", "prototyped", "winner")]
    assert worth == sorted(worth) and len(set(worth)) == 4
    assert all(rules.RULES[r].outcome for r in rules.OUTCOME_REASONS.values())
    assert not rules.RULES["upvote_received"].outcome


# -- expert status -------------------------------------------------------------------

def record(points=0, outcomes=0, hidden=0, category="home"):
    return CategoryRecord(category, points, outcomes, hidden)


@pytest.mark.parametrize(("rec", "needs"), [
    (record(60, 1, 0), ()),
    (record(500, 3, 0), ()),
    (record(59, 1, 0), (Need("points_in_category", 1, "home"),)),
    (record(60, 0, 0), (Need("outcome_in_category", 1, "home"),)),
    (record(90, 2, 1), (Need("clean_record", 1, "home"),)),
    (record(0, 0, 2), (Need("points_in_category", 60, "home"), Need("outcome_in_category", 1, "home"),
                       Need("clean_record", 2, "home"))),
])
def test_expert_rules(rec, needs):
    assert rules.expert_needs(rec) == needs
    assert rules.meets_expert_rules(rec) is (needs == ())


@pytest.mark.parametrize(("meets", "held", "override", "decision"), [
    (True, False, None, "grant"),
    (True, True, None, "keep"),
    (False, True, None, "lapse"),
    (False, False, None, "keep"),
    # staff granted: held whatever the rules say
    (False, False, "granted", "grant"),
    (False, True, "granted", "keep"),
    (True, True, "granted", "keep"),
    (True, False, "granted", "grant"),
    # staff revoked: not held whatever the rules say
    (True, True, "revoked", "lapse"),
    (True, False, "revoked", "keep"),
    (False, True, "revoked", "lapse"),
    (False, False, "revoked", "keep"),
])
def test_daily_review(meets, held, override, decision):
    assert rules.review(meets, held, override) == decision


def test_windows():
    assert rules.window_start(NOW) == NOW - timedelta(days=730)
    assert rules.clean_since(NOW) == NOW - timedelta(days=90)


# -- levels -------------------------------------------------------------------------

@pytest.mark.parametrize(("points", "experts", "records", "level", "following", "needs"), [
    (0, (), (), "newcomer", "contributor", (Need("points", 20),)),
    (19, (), (), "newcomer", "contributor", (Need("points", 1),)),
    (20, (), (), "contributor", "promoter", (Need("points", 50),)),
    (69, (), (), "contributor", "promoter", (Need("points", 1),)),
    # a promoter's next step is expert status: the closest category is the one named
    (70, (), (), "promoter", "expert", (Need("points_in_category", 60), Need("outcome_in_category", 1))),
    (200, (), (record(40, 1, category="home"), record(55, 0, category="mobility")), "promoter", "expert",
     (Need("points_in_category", 20, "home"),)),
    (200, (), (record(70, 0, category="home"),), "promoter", "expert", (Need("outcome_in_category", 1, "home"),)),
    (70, ("home",), (), "expert", None, ()),
    # expert status alone does not skip the points
    (30, ("home",), (), "contributor", "promoter", (Need("points", 40),)),
])
def test_levels_and_what_the_next_needs(points, experts, records, level, following, needs):
    standing = rules.standing(points, experts, records)
    assert standing.level.code == level
    assert (standing.next_level.code if standing.next_level else None) == following
    assert standing.needs == needs


def test_levels_are_in_order():
    assert rules.LEVEL_CODES == ("newcomer", "contributor", "promoter", "expert")
    assert [lv.min_points for lv in rules.LEVELS] == sorted(lv.min_points for lv in rules.LEVELS)


# -- badges -------------------------------------------------------------------------

@pytest.mark.parametrize(("counts", "experts", "badges"), [
    ({}, (), ()),
    ({"idea_submitted": 1}, (), ("first_idea",)),
    ({"idea_submitted": 10}, (), ("first_idea", "ten_ideas")),
    ({"idea_submitted": 9, "idea_shortlisted": 1}, (), ("first_idea", "first_shortlist")),
    ({"upvote_received": 49}, (), ()),
    ({"upvote_received": 50}, (), ("crowd_favourite",)),
    ({"idea_winner": 1, "comment_helpful": 2}, (), ("winner", "helpful")),
    ({"judging_completed": 1, "focus_group_feedback": 1, "test_feedback": 3}, (),
     ("judge", "focus_group_member", "tester")),
    ({}, ("home",), ("expert",)),
    ({"idea_submitted": -1}, (), ()),  # net of reversals: a withdrawn idea is no milestone
])
def test_milestone_badges(counts, experts, badges):
    earned = rules.badges_for(MemberStats(counts, tuple(experts)))
    assert tuple(b.code for b in earned) == badges


def test_every_badge_counts_a_rule_or_expert_status():
    assert {b.reason for b in rules.BADGES} <= set(rules.RULES) | {"expert"}
    assert len({b.code for b in rules.BADGES}) == len(rules.BADGES)


# -- leaderboards ------------------------------------------------------------------------

@pytest.mark.parametrize(("period", "start"), [
    ("week", NOW - timedelta(days=7)), ("month", NOW - timedelta(days=30)), ("all", None), ("bogus", None),
])
def test_leaderboard_periods(period, start):
    assert rules.period_start(period, NOW) == start
