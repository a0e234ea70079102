"""Moderation services: staff only, decisions with reasons, hiding, merge and undo, reports."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.core import events
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed
from ideas.submissions import moderation
from ideas.submissions.counters import recount
from ideas.submissions.models import Comment, IdeaCoauthor, IdeaDecision, Report, Vote
from ideas.submissions.votes import cast_vote


@pytest.fixture
def world(make):
    staff = make.user()
    company = make.company(staff=[staff])
    challenge = make.challenge(company)
    return staff, challenge


def test_member_cannot_shortlist_or_decline(make, world):
    _staff, challenge = world
    idea = make.idea(challenge)
    member = make.user()
    with pytest.raises(NotAllowed):
        moderation.shortlist(member, idea, "good")
    with pytest.raises(NotAllowed):
        moderation.decline(member, idea, "not for us, sorry")
    other_staff = make.user()
    make.company(staff=[other_staff])
    with pytest.raises(NotAllowed):
        moderation.shortlist(other_staff, idea, "")
    assert idea.status == "submitted"


def test_shortlist_records_decision_and_sends_event(db, make, world):
    staff, challenge = world
    idea = make.idea(challenge)
    seen = []

    def listener(_sender, **kw):
        seen.append(kw)

    events.idea_status_changed.connect(listener)
    try:
        moderation.shortlist(staff, idea, "Strong and feasible")
    finally:
        events.idea_status_changed.disconnect(listener)
    assert idea.status == "shortlisted" and idea.status_reason == "Strong and feasible"
    assert idea.decided_at is not None
    decision = db.session.scalar(select(IdeaDecision).where(IdeaDecision.idea_id == idea.id))
    assert (decision.from_status, decision.to_status) == ("submitted", "shortlisted")
    assert seen and seen[0]["to_status"] == "shortlisted"
    with pytest.raises(InvalidTransition):
        moderation.shortlist(staff, idea, "")


def test_decline_needs_feedback(make, world):
    staff, challenge = world
    idea = make.idea(challenge)
    with pytest.raises(Invalid) as err:
        moderation.decline(staff, idea, "")
    assert err.value.field == "feedback"
    with pytest.raises(Invalid):
        moderation.decline(staff, idea, "too short")
    moderation.decline(staff, idea, "We already have this in the product.")
    assert idea.status == "declined" and "already" in idea.status_reason


def test_shortlist_top_by_score(make, world):
    staff, challenge = world
    ideas = [make.idea(challenge) for _ in range(4)]
    for n, idea in enumerate(ideas):
        for _ in range(n):
            cast_vote(make.user(), idea, 1)
    chosen = moderation.shortlist_top(staff, challenge, 2, "Top voted")
    assert [i.id for i in chosen] == [ideas[3].id, ideas[2].id]
    assert ideas[0].status == "submitted"


def test_hide_and_unhide_idea_and_comment(db, make, world):
    staff, challenge = world
    idea = make.idea(challenge)
    with pytest.raises(Invalid):
        moderation.hide_idea(staff, idea, "")
    moderation.hide_idea(staff, idea, "Spam")
    assert idea.hidden_at is not None and idea.status == "submitted"
    moderation.unhide_idea(staff, idea)
    assert idea.hidden_at is None
    comment = Comment(idea_id=idea.id, author_id=make.user().id, body="buy now")
    db.session.add(comment)
    idea.comment_count = 1
    challenge.comment_count = 1
    db.session.flush()
    with pytest.raises(NotAllowed):
        moderation.hide_comment(make.user(), comment, "Spam")
    moderation.hide_comment(staff, comment, "Spam")
    assert comment.hidden_at is not None
    assert idea.comment_count == 0
    assert recount() == []


def test_merge_moves_votes_except_duplicates_and_undo_restores(db, make, world):
    staff, challenge = world
    source_author, target_author = make.user(), make.user()
    source = make.idea(challenge, source_author)
    target = make.idea(challenge, target_author)
    only_source = [make.user() for _ in range(3)]
    both = make.user()
    for voter in only_source:
        cast_vote(voter, source, 1)
    cast_vote(both, source, -1)
    cast_vote(both, target, 1)
    before = {(v.id, v.idea_id, v.value) for v in db.session.scalars(select(Vote))}
    snapshot = lambda i: (i.up_votes, i.down_votes, i.score, i.trend)  # noqa: E731
    source_before, target_before = snapshot(source), snapshot(target)

    with pytest.raises(Invalid):
        moderation.merge(staff, source, source, "")
    with pytest.raises(Invalid):
        moderation.merge(staff, source, make.idea(make.challenge(challenge.company)), "")
    with pytest.raises(NotAllowed):
        moderation.merge(make.user(), source, target, "")

    record = moderation.merge(staff, source, target, "Same steam idea")
    assert source.status == "merged" and source.merged_into_id == target.id
    kept = db.session.scalar(select(Vote).where(Vote.user_id == both.id, Vote.idea_id == source.id))
    assert record.kept_vote_ids == [kept.id]
    moved = list(db.session.scalars(select(Vote).where(Vote.moved_by_merge_id == record.id)))
    assert {v.user_id for v in moved} == {u.id for u in only_source}
    assert all(v.idea_id == target.id and v.moved_from_idea_id == source.id for v in moved)
    assert (target.up_votes, target.down_votes) == (4, 0)
    assert (source.up_votes, source.down_votes) == (0, 1)
    coauthor = db.session.scalar(select(IdeaCoauthor).where(IdeaCoauthor.idea_id == target.id))
    assert coauthor.user_id == source_author.id and coauthor.via_merge_id == record.id
    assert recount() == []

    moderation.undo_merge(staff, record)
    assert source.status == "submitted" and source.merged_into_id is None
    assert {(v.id, v.idea_id, v.value) for v in db.session.scalars(select(Vote))} == before
    assert snapshot(source) == pytest.approx(source_before)
    assert snapshot(target) == pytest.approx(target_before)
    assert db.session.scalar(select(IdeaCoauthor).where(IdeaCoauthor.idea_id == target.id)) is None
    assert record.undone_at is not None
    with pytest.raises(InvalidTransition):
        moderation.undo_merge(staff, record)
    assert recount() == []


def test_report_and_resolve(db, make, world):
    staff, challenge = world
    idea = make.idea(challenge)
    member = make.user()
    with pytest.raises(Invalid):
        moderation.report(member, idea=idea, reason="")
    with pytest.raises(NotAllowed):
        moderation.report(make.user(verified=False), idea=idea, reason="rude")
    record = moderation.report(member, idea=idea, reason="Copied from a website")
    assert moderation.open_reports(challenge) == [record]
    with pytest.raises(NotAllowed):
        moderation.resolve_report(member, record, "ok")
    moderation.resolve_report(staff, record, "Checked: original work")
    assert moderation.open_reports(challenge) == []
    assert db.session.get(Report, record.id).resolved_by_id == staff.id


def test_staff_panel(make, world):
    staff, challenge = world
    idea = make.idea(challenge)
    assert moderation.staff_panel(staff, idea)["is_staff"]
    panel = moderation.staff_panel(make.user(), idea)
    assert not panel["is_staff"] and panel["can_report"]
