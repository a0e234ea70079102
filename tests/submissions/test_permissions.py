"""Who may do what to an idea, every cell through HTTP (see tests/permissions.py).

The tables are the target rules of issue 16: the role table for an idea in a public
challenge in its submission phase, the phase table (what each challenge phase
allows), and who may see hidden, withdrawn and invite-only ideas. Each cell checks
the status code and whether the effect happened in the database.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.challenges.phases import PHASES as ALL_PHASES
from ideas.core.db import utcnow
from ideas.submissions.models import PairwiseComparison
from tests.permissions import (
    IDEA_ACTIONS,
    MODERATE,
    ROLES,
    Browser,
    cell_id,
    challenge_path,
    check,
    idea_world,
    listed_in_challenge,
    offered_pair,
    rows,
    run_cell,
)


@pytest.fixture(autouse=True)
def _cheap_logins(monkeypatch):
    from tests.permissions import cheap_logins

    cheap_logins(monkeypatch)


def _moderation(row: dict[str, str]) -> dict[str, dict[str, str]]:
    return {action: row for action in MODERATE}


# -- roles x actions, submission phase, a listed idea ---------------------------

ROLE_TABLE = rows({
    "view": dict(visitor="ok", unverified="ok", member="ok", author="ok", coauthor="ok",
                 staff="ok", other_staff="ok", admin="ok"),
    "vote": dict(visitor="login", unverified="403", member="ok", author="403", coauthor="403",
                 staff="ok", other_staff="ok", admin="ok"),
    "compare": dict(visitor="login", unverified="403", member="ok", author="403", coauthor="403",
                    staff="ok", other_staff="ok", admin="ok"),
    "comment": dict(visitor="login", unverified="403", member="ok", author="ok", coauthor="ok",
                    staff="ok", other_staff="ok", admin="ok"),
    "edit": dict(visitor="login", unverified="403", member="403", author="ok", coauthor="ok",
                 staff="403", other_staff="403", admin="403"),
    "withdraw": dict(visitor="login", unverified="403", member="403", author="ok", coauthor="403",
                     staff="403", other_staff="403", admin="403"),
    **_moderation(dict(visitor="login", unverified="403", member="403", author="403", coauthor="403",
                       staff="ok", other_staff="403", admin="ok")),
})


@pytest.mark.parametrize(("cell", "expected"), sorted(ROLE_TABLE.items()), ids=cell_id)
def test_role_table(client, make, cell, expected):
    run_cell(client, idea_world(make), cell, expected, IDEA_ACTIONS)


# -- the phase table, as a plain member and as the author -----------------------

PHASES = ("submission", "voting", "review", "refinement", "prototyping", "closed")
PHASE_TABLE = {
    "submit": ("submission",),
    "edit": ("submission",),
    "withdraw": ("submission", "voting", "review"),
    "vote": ("submission", "voting"),
    "compare": ("submission", "voting"),
    "comment": ("submission", "voting", "review", "refinement", "prototyping"),
}


def _phase_expectation(role: str, action: str, phase: str) -> str:
    """ok where the role may act (role table; anyone verified may submit) and the
    phase allows it; else 403: the idea is visible, the action is not possible."""
    role_may = action == "submit" or ROLE_TABLE[(role, action)] == "ok"
    return "ok" if role_may and phase in PHASE_TABLE[action] else "403"


PHASE_CELLS = {(role, action, phase): _phase_expectation(role, action, phase)
               for role in ("member", "author") for action in PHASE_TABLE for phase in PHASES}


@pytest.mark.parametrize(("cell", "expected"), sorted(PHASE_CELLS.items()), ids=cell_id)
def test_phase_table(client, make, cell, expected):
    role, action, phase = cell
    run_cell(client, idea_world(make, phase=phase), (role, action), expected, IDEA_ACTIONS)


def test_phase_table_names_every_published_phase():
    """A phase added to the challenge's phase table must get its cells here too."""
    assert set(PHASES) == set(ALL_PHASES) - {"draft"}
    assert all(set(allowed) <= set(PHASES) for allowed in PHASE_TABLE.values())


# -- who may know that a hidden, withdrawn or invite-only idea exists ------------

