"""Every counter of the submissions module, kept and recounted in one place.

Counters that lists sort on are columns changed in the transaction of the change, by
SQL-side increments (no lost updates under concurrency): the ideas a challenge lists
(`sync_idea_count`), an idea's votes after a merge or a removed vote
(`recount_idea_votes`), comments and replies (`move_comment_counters`). A vote's own
counters move in the vote's short write transaction (votes.apply_vote_change).
`recount` recomputes all of them from the facts and fixes what drifted; `flask votes
recount`, the demo loader and the tests use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, or_, select, update

from ideas.challenges.models import Challenge
from ideas.extensions import db
from ideas.submissions import ranking
from ideas.submissions.models import Comment, Idea, IdeaRevision, PairwiseComparison, Vote
from ideas.submissions.policy import listed

FLOAT_TOLERANCE = 1e-6


def sync_idea_count(challenge_id: int, now=None) -> None:
    """Set the challenge's idea count to its publicly listed ideas (not hidden, not
    withdrawn or merged): exact, because the idea list pages back from the last page
    by it. Run after anything that changes whether an idea is listed."""
    count = select(func.count(Idea.id)).where(Idea.challenge_id == challenge_id, listed()).scalar_subquery()
    values = {"idea_count": count}
    if now is not None:
        values["last_activity_at"] = now
    db.session.execute(update(Challenge).where(Challenge.id == challenge_id).values(**values)
                       .execution_options(synchronize_session=False))


def recount_idea_votes(idea: Idea) -> None:
    """An idea's vote counters, score and trend from its votes (after votes moved)."""
    rows = db.session.execute(select(Vote.value, Vote.updated_at).where(Vote.idea_id == idea.id)).all()
    idea.up_votes = sum(1 for v, _at in rows if v == 1)
    idea.down_votes = sum(1 for v, _at in rows if v == -1)
    idea.score = ranking.wilson_lower_bound(idea.up_votes, idea.down_votes)
    idea.trend = ranking.trend_from([at for v, at in rows if v == 1])


def move_comment_counters(comment: Comment, delta: int, now: datetime | None = None) -> None:
    """A comment joins (+1) or leaves (-1) the visible ones: the idea's, the challenge's
    and its parent's counters follow, in SQL, never below zero."""
    idea = db.session.get(Idea, comment.idea_id)

    def floor(column):
        return case((column + delta >= 0, column + delta), else_=0)

    db.session.execute(update(Idea).where(Idea.id == idea.id).values(comment_count=floor(Idea.comment_count))
                       .execution_options(synchronize_session=False))
    values = {"comment_count": floor(Challenge.comment_count)}
    if delta > 0 and now is not None:
        values["last_activity_at"] = now
    db.session.execute(update(Challenge).where(Challenge.id == idea.challenge_id).values(**values)
                       .execution_options(synchronize_session=False))
    if comment.parent_id is not None:
        db.session.execute(update(Comment).where(Comment.id == comment.parent_id)
                           .values(reply_count=floor(Comment.reply_count))
                           .execution_options(synchronize_session=False))
        parent = db.session.identity_map.get(db.session.identity_key(Comment, comment.parent_id))
        if parent is not None:
            db.session.expire(parent, ["reply_count"])
    db.session.expire(idea, ["comment_count"])
    challenge = db.session.identity_map.get(db.session.identity_key(Challenge, idea.challenge_id))
    if challenge is not None:
        db.session.expire(challenge, ["comment_count", "last_activity_at"])


@dataclass
class Drift:
    kind: str  # "idea" or "challenge"
    id: int
    field: str
    stored: object
    actual: object

    def __str__(self) -> str:
        return f"{self.kind} {self.id}: {self.field} was {self.stored!r}, is {self.actual!r}"


def _differs(stored, actual) -> bool:
    if isinstance(actual, float):
        return abs((stored or 0.0) - actual) > FLOAT_TOLERANCE * max(1.0, abs(actual))
    return stored != actual


