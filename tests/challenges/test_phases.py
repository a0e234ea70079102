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
