"""The loop's rules, each written once (statuses table, phase table, policy), and the
defects that two spellings of one rule used to cause."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.challenges import phases
from ideas.core.errors import NotAllowed, NotFound
from ideas.submissions import comments, policy, services, statuses
from ideas.submissions.listing import idea_page
from ideas.submissions.models import Idea, IdeaCoauthor


def _ids(page) -> list[int]:
    return [row.id for row in page.items]


def test_fresh_eyes_differs_between_consecutive_members(make):
    """Each member gets an order of their own; small consecutive user ids used to get
    one and the same order (the seed was added after the product, not mixed)."""
    challenge = make.challenge()
    author = make.user()
    for _ in range(12):
        make.idea(challenge, author)
    orders = [_ids(idea_page(None, challenge, "fresh", 1, per_page=12, member_seed=seed))
              for seed in range(1, 9)]
    assert len({tuple(o) for o in orders}) == len(orders)  # eight members, eight orders
    # and stable: the same member sees the same order again
    assert orders[2] == _ids(idea_page(None, challenge, "fresh", 1, per_page=12, member_seed=3))
    assert all(sorted(o) == sorted(orders[0]) for o in orders)  # the same ideas, shuffled


@pytest.mark.parametrize("state", [{"status": "withdrawn"}, {"hidden": True}])
def test_coauthor_sees_hidden_or_withdrawn_idea(db, make, client, state):
    challenge = make.challenge()
    author, coauthor, other = make.user(), make.user(), make.user()
    idea = make.idea(challenge, author, status=state.get("status", "submitted"))
    db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=coauthor.id))
    if state.get("hidden"):
        from ideas.core.db import utcnow
        idea.hidden_at = utcnow()
    db.session.commit()
    assert policy.can_view_idea(coauthor, idea) and not policy.can_view_idea(other, idea)
    for who, expected in ((coauthor, 200), (other, 404)):
        client.login(who)
        assert client.get(f"/ideas/{idea.id}-{idea.slug}").status_code == expected
        listed = db.session.scalars(select(Idea.id).where(policy.visible_ideas(who))).all()
        assert (idea.id in listed) == (expected == 200)
        client.logout()


def test_staff_see_hidden_ideas_through_every_filter(db, make):
    staff, admin, outsider = make.user(), make.user(admin=True), make.user()
    company = make.company(staff=[staff])
    challenge = make.challenge(company)
    from ideas.core.db import utcnow
    hidden = make.idea(challenge, hidden_at=utcnow())
    withdrawn = make.idea(challenge, status="withdrawn")
    for who, sees in ((staff, True), (admin, True), (outsider, False), (None, False)):
        ids = set(db.session.scalars(select(Idea.id).where(policy.visible_ideas(who))))
        assert ({hidden.id, withdrawn.id} <= ids) is sees
        assert policy.can_view_idea(who, hidden) is sees
        page_ids = set(_ids(idea_page(who, challenge, "new", 1)))
        assert ({hidden.id, withdrawn.id} <= page_ids) is sees


@pytest.mark.parametrize("phase", phases.PHASES)
def test_comments_follow_the_phase_table(db, make, phase):
    challenge = make.challenge(phase=phase)
    idea = make.idea(challenge)
    member = make.user()
    if phases.allows(phase, "comment"):
        assert comments.post_comment(member, idea, "A thought.").id
    else:
        with pytest.raises((NotAllowed, NotFound)):
            comments.post_comment(member, idea, "A thought.")


@pytest.mark.parametrize("phase", phases.PHASES[1:])
def test_withdraw_follows_the_phase_table(db, make, phase):
    challenge = make.challenge(phase=phase)
    author = make.user()
    idea = make.idea(challenge, author, status="shortlisted")
    if phases.allows(phase, "withdraw"):
        services.withdraw_idea(author, idea)
        assert idea.status == "withdrawn"
    else:
        with pytest.raises(NotAllowed):
            services.withdraw_idea(author, idea)
        assert idea.status == "shortlisted"


def test_only_the_lead_author_withdraws(db, make):
    challenge = make.challenge()
    author, coauthor = make.user(), make.user()
    idea = make.idea(challenge, author)
    db.session.add(IdeaCoauthor(idea_id=idea.id, user_id=coauthor.id))
    db.session.flush()
    assert policy.can(coauthor, idea, "edit") and not policy.can(coauthor, idea, "withdraw")
    with pytest.raises(NotAllowed):
        services.withdraw_idea(coauthor, idea)


def test_status_table_is_consistent():
    assert set(statuses.PUBLIC) | {"withdrawn", "merged"} == set(statuses.ALL)
    assert set(statuses.SHORTLISTABLE) <= set(statuses.DECLINABLE)
    assert set(statuses.WITHDRAWABLE) <= set(statuses.PUBLIC)
    assert set(statuses.VOTABLE) <= set(statuses.PUBLIC)
    assert statuses.UNDECIDED == (statuses.INITIAL,)
    assert statuses.CLOSING_OUTCOME in statuses.DECLINABLE or statuses.CLOSING_OUTCOME == "declined"
    assert statuses.RESULTS[0] == "winner"


def test_phase_table_names_every_action_once():
    for phase in phases.PHASES:
        assert phases.ALLOWED[phase] <= set(phases.ACTIONS)
    assert phases.phases_allowing("submit") == ("submission",)
    assert phases.phases_allowing("vote") == ("submission", "voting")
    assert "closed" not in phases.phases_allowing("comment")
    with pytest.raises(ValueError):
        phases.allows("submission", "dance")
