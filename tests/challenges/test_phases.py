"""The phase table, pair by pair (pure: no database)."""

import itertools

import pytest
from flask import Flask
from flask_babel import Babel

from ideas.challenges import phases
from ideas.core.errors import InvalidTransition

ALLOWED = {
    ("draft", "submission"),
    ("submission", "voting"), ("submission", "review"), ("submission", "closed"),
    ("voting", "review"), ("voting", "closed"),
    ("review", "refinement"), ("review", "closed"),
    ("refinement", "prototyping"), ("refinement", "closed"),
    ("prototyping", "closed"),
}


@pytest.fixture(autouse=True)
def babel_context():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


@pytest.mark.parametrize(("a", "b"), list(itertools.product(phases.PHASES, repeat=2)))
def test_every_pair_follows_the_table(a, b):
    if (a, b) in ALLOWED:
        phases.check_move(a, b)
        assert b in phases.allowed_moves(a)
    else:
        with pytest.raises(InvalidTransition) as exc:
            phases.check_move(a, b)
        assert phases.label(a) in exc.value.message
        assert b not in phases.allowed_moves(a)


def test_unknown_phase_is_refused():
    with pytest.raises(InvalidTransition):
        phases.check_move("submission", "party")


@pytest.mark.parametrize("phase", phases.PHASES)
def test_predicates_labels_and_explanations(phase):
    assert phases.accepts_ideas(phase) == (phase == "submission")
    assert phases.voting_open(phase) == (phase in ("submission", "voting"))
    assert phases.label(phase)
    assert phases.explanation(phase)


def test_next_phase_is_the_normal_step():
    assert phases.next_phase("submission") == "voting"
    assert phases.next_phase("prototyping") == "closed"
    assert phases.next_phase("closed") is None


def test_timeline_shows_what_happened_not_only_the_plan():
    from datetime import datetime

    day = lambda n: datetime(2026, 12, n)  # noqa: E731
    plans = {"submission": (day(1), day(5)), "voting": (day(5), day(9)), "review": (day(9), day(12)),
             "closed": (day(20), None)}
    # submitted, skipped voting, reviewed, closed early on day 11
    reached = {"submission": day(1), "review": day(5), "closed": day(11)}
    rows = {r["phase"]: r for r in phases.timeline("closed", reached, plans)}
    assert rows["voting"]["state"] == "skipped" and rows["refinement"]["state"] == "skipped"
    assert rows["review"]["state"] == "done" and rows["review"]["since"] == day(5)
    assert rows["closed"] == {"phase": "closed", "state": "current", "since": day(11), "until": None,
                              "planned_start": None, "planned_end": None}
    left = {"submission": day(5), "review": day(11)}
    rows = {r["phase"]: r for r in phases.timeline("closed", reached, plans, left)}
    assert (rows["review"]["since"], rows["review"]["until"]) == (day(5), day(11))
    ahead = {r["phase"]: r for r in phases.timeline("submission", {"submission": day(1)}, plans)}
    assert ahead["voting"]["state"] == "upcoming" and ahead["voting"]["planned_start"] == day(5)
    assert ahead["submission"]["planned_end"] == day(5)