def recount(challenge_id: int | None = None) -> list[Drift]:
    """Recompute every counter from the facts (votes, visible comments, comparisons),
    fix the ones that drifted, and return what differed."""
    drifts: list[Drift] = []
    idea_query = select(Idea)
    challenge_query = select(Challenge)
    if challenge_id is not None:
        idea_query = idea_query.where(Idea.challenge_id == challenge_id)
        challenge_query = challenge_query.where(Challenge.id == challenge_id)
    ideas = list(db.session.scalars(idea_query.order_by(Idea.id)))
    ids = [i.id for i in ideas]
    votes: dict[int, list[tuple[int, datetime]]] = {}
    comments: dict[int, int] = {}
    comparisons: dict[int, int] = {}
    if ids:
        for idea_id, value, at in db.session.execute(
                select(Vote.idea_id, Vote.value, Vote.updated_at).where(Vote.idea_id.in_(ids))):
            votes.setdefault(idea_id, []).append((value, at))
        comments = dict(db.session.execute(
            select(Comment.idea_id, func.count()).where(
                Comment.idea_id.in_(ids), Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
            .group_by(Comment.idea_id)).all())
        for left, right in db.session.execute(
                select(PairwiseComparison.left_id, PairwiseComparison.right_id).where(
                    or_(PairwiseComparison.left_id.in_(ids), PairwiseComparison.right_id.in_(ids)))):
            comparisons[left] = comparisons.get(left, 0) + 1
            comparisons[right] = comparisons.get(right, 0) + 1
        revisions = dict(db.session.execute(
            select(IdeaRevision.idea_id, func.count()).where(IdeaRevision.idea_id.in_(ids))
            .group_by(IdeaRevision.idea_id)).all())
        replies = dict(db.session.execute(
            select(Comment.parent_id, func.count()).where(
                Comment.idea_id.in_(ids), Comment.parent_id.is_not(None), Comment.deleted_at.is_(None),
                Comment.hidden_at.is_(None)).group_by(Comment.parent_id)).all())
        for comment in db.session.scalars(select(Comment).where(
                Comment.idea_id.in_(ids), or_(Comment.reply_count != 0, Comment.id.in_(list(replies) or [0])))):
            actual = replies.get(comment.id, 0)
            if comment.reply_count != actual:
                drifts.append(Drift("comment", comment.id, "reply_count", comment.reply_count, actual))
                comment.reply_count = actual
    for idea in ideas:
        facts = votes.get(idea.id, [])
        up = sum(1 for v, _at in facts if v == 1)
        down = sum(1 for v, _at in facts if v == -1)
        actual = {
            "up_votes": up,
            "down_votes": down,
            "score": ranking.wilson_lower_bound(up, down),
            "trend": ranking.trend_from([at for v, at in facts if v == 1]),
            "comment_count": comments.get(idea.id, 0),
            "comparison_count": comparisons.get(idea.id, 0),
            "revision_count": revisions.get(idea.id, idea.revision_count),
        }
        for field, value in actual.items():
            if _differs(getattr(idea, field), value):
                drifts.append(Drift("idea", idea.id, field, getattr(idea, field), value))
                setattr(idea, field, value)
    for challenge in db.session.scalars(challenge_query.order_by(Challenge.id)):
        actual = {
            "idea_count": db.session.scalar(select(func.count(Idea.id)).where(
                Idea.challenge_id == challenge.id, listed())),
            "vote_count": db.session.scalar(select(func.count(Vote.id)).where(Vote.challenge_id == challenge.id)),
            "comment_count": db.session.scalar(select(func.count(Comment.id)).join(Idea, Idea.id == Comment.idea_id)
                                               .where(Idea.challenge_id == challenge.id,
                                                      Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))),
        }
        for field, value in actual.items():
            if _differs(getattr(challenge, field), value):
                drifts.append(Drift("challenge", challenge.id, field, getattr(challenge, field), value))
                setattr(challenge, field, value)
    db.session.flush()
    return drifts
