"""The points ledger: written by the event handlers in the transaction of each
contribution, never counting a reason twice for one thing, and equal to what
`flask reputation rebuild` computes from the facts (on SQLite, and on PostgreSQL
when TEST_DATABASE_URL points there)."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError

from ideas.core.db import utcnow
from ideas.judging import services as judging
from ideas.reputation import ledger, rules
from ideas.reputation.models import PointEntry
from ideas.submissions import comments, moderation
from ideas.submissions import services as ideas
from ideas.submissions.models import Comment
from ideas.submissions.terms import accept_terms
from ideas.submissions.votes import cast_vote

TEXT = {"summary": "Clean the drum with steam after each wash.",
        "description": "A short steam burst kills bacteria left in the drum and the seal."}


def submit(member, challenge, title):
    accept_terms(member, challenge)
    return ideas.submit_idea(member, challenge, title=title, **TEXT)


def points(db, user, reason=None):
    query = select(func.coalesce(func.sum(PointEntry.points), 0)).where(PointEntry.user_id == user.id)
    if reason is not None:
        query = query.where(PointEntry.reason.in_(rules.reasons_of([reason])))
    return db.session.scalar(query)


@pytest.fixture
def world(make):
    staff = make.user(name="Staff")
    company = make.company(staff=[staff])
    challenge = make.challenge(company, category="home")
    return staff, challenge


def test_submitting_voting_and_taking_back(db, make, world):
    _staff, challenge = world
    author, a, b = make.user(), make.user(), make.user()
    idea = submit(author, challenge, "Steam cycle")
    assert points(db, author) == 5
    cast_vote(a, idea, 1)
    cast_vote(b, idea, 1)
    assert points(db, author, "upvote_received") == 2
    cast_vote(b, idea, 0)  # taken back
    assert points(db, author, "upvote_received") == 1
    cast_vote(b, idea, 1)  # given again: the next occurrence of the same thing
    cast_vote(a, idea, -1)  # turned into a down-vote
    cast_vote(a, idea, -1)  # the same again changes nothing
    assert points(db, author, "upvote_received") == 1
    reasons = db.session.execute(
        select(PointEntry.reason, PointEntry.thing, PointEntry.occurrence, PointEntry.points)
        .where(PointEntry.reason != "idea_submitted").order_by(PointEntry.id)).all()
    va, vb = ledger.vote_thing(idea.id, a.id), ledger.vote_thing(idea.id, b.id)
    assert reasons == [("upvote_received", va, 0, 1), ("upvote_received", vb, 0, 1),
                       ("upvote_taken_back", vb, 0, -1), ("upvote_received", vb, 1, 1),
                       ("upvote_taken_back", va, 0, -1)]
    entry = db.session.scalar(select(PointEntry).where(PointEntry.thing == vb).limit(1))
    assert (entry.category, entry.challenge_id, entry.idea_id, entry.user_id) == (
        "home", challenge.id, idea.id, author.id)
    assert points(db, a) == points(db, b) == 0  # voting earns the voter nothing


def test_the_same_reason_for_the_same_thing_never_counts_twice(db, make, world):
    staff, challenge = world
    author = make.user()
    idea = submit(author, challenge, "Steam cycle")
    due = ledger.Due(author.id, "idea_submitted", ledger.idea_thing(idea.id), 5)
    ledger.award(due)  # a replayed event: nothing more
    assert points(db, author) == 5
    db.session.add(PointEntry(user_id=author.id, reason="idea_submitted", thing=ledger.idea_thing(idea.id),
                              occurrence=0, points=5))
    with pytest.raises(IntegrityError):
        db.session.flush()


def test_points_are_written_in_the_contributions_transaction(db, make, world):
    _staff, challenge = world
    author, voter = make.user(), make.user()
    idea = submit(author, challenge, "Steam cycle")
    db.session.commit()
    cast_vote(voter, idea, 1)
    db.session.rollback()  # the vote did not happen: neither did its point
    assert points(db, author) == 5


def test_outcomes_withdrawal_helpful_comments_and_judging(db, make, world):
    staff, challenge = world
    author, other, commenter, judge = make.user(), make.user(), make.user(), make.user()
    idea = submit(author, challenge, "Steam cycle")
    gone = submit(other, challenge, "Cold rinse")
    ideas.withdraw_idea(other, gone)
    assert points(db, other) == 0
    comment = comments.post_comment(commenter, idea, "Could the steam also descale the heater?")
    comments.mark_helpful(author, comment)
    assert points(db, commenter) == 3
    comments.mark_helpful(author, comment, False)
    assert points(db, commenter) == 0
    comments.mark_helpful(staff, comment)
    assert points(db, commenter) == 3
    moderation.shortlist(staff, idea)
    assert points(db, author, "idea_shortlisted") == 10
    challenge.phase = "review"
    judging.invite_judge(staff, challenge, judge.username)
    judging.respond_to_invitation(judge, judging.db.session.scalars(
        select(judging.JudgeInvitation)).one(), accept=True)
    judging.set_rubric(staff, challenge, [{"title": "Hygiene", "weight": "1", "scale_low": 1, "scale_high": 5}])
    judging.assign_shortlist(staff, challenge, "all")
    [criterion] = judging.rubric(challenge)
    judging.submit_scorecard(judge, idea, {criterion.id: 4})
    assert points(db, judge, "judging_scorecard") == 2
    assert points(db, judge, "judging_completed") == 10


def test_helpful_marks_only_by_the_ideas_authors_or_staff(db, make, world):
    from ideas.core.errors import NotAllowed

    staff, challenge = world
    author, commenter, bystander = make.user(), make.user(), make.user()
    idea = submit(author, challenge, "Steam cycle")
    comment = comments.post_comment(commenter, idea, "Descale too?")
    own = comments.post_comment(author, idea, "Thanks!")
    with pytest.raises(NotAllowed):
        comments.mark_helpful(bystander, comment)
    with pytest.raises(NotAllowed):
        comments.mark_helpful(author, own)
    assert db.session.get(Comment, comment.id).helpful_at is None
    assert points(db, commenter) == 0


def test_a_merge_moves_the_vote_points_and_undoing_it_moves_them_back(db, make, world):
    staff, challenge = world
    first, second, v1, v2 = make.user(), make.user(), make.user(), make.user()
    target = submit(first, challenge, "Steam cycle")
    source = submit(second, challenge, "Steam cleaning")
    cast_vote(v1, source, 1)
    cast_vote(v2, source, 1)
    cast_vote(v2, target, 1)  # v2's vote on the source stays there
    record = moderation.merge(staff, source, target)
    assert points(db, first, "upvote_received") == 2 and points(db, second, "upvote_received") == 1
    assert ledger.rebuild(apply=False).matches
    moderation.undo_merge(staff, record)
    assert points(db, first, "upvote_received") == 1 and points(db, second, "upvote_received") == 2
    assert ledger.rebuild(apply=False).matches


def _scenario(db, make, world):
    """Everything that earns points, through the services."""
    staff, challenge = world
    people = [make.user() for _ in range(7)]
    author, second, v1, v2, v3, judge, v4 = people
    idea = submit(author, challenge, "Steam cycle")
    dup = submit(second, challenge, "Steam rinse")
    gone = submit(second, challenge, "Cold rinse")
    for voter, value in ((v1, 1), (v2, 1), (v3, -1), (v2, 0), (v2, 1), (v3, 1), (v1, -1)):
        cast_vote(voter, idea, value)
    cast_vote(v1, dup, 1)
    cast_vote(v4, dup, 1)
    cast_vote(v3, gone, 1)
    ideas.withdraw_idea(second, gone)
    record = moderation.merge(staff, dup, idea)
    moderation.object_to_moved_vote(v4, record, "back")
    note = comments.post_comment(v1, idea, "Descale the heater as well?")
    comments.mark_helpful(author, note)
    moderation.shortlist(staff, idea)
    challenge.phase = "review"
    judging.invite_judge(staff, challenge, judge.username)
    judging.respond_to_invitation(judge, db.session.scalars(select(judging.JudgeInvitation)).one(), accept=True)
    judging.set_rubric(staff, challenge, [{"title": "Hygiene", "weight": "1", "scale_low": 1, "scale_high": 5}])
    judging.assign_shortlist(staff, challenge, "all")
    [criterion] = judging.rubric(challenge)
    card = judging.submit_scorecard(judge, idea, {criterion.id: 4})
    judging.reopen_scorecard(staff, card)
    judging.submit_scorecard(judge, idea, {criterion.id: 5})
    db.session.commit()
    return people


def test_rebuild_equals_the_ledger_written_along_the_way(db, make, world):
    _scenario(db, make, world)
    written = ledger.net_ledger()
    assert written, "the scenario earned points"
    assert {rule for (_u, rule, _t) in written} == {"idea_submitted", "upvote_received", "comment_helpful",
                                                   "idea_shortlisted", "judging_scorecard", "judging_completed"}
    report = ledger.rebuild(apply=False)
    assert report.matches, report.per_rule
    assert report.due == len(written)

    # From nothing, the facts give back the same ledger (net per member, rule and thing).
    db.session.execute(delete(PointEntry))
    report = ledger.rebuild()
    db.session.commit()
    assert report.appended == len(written)
    assert ledger.net_ledger() == written
    assert ledger.rebuild(apply=False).matches


def test_rebuild_appends_what_is_missing_and_reverses_what_is_not_due(db, make, world):
    people = _scenario(db, make, world)
    author = people[0]
    before = points(db, author)
    stray = db.session.scalar(select(PointEntry).where(PointEntry.reason == "idea_shortlisted"))
    db.session.delete(stray)  # as if a handler had been off
    db.session.add(PointEntry(user_id=author.id, reason="upvote_received", thing="vote:999999:1",
                              points=1, at=utcnow()))  # a point no fact supports
    db.session.commit()
    report = ledger.rebuild()
    db.session.commit()
    assert report.per_rule["idea_shortlisted"] == 1 and report.per_rule["upvote_received"] == 1
    assert points(db, author) == before
    assert db.session.scalar(select(PointEntry.reason).where(PointEntry.thing == "vote:999999:1")
                             .order_by(PointEntry.id.desc()).limit(1)) == "upvote_taken_back"


def test_the_rebuild_command_shows_progress_and_checks(app, db, make, world):
    _scenario(db, make, world)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reputation", "rebuild", "--check"])
    assert result.exit_code == 0, result.output
    assert "Reading the facts" in result.output and "matches the facts" in result.output
    db.session.execute(delete(PointEntry).where(PointEntry.reason == "comment_helpful"))
    db.session.commit()
    result = runner.invoke(args=["reputation", "rebuild", "--check"])
    assert result.exit_code == 1 and "comment_helpful: 1 correction(s)" in result.output
    result = runner.invoke(args=["reputation", "rebuild"])
    assert result.exit_code == 0 and "Appended 1 correction(s)" in result.output
    assert ledger.rebuild(apply=False).matches
