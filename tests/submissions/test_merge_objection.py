"""A merge's voters can object (keep, move back, remove their vote), and undoing a merge
tells the voters and both ideas' authors; hidden comments can be unhidden; staff hear of
new reports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideas.notifications.models import Notification
from ideas.submissions import moderation
from ideas.submissions.counters import recount
from ideas.submissions.models import Comment, Vote
from ideas.submissions.votes import cast_vote


@pytest.fixture
def merged(db, make):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    source_author, target_author = make.user(), make.user()
    source = make.idea(challenge, source_author, title="Steam the drum")
    target = make.idea(challenge, target_author, title="Hot rinse the drum")
    voter = make.user()
    cast_vote(voter, source, 1)
    record = moderation.merge(staff, source, target, "Same idea")
    return staff, challenge, source, target, voter, record, source_author, target_author


def _kinds(db, user):
    return [n.kind for n in db.session.scalars(select(Notification).where(Notification.user_id == user.id))]


@pytest.mark.parametrize("choice, on_source, on_target", [("keep", 0, 1), ("back", 1, 0), ("remove", 0, 0)])
def test_voter_objects_to_a_moved_vote(db, merged, choice, on_source, on_target):
    _staff, challenge, source, target, voter, record, *_ = merged
    assert target.up_votes == 1 and source.up_votes == 0
    moderation.object_to_moved_vote(voter, record, choice)
    assert (source.up_votes, target.up_votes) == (on_source, on_target)
    assert recount() == []  # counters agree with the votes
    assert moderation.moved_vote(voter, record) is None  # decided once
    assert db.session.scalar(select(func.count(Vote.id)).where(Vote.user_id == voter.id)) == (choice != "remove")


def test_moved_vote_page_through_http(db, merged, client, make):
    _staff, _c, source, target, voter, record, *_ = merged
    db.session.commit()
    page = f"/merges/{record.id}/my-vote"
    client.login(make.user())
    assert "nothing left to decide" in client.get(page).get_data(as_text=True)  # nothing of theirs moved
    client.logout()
    client.login(voter)
    assert "Hot rinse the drum" in client.get(page).get_data(as_text=True)
    assert client.post(page, {"choice": "sideways"}).status_code == 303  # refused by the form
    assert client.post(page, {"choice": "back"}).status_code == 303
    db.session.expire_all()
    vote = db.session.scalar(select(Vote).where(Vote.user_id == voter.id))
    assert vote.idea_id == source.id
    assert "nothing left to decide" in client.get(page).get_data(as_text=True)  # decided


def test_undo_tells_voters_and_both_authors(db, merged):
    staff, _c, source, target, voter, record, source_author, target_author = merged
    moderation.undo_merge(staff, record)
    assert "vote_returned" in _kinds(db, voter)
    assert "merge_undone" in _kinds(db, source_author)
    assert "merge_undone" in _kinds(db, target_author)


def test_hidden_comment_can_be_unhidden(db, make, client):
    staff, author = make.user(), make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    idea = make.idea(challenge)
    comment = Comment(idea_id=idea.id, author_id=author.id, body="Rude words")
    db.session.add(comment)
    db.session.flush()
    moderation.hide_comment(staff, comment, "Be kind")
    db.session.commit()
    client.login(staff)
    page = f"/ideas/{idea.id}-{idea.slug}"
    assert "Unhide" in client.get(page).get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/comments/{comment.id}/unhide", form_page=page)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Comment, comment.id).hidden_at is None
    client.logout()
    client.login(author)
    assert client.post(f"/ideas/{idea.id}/comments/{comment.id}/unhide", form_page=page).status_code == 403


def test_staff_hear_of_a_new_report(db, make):
    staff, other_staff, reporter = make.user(), make.user(), make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    make.company(staff=[other_staff])
    idea = make.idea(challenge)
    moderation.report(reporter, idea=idea, reason="Spam link")
    assert "report" in _kinds(db, staff)
    assert "report" not in _kinds(db, other_staff) and "report" not in _kinds(db, reporter)
