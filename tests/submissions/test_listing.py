"""Paging through a challenge's ideas: every sort shows each visible idea exactly once."""

import pytest

from ideas.submissions import listing
from ideas.submissions.listing import SORTS, idea_page


def _all_pages(challenge, sort, user=None, seed=0, per_page=4):
    seen, page = [], 1
    while True:
        result = idea_page(user, challenge, sort, page, per_page=per_page, member_seed=seed)
        seen.extend(row.id for row in result.items)
        if not result.has_next:
            return seen
        page += 1


@pytest.mark.parametrize("sort", SORTS)
def test_every_sort_pages_through_each_idea_once(db, make, monkeypatch, sort):
    monkeypatch.setattr(listing, "FRESH_WINDOW", 7)  # a window that ends mid-page
    listing._page_statement.cache_clear()
    challenge = make.challenge(phase="voting")
    ideas = [make.idea(challenge, up_votes=i % 5, down_votes=i % 3) for i in range(23)]
    hidden = make.idea(challenge, hidden_at=ideas[0].created_at)
    db.session.commit()
    seen = _all_pages(challenge, sort)
    assert sorted(seen) == sorted(i.id for i in ideas)
    assert hidden.id not in seen
    listing._page_statement.cache_clear()


def test_fresh_eyes_puts_least_voted_first_and_shuffles_per_member(db, make, monkeypatch):
    monkeypatch.setattr(listing, "FRESH_WINDOW", 10)
    listing._page_statement.cache_clear()
    challenge = make.challenge(phase="voting")
    unvoted = [make.idea(challenge) for _ in range(6)]
    voted = [make.idea(challenge, up_votes=20 + i) for i in range(8)]
    db.session.commit()
    first = _all_pages(challenge, "fresh", seed=1_234_567_891)
    other = _all_pages(challenge, "fresh", seed=3_210_987_654)
    assert set(first[:6]) == {i.id for i in unvoted} == set(other[:6])
    assert first[:6] != other[:6]  # a different shuffle for another member
    assert first == _all_pages(challenge, "fresh", seed=1_234_567_891)  # and a stable one for the same
    # beyond the window the most-voted come last, in vote order
    assert first[-1] == voted[-1].id
    listing._page_statement.cache_clear()


def test_idea_count_is_the_number_of_listed_ideas(db, make):
    from ideas.submissions import moderation, services
    from ideas.submissions.counters import recount

    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]), phase="submission")
    author = make.user()
    ideas = [make.idea(challenge, author) for _ in range(4)]
    db.session.commit()
    assert challenge.idea_count == 4
    moderation.hide_idea(staff, ideas[0], "Off topic")
    assert challenge.idea_count == 3
    moderation.unhide_idea(staff, ideas[0])
    assert challenge.idea_count == 4
    record = moderation.merge(staff, ideas[1], ideas[2], "Same idea")
    assert challenge.idea_count == 3
    moderation.undo_merge(staff, record)
    assert challenge.idea_count == 4
    services.withdraw_idea(author, ideas[3], "Changed my mind")
    assert challenge.idea_count == 3
    db.session.commit()
    assert [d for d in recount(challenge.id) if d.field == "idea_count"] == []
    challenge.idea_count = 40
    db.session.commit()
    fixed = [d for d in recount(challenge.id) if d.field == "idea_count"]
    assert len(fixed) == 1 and fixed[0].actual == 3 and challenge.idea_count == 3


def test_last_pages_walked_backwards_match_the_forward_order(db, make):
    challenge = make.challenge(phase="voting")
    for i in range(11):
        make.idea(challenge, up_votes=i % 4, comment_count=i % 3)
    db.session.commit()
    for sort in ("top", "new", "discussed", "trending"):
        forward = [row.id for row in idea_page(None, challenge, sort, 1, per_page=11).items]
        paged = _all_pages(challenge, sort, per_page=3)  # pages 3 and 4 come from the back
        assert paged == forward, sort
        last = idea_page(None, challenge, sort, 4, per_page=3)
        assert [r.id for r in last.items] == forward[9:] and not last.has_next and last.has_prev
        assert idea_page(None, challenge, sort, 5, per_page=3).items == []
