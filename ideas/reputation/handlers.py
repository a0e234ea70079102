"""Receivers of the domain events (ideas/core/events.py) that write the points ledger,
in the transaction of the fact itself (add, never commit), and review expert status
when an outcome or a moderation decision may change it.

AWARDS is the table of one-off contributions: a new one (focus-group feedback, a
prototype test) is one line naming its signal, its rule (rules.RULES), who earns and
what the points are for. A line whose signal does not exist yet is skipped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select

from ideas.challenges.models import Challenge
from ideas.core import events
from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.reputation import experts, ledger, rules
from ideas.reputation.ledger import Due
from ideas.reputation.models import PointEntry


def _category(idea) -> tuple[int | None, str | None]:
    if idea is None:
        return None, None
    challenge = idea.challenge if "challenge" in idea.__dict__ else db.session.get(Challenge, idea.challenge_id)
    return idea.challenge_id, challenge.category if challenge is not None else None


def _due(user_id: int, rule: str, thing: str, idea, at=None) -> Due:
    challenge_id, category = _category(idea)
    return Due(user_id, rule, thing, rules.RULES[rule].points, at, category, challenge_id,
               idea.id if idea is not None else None)


# -- the table of one-off contributions -------------------------------------------------

@dataclass(frozen=True)
class Award:
    signal: str  # the name of the signal in ideas.core.events
    rule: str  # the rule in rules.RULES
    member: Callable[[dict], int | None]  # who earns, from the signal's arguments
    thing: Callable[[dict], str]  # what the points are for
    idea: Callable[[dict], object] = lambda kw: kw.get("idea")  # gives the category and challenge


AWARDS: tuple[Award, ...] = (
    Award("scorecard_submitted", "judging_scorecard", lambda kw: kw["judge"].id,
          lambda kw: ledger.scorecard_thing(kw["scorecard"].id)),
    Award("focus_group_feedback_given", "focus_group_feedback", lambda kw: kw["user"].id,
          lambda kw: ledger.fg_feedback_thing(kw["response"].id), idea=lambda kw: None),
    Award("prototype_feedback_given", "test_feedback", lambda kw: kw["tester"].id,
          lambda kw: ledger.test_feedback_thing(kw["feedback"].id), idea=lambda kw: None),
)


def _receiver(award: Award):
    def receive(_sender, **kw):
        user_id = award.member(kw)
        if user_id is None:
            return
        idea = award.idea(kw)
        ledger.award(_due(user_id, award.rule, award.thing(kw), idea))
        experts.review_member(user_id, _category(idea)[1])

    receive.__name__ = f"award_{award.rule}"
    return receive


# -- contributions whose facts come and go -------------------------------------------

def on_idea_submitted(idea, **_kw):
    ledger.award(_due(idea.author_id, "idea_submitted", ledger.idea_thing(idea.id), idea, idea.created_at))


def on_idea_withdrawn(idea, **_kw):
    """A withdrawn idea no longer earns its submission points."""
    ledger.settle([], PointEntry.thing == ledger.idea_thing(idea.id), ["idea_submitted"])


def on_vote_cast(_sender, idea, voter, value=0, previous=0, vote=None, **_kw):
    """An up-vote earns the idea's lead author a point; taking it back (or turning it
    into a down-vote) takes the point back. One statement, and no read before it."""
    if (value == 1) == (previous == 1):
        return
    challenge_id, category = _category(idea)
    at = vote.updated_at if vote is not None and vote.updated_at else utcnow()
    ledger.settle_one(idea.author_id, "upvote_received", ledger.vote_thing(idea.id, voter.id),
                      rules.RULES["upvote_received"].points if value == 1 else 0, at=at,
                      category=category, challenge_id=challenge_id, idea_id=idea.id)


def settle_idea_votes(idea_ids) -> None:
    """The up-vote points of these ideas, from their votes as they stand (a merge moved
    votes from one idea to the other, or back)."""
    ids = sorted({int(i) for i in idea_ids if i is not None})
    if ids:
        from ideas.submissions.models import Vote

        ledger.settle(list(ledger.vote_dues(Vote.idea_id.in_(ids))), PointEntry.idea_id.in_(ids),
                      ["upvote_received"])


def on_idea_merged(_sender, merge, **_kw):
    settle_idea_votes([merge.source_id, merge.target_id])


def on_comment_marked_helpful(_sender, comment, idea, helpful=True, **_kw):
    challenge_id, category = _category(idea)
    ledger.settle_one(comment.author_id, "comment_helpful", ledger.comment_thing(comment.id),
                      rules.RULES["comment_helpful"].points if helpful else 0, at=comment.helpful_at,
                      category=category, challenge_id=challenge_id, idea_id=idea.id)
    experts.review_member(comment.author_id, category)


def on_idea_status_changed(_sender, idea, to_status=None, **_kw):
    """An outcome (shortlisted, selected, prototyped, winner) earns the lead author
    its points and may make them an expert in the challenge's category."""
    rule = rules.OUTCOME_REASONS.get(to_status or idea.status)
    if rule is None:
        return
    ledger.award(_due(idea.author_id, rule, ledger.idea_thing(idea.id), idea, idea.decided_at))
    experts.review_member(idea.author_id, _category(idea)[1])


def on_scorecard_submitted(_sender, scorecard, idea, judge, **_kw):
    """A judge who has submitted every scorecard assigned to them in a challenge has
    completed its judging."""
    from ideas.judging.models import JudgeAssignment

    challenge_id = idea.challenge_id
    where = (JudgeAssignment.challenge_id == challenge_id) & (JudgeAssignment.judge_id == judge.id)
    dues = list(ledger.completed_judging(where))
    ledger.settle(dues, (PointEntry.thing == ledger.judging_thing(challenge_id)) & (PointEntry.user_id == judge.id),
                  ["judging_completed"])


def on_content_hidden(_sender, idea=None, comment=None, **_kw):
    """Content hidden by moderators ends its author's expert status at once (the rules
    want nothing hidden in the last 90 days)."""
    author_id = comment.author_id if comment is not None else idea.author_id
    held = db.session.scalar(select(experts.ExpertStatus.id).where(
        experts.ExpertStatus.user_id == author_id, experts.ExpertStatus.held.is_(True)).limit(1))
    if held is not None:
        experts.review_categories_of(author_id)


_HANDLERS = (
    (events.idea_submitted, on_idea_submitted),
    (events.idea_withdrawn, on_idea_withdrawn),
    (events.vote_cast, on_vote_cast),
    (events.idea_merged, on_idea_merged),
    (events.idea_merge_undone, on_idea_merged),
    (events.moved_vote_settled, on_idea_merged),
    (events.comment_marked_helpful, on_comment_marked_helpful),
    (events.idea_status_changed, on_idea_status_changed),
    (events.scorecard_submitted, on_scorecard_submitted),
    (events.idea_hidden, on_content_hidden),
    (events.comment_hidden, on_content_hidden),
)
_AWARD_RECEIVERS = {award: _receiver(award) for award in AWARDS}


def connect() -> None:
    """Connect the ledger's receivers (called by create_app; connecting twice is harmless)."""
    for signal, handler in _HANDLERS:
        signal.connect(handler, weak=False)
    for award, receiver in _AWARD_RECEIVERS.items():
        signal = getattr(events, award.signal, None)
        if signal is not None:
            signal.connect(receiver, weak=False)
