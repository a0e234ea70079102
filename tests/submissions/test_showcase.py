"""Ideas shown on other modules' pages (the challenge's results, the home page's
winners, a member's profile), served by submissions through providers."""

from __future__ import annotations

from ideas.core.db import utcnow
from ideas.submissions import showcase


def test_results_list_carried_on_ideas_winners_first_and_skip_hidden(db, make):
    challenge = make.challenge(phase="closed")
    shortlisted = make.idea(challenge, status="shortlisted", score=9.0)
    winner = make.idea(challenge, status="winner", score=1.0)
    selected = make.idea(challenge, status="selected", score=5.0)
    make.idea(challenge, status="declined", score=20.0)
    make.idea(challenge, status="submitted", score=30.0)
    make.idea(challenge, status="winner", hidden_at=utcnow())
    make.idea(make.challenge(), status="winner")
    assert showcase.challenge_results(challenge) == [winner, selected, shortlisted]


def test_winners_by_challenge(db, make):
    first, second, none = make.challenge(phase="closed"), make.challenge(phase="closed"), make.challenge()
    a, b = make.idea(first, status="winner"), make.idea(first, status="winner")
    c = make.idea(second, status="winner")
    make.idea(second, status="shortlisted")
    make.idea(second, status="winner", hidden_at=utcnow())
    assert showcase.winners_by_challenge([first, second, none]) == {first.id: [a, b], second.id: [c]}
    assert showcase.winners_by_challenge([]) == {}


def test_member_ideas_are_what_the_viewer_may_see(db, make):
    member, stranger = make.user(), make.user()
    public = make.idea(author=member)
    hidden = make.idea(author=member, hidden_at=utcnow())
    draft_only = make.idea(make.challenge(phase="draft"), author=member)
    make.idea(author=stranger)
    assert showcase.member_ideas(None, member) == [public]
    assert showcase.member_ideas(stranger, member) == [public]
    assert set(showcase.member_ideas(member, member)) == {public, hidden}  # not the draft's
    assert draft_only not in showcase.member_ideas(member, member)