SEES_PRIVATE = dict(visitor="404", unverified="404", member="404", author="ok", coauthor="ok",
                    staff="ok", other_staff="404", admin="ok")
# Those who may not know it exists get a 404 for anything they try (visitors log in first).
BLIND = dict(visitor="login", unverified="404", member="404", other_staff="404")
STATES = {
    "hidden": {"hidden_at": utcnow(), "hidden_reason": "Off topic."},
    "withdrawn": {"status": "withdrawn"},
}
VISIBILITY_TABLE = {
    (state, role, action): expected
    for state in STATES
    for action, row in (("view", SEES_PRIVATE), ("vote", BLIND), ("comment", BLIND), ("shortlist", BLIND))
    for role, expected in row.items()
}


@pytest.mark.parametrize(("cell", "expected"), sorted(VISIBILITY_TABLE.items()), ids=cell_id)
def test_hidden_and_withdrawn_ideas(client, make, cell, expected):
    state, role, action = cell
    run_cell(client, idea_world(make, **STATES[state]), (role, action), expected, IDEA_ACTIONS)


@pytest.mark.parametrize("state", sorted(STATES))
@pytest.mark.parametrize("role", ROLES)
def test_hidden_and_withdrawn_rows_in_the_challenge_list(client, make, state, role):
    """The idea's row is in the challenge's list for exactly those who may see it."""
    world = idea_world(make, **STATES[state])
    status, shown = listed_in_challenge(Browser(client, world.people[role]), world)
    assert status == 200
    assert shown == (SEES_PRIVATE[role] == "ok"), f"{state}/{role}: row shown={shown}"


INVITE_ROLES = (*ROLES, "invited")
INVITE_TABLE = rows({
    "view": dict(visitor="404", unverified="404", member="404", author="ok", coauthor="ok", invited="ok",
                 staff="ok", other_staff="404", admin="ok"),
    "vote": dict(visitor="login", unverified="404", member="404", author="403", coauthor="403", invited="ok",
                 staff="ok", other_staff="404", admin="ok"),
    "comment": dict(visitor="login", unverified="404", member="404", author="ok", coauthor="ok", invited="ok",
                    staff="ok", other_staff="404", admin="ok"),
}, roles=INVITE_ROLES)


@pytest.mark.parametrize(("cell", "expected"), sorted(INVITE_TABLE.items()), ids=cell_id)
def test_invite_only_ideas(client, make, cell, expected):
    run_cell(client, idea_world(make, visibility="invite"), cell, expected, IDEA_ACTIONS)


@pytest.mark.parametrize("role", INVITE_ROLES)
def test_invite_only_challenge_list(client, make, role):
    world = idea_world(make, visibility="invite")
    status, shown = listed_in_challenge(Browser(client, world.people[role]), world)
    if INVITE_TABLE[(role, "view")] == "ok":
        assert (status, shown) == (200, True)
    else:
        assert (status, shown) == (404, False)


# -- "which is better?": never one's own idea -----------------------------------

@pytest.mark.parametrize("role", ["author", "coauthor"])
def test_authors_are_never_offered_their_own_idea(client, make, role):
    world = idea_world(make)
    browser = Browser(client, world.people[role])
    rivals = {r.id for r in world.rivals}
    for _ in range(8):  # the pair is drawn at random: look several times
        assert offered_pair(browser, world) == rivals


def test_a_members_pick_is_recorded_and_offers_the_idea(client, make, db):
    world = idea_world(make)
    browser = Browser(client, world.people["member"])
    seen = set()
    for _ in range(20):
        seen |= offered_pair(browser, world)
    assert world.idea.id in seen  # a member is offered it; its authors are not (above)
    left, right = world.idea.id, world.rivals[1].id
    response = browser.post(f"{challenge_path(world.challenge)}/compare",
                            {"left_id": left, "right_id": right, "winner": right})
    db.session.expire_all()
    picks = db.session.execute(select(PairwiseComparison.user_id, PairwiseComparison.left_id,
                                      PairwiseComparison.right_id, PairwiseComparison.winner_id)).all()
    check(("member", "compare"), "ok", response,
          picks == [(world.people["member"].id, left, right, right)])
