"""Vote service: one vote per member per idea, changes, budgets, refusals, recount."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from ideas.core.errors import Invalid, NotAllowed
from ideas.submissions import ranking
from ideas.submissions.counters import recount
from ideas.submissions.models import Idea, IdeaCoauthor, Vote, VoteBudgetUse
from ideas.submissions.votes import cast_vote, my_votes, vote_panel


@pytest.fixture
def setup(make):
    challenge = make.challenge()
    author = make.user()
    idea = make.idea(challenge, author)
    return challenge, author, idea


def _votes(db, idea):
    return db.session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == idea.id))


def test_up_vote_counts_once_and_is_unique(db, make, setup):
    challenge, _author, idea = setup
    voter = make.user()
    cast_vote(voter, idea, 1)
    cast_vote(voter, idea, 1)
    assert _votes(db, idea) == 1
    assert (idea.up_votes, idea.down_votes) == (1, 0)
    assert idea.score == pytest.approx(ranking.wilson_lower_bound(1, 0))
    assert idea.trend > 0
    db.session.refresh(challenge)
    assert challenge.vote_count == 1
    assert challenge.last_activity_at is not None
    # the database itself refuses a second row
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.execute(insert(Vote).values(idea_id=idea.id, challenge_id=challenge.id,
                                               user_id=voter.id, value=-1))


def test_change_and_take_back(db, make, setup):
    challenge, _author, idea = setup
    voter = make.user()
    cast_vote(voter, idea, 1)
    cast_vote(voter, idea, -1)
    assert (idea.up_votes, idea.down_votes) == (0, 1)
    assert idea.trend == 0.0
    assert my_votes(voter, [idea.id]) == {idea.id: -1}
    assert cast_vote(voter, idea, 0) is None
    assert (idea.up_votes, idea.down_votes, idea.score) == (0, 0, 0.0)
    assert _votes(db, idea) == 0
    db.session.refresh(challenge)
    assert challenge.vote_count == 0
    assert cast_vote(voter, idea, 0) is None  # taking back nothing is harmless


def test_invalid_value(make, setup):
    _c, _a, idea = setup
    with pytest.raises(Invalid):
        cast_vote(make.user(), idea, 2)


def test_own_and_coauthored_ideas_refused(db, make, setup):
    _c, author, idea = setup
    with pytest.raises(NotAllowed):
        cast_vote(author, idea, 1)
    partner = make.user()
    db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=partner.id))
    db.session.flush()
    with pytest.raises(NotAllowed):
        cast_vote(partner, idea, 1)
    assert idea.up_votes == 0


def test_unverified_refused(make, setup):
    _c, _a, idea = setup
    with pytest.raises(NotAllowed):
        cast_vote(make.user(verified=False), idea, 1)


@pytest.mark.parametrize("phase", ["review", "closed", "refinement"])
def test_closed_challenge_refused(make, phase):
    challenge = make.challenge(phase=phase)
    idea = make.idea(challenge)
    with pytest.raises(NotAllowed):
        cast_vote(make.user(), idea, 1)


@pytest.mark.parametrize("phase", ["submission", "voting"])
def test_open_phases(make, phase):
    idea = make.idea(make.challenge(phase=phase))
    cast_vote(make.user(), idea, 1)
    assert idea.up_votes == 1


def test_closed_idea_refused(make, setup):
    challenge, _a, _idea = setup
    idea = make.idea(challenge, status="declined")
    with pytest.raises(NotAllowed):
        cast_vote(make.user(), idea, 1)


def test_budget_enforced_and_refunded(db, make):
    challenge = make.challenge(vote_budget=2)
    ideas = [make.idea(challenge) for _ in range(3)]
    voter = make.user()
    cast_vote(voter, ideas[0], 1)
    cast_vote(voter, ideas[1], 1)
    assert vote_panel(voter, ideas[2])["budget_left"] == 0
    with pytest.raises(NotAllowed):
        cast_vote(voter, ideas[2], 1)
    assert ideas[2].up_votes == 0
    assert _votes(db, ideas[2]) == 0  # the refused vote left nothing behind
    cast_vote(voter, ideas[2], -1)  # down-votes cost nothing
    cast_vote(voter, ideas[0], 0)  # taking back refunds
    cast_vote(voter, ideas[2], 1)
    used = db.session.scalar(select(VoteBudgetUse.used).where(VoteBudgetUse.user_id == voter.id))
    assert used == 2
    cast_vote(voter, ideas[1], -1)  # switching to down refunds
    assert vote_panel(voter, ideas[0])["budget_left"] == 1


def test_vote_panel(make, setup):
    _c, author, idea = setup
    voter = make.user()
    panel = vote_panel(voter, idea)
    assert panel["can_vote"] and panel["my_vote"] == 0 and panel["budget_left"] is None
    cast_vote(voter, idea, 1)
    assert vote_panel(voter, idea)["my_vote"] == 1
    own = vote_panel(author, idea)
    assert not own["can_vote"] and own["reason"]


def test_recount_finds_and_fixes_drift(db, make, setup):
    challenge, _a, idea = setup
    for _ in range(3):
        cast_vote(make.user(), idea, 1)
    cast_vote(make.user(), idea, -1)
    assert recount() == []
    good_trend = idea.trend
    idea.up_votes = 7
    idea.score = 0.99
    idea.comment_count = 5
    challenge.vote_count = 1
    db.session.flush()
    drifts = recount()
    fields = {(d.kind, d.field) for d in drifts}
    assert {("idea", "up_votes"), ("idea", "score"), ("idea", "comment_count"),
            ("challenge", "vote_count")} <= fields
    db.session.refresh(idea)
    assert (idea.up_votes, idea.down_votes, idea.comment_count) == (3, 1, 0)
    assert idea.trend == pytest.approx(good_trend)
    assert challenge.vote_count == 4
    assert recount() == []


def test_recount_command(app, db, setup):
    _c, _a, idea = setup
    idea.up_votes = 3
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["votes", "recount"])
    assert result.exit_code == 0
    assert "up_votes" in result.output
    result = runner.invoke(args=["votes", "recount"])
    assert result.exit_code == 0 and "no drift" in result.output
    assert db.session.get(Idea, idea.id).up_votes == 0
