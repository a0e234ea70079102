"""Private things never appear for anyone not allowed: not as a result, not as a
count in a facet, not as a word in "did you mean" (issue 20), on both backends.
Each private kind: a draft challenge, a hidden idea, a withdrawn idea, a merged idea,
an invite-only challenge's content, a hidden comment. (Focus groups and group-only
prototypes do not exist yet; their documents will carry their own grants through
ideas.search.policies.register_grant_source.)"""

from __future__ import annotations

import pytest

from ideas.challenges.models import ChallengeInvite
from ideas.submissions import moderation
from ideas.submissions.comments import post_comment
from ideas.submissions.services import withdraw_idea
from tests.search.helpers import commit_and_sync, found

SECRET = "quokkatron"
TYPO = "quokkatrom"


class _Anonymous:
    is_authenticated = False
    is_admin = False
    id = None


def assert_hidden_from(user, secret=SECRET):
    page = found(user, secret)
    assert page.total == 0 and not page.results, "a private thing was found"
    common = found(user, "kettle")
    assert all(v.count <= 1 for values in common.facets.values() for v in values), common.facets
    assert common.total == 1  # only the public kettle
    assert found(user, TYPO).suggestion is None, "a private word was suggested"


def assert_visible_to(user, secret=SECRET):
    assert found(user, secret).total >= 1
    assert found(user, TYPO).suggestion == secret


@pytest.fixture
def world(make):
    """A company with staff, a public challenge holding one public kettle idea."""
    staff = make.user()
    company = make.company(owner=staff)
    public = make.challenge(company, title="Kitchen")
    make.idea(public, make.user(), title="Kettle", summary="A kettle that whistles", description="x")
    return {"staff": staff, "company": company, "public": public, "member": make.user(),
            "visitor": _Anonymous()}


def _secret_idea(make, challenge, author=None, **kw):
    return make.idea(challenge, author or make.user(), title=f"{SECRET.title()} kettle",
                     summary=f"The {SECRET} kettle", description="x", **kw)


def test_draft_challenge(make, world):
    draft = make.challenge(world["company"], phase="draft", title=f"{SECRET.title()} kettle",
                           summary=f"A {SECRET} kettle")
    commit_and_sync()
    for who in ("visitor", "member"):
        assert_hidden_from(world[who])
    assert found(world["staff"], SECRET).total == 1
    assert draft.id


def test_hidden_idea(make, world, db):
    author = make.user()
    idea = _secret_idea(make, world["public"], author)
    commit_and_sync()
    assert found(world["member"], SECRET).total == 1  # public until hidden
    moderation.hide_idea(world["staff"], idea, "Off topic")
    commit_and_sync()
    for who in ("visitor", "member"):
        assert_hidden_from(world[who])
    assert_visible_to(author)
    assert_visible_to(world["staff"])
    moderation.unhide_idea(world["staff"], idea)
    commit_and_sync()
    assert found(world["member"], SECRET).total == 1


def test_withdrawn_idea(make, world):
    author = make.user()
    idea = _secret_idea(make, world["public"], author)
    commit_and_sync()
    withdraw_idea(author, idea, "Changed my mind")
    commit_and_sync()
    for who in ("visitor", "member"):
        assert_hidden_from(world[who])
    assert_visible_to(author)


def test_merged_idea_leaves_the_results(make, world):
    source = _secret_idea(make, world["public"])
    target = make.idea(world["public"], make.user(), title="Another pot", summary="A pot", description="x")
    commit_and_sync()
    moderation.merge(world["staff"], source, target, "Same idea")
    commit_and_sync()
    for who in ("visitor", "member"):
        assert_hidden_from(world[who])


def test_invite_only_challenge(make, world, db):
    invited = make.user()
    closed = make.challenge(world["company"], visibility="invite", title="Closed room")
    db.session.add(ChallengeInvite(challenge_id=closed.id, user_id=invited.id))
    _secret_idea(make, closed)
    commit_and_sync()
    for who in ("visitor", "member"):
        assert_hidden_from(world[who])
    assert_visible_to(invited)
    assert found(invited, "kettle").total == 2


def test_a_public_challenge_turning_private_takes_its_ideas_along(make, world, db):
    challenge = make.challenge(world["company"], title="Soon private")
    _secret_idea(make, challenge)
    commit_and_sync()
    assert found(world["member"], SECRET).total == 1
    challenge.visibility = "invite"
    commit_and_sync()
    assert_hidden_from(world["member"])
    assert_visible_to(world["staff"])


def test_hidden_comment(make, world):
    idea = make.idea(world["public"], make.user(), title="Plain pot", summary="A pot", description="x")
    comment = post_comment(make.user(), idea, f"The {SECRET} would help")
    commit_and_sync()
    assert found(world["member"], SECRET).total == 1
    moderation.hide_comment(world["staff"], comment, "Rude")
    commit_and_sync()
    for who in ("visitor", "member"):
        assert_hidden_from(world[who])
    assert found(world["staff"], SECRET).total == 1


def test_a_stale_index_entry_is_never_shown(make, world, db):
    """Between the commit and the queue's application the index is behind: the
    queued thing is masked, and every shown hit passes the SQL policy anyway."""
    idea = _secret_idea(make, world["public"])
    commit_and_sync()
    idea.hidden_at = idea.created_at
    db.session.commit()  # queued, not applied
    page = found(world["member"], SECRET)
    assert page.total == 0 and not page.results


def test_grant_sources_extend_the_searchers_grants(make, world, db):
    """The seam for focus groups: a module adds its audience's grants."""
    from ideas.search import policies

    def group_grants(user):
        return [f"group:{user.id}"] if getattr(user, "is_authenticated", False) else []

    policies.register_grant_source(group_grants)
    try:
        assert f"group:{world['member'].id}" in policies.user_grants(db.session, world["member"])
        assert policies.user_grants(db.session, world["visitor"]) == ["public"]
    finally:
        policies._grant_sources.remove(group_grants)
