"""Writing the points ledger, and recomputing it from the facts.

Two ways in, one arithmetic. A handler that reacts to a contribution either
`award`s a one-off entry (an idea shortlisted: INSERT ... ON CONFLICT DO NOTHING, so
the same reason for the same thing never counts twice) or `settle`s the things whose
facts can come and go (an up-vote given, taken back, given again): it compares what
the facts say each member should hold for those things with what the ledger holds,
and appends the difference. `rebuild` does the same for everything, from the facts
alone (FACTS below); after normal operation it finds nothing to append, which is what
the tests prove on SQLite and PostgreSQL.

Everything here adds to the session and never commits.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, case, func, literal, or_, select, true
from sqlalchemy.dialects import postgresql, sqlite

from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.judging.models import JudgeAssignment, Scorecard
from ideas.reputation import rules
from ideas.reputation.models import PointEntry
from ideas.submissions.models import Comment, Idea, IdeaDecision, Vote

Key = tuple[int, str, str]  # (member, rule, thing)


class Due(NamedTuple):
    """What the facts say a member should hold for one thing under one rule."""

    user_id: int
    rule: str
    thing: str
    points: int
    at: datetime | None = None  # when it was earned (None: now)
    category: str | None = None
    challenge_id: int | None = None
    idea_id: int | None = None


def idea_thing(idea_id: int) -> str:
    return f"idea:{idea_id}"


def vote_thing(idea_id: int, voter_id: int) -> str:
    return f"vote:{idea_id}:{voter_id}"


def comment_thing(comment_id: int) -> str:
    return f"comment:{comment_id}"


def scorecard_thing(scorecard_id: int) -> str:
    return f"scorecard:{scorecard_id}"


def fg_feedback_thing(response_id: int) -> str:
    return f"fg_feedback:{response_id}"


def test_feedback_thing(feedback_id: int) -> str:
    return f"test_feedback:{feedback_id}"


def judging_thing(challenge_id: int) -> str:
    return f"judging:{challenge_id}"


_CONFLICT = ["user_id", "reason", "thing", "occurrence"]


def _dialect_insert():
    dialect = db.session.get_bind().dialect.name
    return (postgresql.insert if dialect == "postgresql" else sqlite.insert)(PointEntry)


def _insert():
    """INSERT ... ON CONFLICT DO NOTHING on the ledger's unique key, for the backend."""
    return _dialect_insert().on_conflict_do_nothing(index_elements=_CONFLICT)


def _row(due: Due, reason: str, points: int, occurrence: int, at: datetime) -> dict:
    return {"user_id": due.user_id, "reason": reason, "thing": due.thing, "occurrence": occurrence,
            "points": points, "category": due.category, "challenge_id": due.challenge_id,
            "idea_id": due.idea_id, "at": at}


def _write(rows: list[dict], batch: int = 1000) -> None:
    for start in range(0, len(rows), batch):
        db.session.execute(_insert(), rows[start:start + batch])


def award(due: Due, now: datetime | None = None) -> None:
    """Write a one-off entry for `due` unless the ledger has it already (one statement)."""
    if due.points:
        _write([_row(due, due.rule, due.points, 0, due.at or now or utcnow())])


def settle_one(user_id: int, rule: str, thing: str, target: int, *, at: datetime | None = None,
               category: str | None = None, challenge_id: int | None = None, idea_id: int | None = None) -> None:
    """Make the member's net points for one thing under one rule equal `target`, in one
    INSERT ... SELECT (no read before it): the difference under the rule's reason when
    more is due, under its reversal when less, nothing when it already holds. What the
    vote path uses, where every statement counts."""
    reasons = rules.reasons_of([rule])
    more = target > 0
    reason = rule if more else rules.reversal_of(rule)
    mine = (PointEntry.user_id == user_id) & (PointEntry.thing == thing)
    net = (select(func.coalesce(func.sum(PointEntry.points), 0))
           .where(mine, PointEntry.reason.in_(reasons)).scalar_subquery())
    occurrence = select(func.count()).where(mine, PointEntry.reason == reason).scalar_subquery()
    columns = PointEntry.__table__.c
    source = select(
        literal(user_id, columns.user_id.type), literal(reason, columns.reason.type),
        literal(thing, columns.thing.type), occurrence, literal(target, columns.points.type) - net,
        literal(category, columns.category.type), literal(challenge_id, columns.challenge_id.type),
        literal(idea_id, columns.idea_id.type), literal(at or utcnow(), columns.at.type),
    ).where(net < target if more else net > target)
    db.session.execute(_dialect_insert().from_select(
        ["user_id", "reason", "thing", "occurrence", "points", "category", "challenge_id", "idea_id", "at"],
        source).on_conflict_do_nothing(index_elements=_CONFLICT))


class Holding(NamedTuple):
    points: int
    counts: dict  # reason -> entries
    category: str | None
    challenge_id: int | None
    idea_id: int | None


def holdings(where, rule_names: Iterable[str]) -> dict[Key, Holding]:
    """What the ledger holds, net, per (member, rule, thing) among the entries `where`
    selects for these rules (one grouped query)."""
    reasons = rules.reasons_of(rule_names)
    rows = db.session.execute(
        select(PointEntry.user_id, PointEntry.reason, PointEntry.thing, func.sum(PointEntry.points),
               func.count(), func.max(PointEntry.category), func.max(PointEntry.challenge_id),
               func.max(PointEntry.idea_id))
        .where(where, PointEntry.reason.in_(reasons))
        .group_by(PointEntry.user_id, PointEntry.reason, PointEntry.thing))
    held: dict[Key, Holding] = {}
    for user_id, reason, thing, points, count, category, challenge_id, idea_id in rows:
        key = (user_id, rules.family(reason), thing)
        prior = held.get(key)
        counts = dict(prior.counts) if prior else {}
        counts[reason] = count
        held[key] = Holding((prior.points if prior else 0) + int(points or 0), counts,
                            category if prior is None else prior.category or category,
                            challenge_id if prior is None else prior.challenge_id or challenge_id,
                            idea_id if prior is None else prior.idea_id or idea_id)
    return held


def corrections(dues: Iterable[Due], held: dict[Key, Holding], now: datetime) -> list[dict]:
    """The entries that make the ledger's holdings equal the dues: for each key, the
    difference, under the rule's reason (more is due) or its reversal (less)."""
    due_by_key: dict[Key, Due] = {}
    for due in dues:
        key = (due.user_id, due.rule, due.thing)
        if key in due_by_key:  # the same thing twice (two decisions to one status): the first counts
            continue
        due_by_key[key] = due
    rows = []
    for key in due_by_key.keys() | held.keys():
        due = due_by_key.get(key)
        holding = held.get(key)
        have = holding.points if holding else 0
        diff = (due.points if due else 0) - have
        if not diff:
            continue
        user_id, rule, thing = key
        reason = rule if diff > 0 else rules.reversal_of(rule)
        occurrence = holding.counts.get(reason, 0) if holding else 0
        if due is None:  # nothing is due any more: reverse with what the entries said
            due = Due(user_id, rule, thing, 0, None, holding.category, holding.challenge_id, holding.idea_id)
        at = due.at if (diff > 0 and holding is None and due.at) else now
        rows.append(_row(due, reason, diff, occurrence, at))
    rows.sort(key=lambda r: (r["at"], r["user_id"], r["thing"]))
    return rows


def settle(dues: Iterable[Due], where, rule_names: Iterable[str], now: datetime | None = None) -> int:
    """Make the ledger hold exactly `dues` for the things `where` selects under these
    rules; returns how many entries were appended."""
    rows = corrections(list(dues), holdings(where, rule_names), now or utcnow())
    _write(rows)
    return len(rows)


# -- the facts -------------------------------------------------------------------------
#
# Each rule's points come from the rows below; a handler's Due and the rebuild's Due
# for one thing must agree. A rule without a source (focus-group and test feedback,
# until those modules exist) is kept as the ledger has it.

def _idea_columns():
    return (Idea.challenge_id, Challenge.category)


def submitted_ideas() -> Iterator[Due]:
    """Every idea submitted and not withdrawn earns its lead author the rule's points."""
    points = rules.RULES["idea_submitted"].points
    rows = db.session.execute(
        select(Idea.id, Idea.author_id, Idea.created_at, *_idea_columns())
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.status != "withdrawn").order_by(Idea.id).execution_options(yield_per=2000))
    for idea_id, author_id, at, challenge_id, category in rows:
        yield Due(author_id, "idea_submitted", idea_thing(idea_id), points, at, category, challenge_id, idea_id)


def vote_dues(where=None) -> Iterator[Due]:
    """Every standing up-vote earns the idea's lead author the rule's points."""
    points = rules.RULES["upvote_received"].points
    query = (select(Vote.idea_id, Vote.user_id, Vote.updated_at, Idea.author_id, *_idea_columns())
             .join(Idea, Idea.id == Vote.idea_id).join(Challenge, Challenge.id == Idea.challenge_id)
             .where(Vote.value == 1, where if where is not None else true())
             .order_by(Vote.id).execution_options(yield_per=5000))
    for idea_id, voter_id, at, author_id, challenge_id, category in db.session.execute(query):
        yield Due(author_id, "upvote_received", vote_thing(idea_id, voter_id), points, at, category,
                  challenge_id, idea_id)


def upvotes() -> Iterator[Due]:
    return vote_dues()


def helpful_comments() -> Iterator[Due]:
    points = rules.RULES["comment_helpful"].points
    rows = db.session.execute(
        select(Comment.id, Comment.author_id, Comment.helpful_at, Comment.idea_id, *_idea_columns())
        .join(Idea, Idea.id == Comment.idea_id).join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Comment.helpful_at.is_not(None)).order_by(Comment.id).execution_options(yield_per=2000))
    for comment_id, author_id, at, idea_id, challenge_id, category in rows:
        yield Due(author_id, "comment_helpful", comment_thing(comment_id), points, at, category, challenge_id, idea_id)


def outcome_dues(rule: str) -> Callable[[], Iterator[Due]]:
    """An idea's outcome (shortlisted, selected, ...) from its decision history: a
    status reached once counts, whatever came after."""
    status = next(s for s, r in rules.OUTCOME_REASONS.items() if r == rule)

    def source() -> Iterator[Due]:
        points = rules.RULES[rule].points
        first = (select(IdeaDecision.idea_id, func.min(IdeaDecision.created_at).label("at"))
                 .where(IdeaDecision.to_status == status).group_by(IdeaDecision.idea_id).subquery())
        rows = db.session.execute(
            select(Idea.id, Idea.author_id, first.c.at, *_idea_columns())
            .join(first, first.c.idea_id == Idea.id).join(Challenge, Challenge.id == Idea.challenge_id)
            .order_by(Idea.id))
        for idea_id, author_id, at, challenge_id, category in rows:
            yield Due(author_id, rule, idea_thing(idea_id), points, at, category, challenge_id, idea_id)

    return source


def _ever_submitted():
    """A scorecard counts once submitted, also if staff reopened it since."""
    return or_(Scorecard.status == "submitted", Scorecard.reopened_at.is_not(None))


def scorecards() -> Iterator[Due]:
    points = rules.RULES["judging_scorecard"].points
    rows = db.session.execute(
        select(Scorecard.id, Scorecard.judge_id, func.coalesce(Scorecard.submitted_at, Scorecard.reopened_at),
               Scorecard.idea_id, *_idea_columns())
        .join(Idea, Idea.id == Scorecard.idea_id).join(Challenge, Challenge.id == Idea.challenge_id)
        .where(_ever_submitted()).order_by(Scorecard.id))
    for card_id, judge_id, at, idea_id, challenge_id, category in rows:
        yield Due(judge_id, "judging_scorecard", scorecard_thing(card_id), points, at, category, challenge_id, idea_id)


def completed_judging(where=None) -> Iterator[Due]:
    """A judge completed a challenge's judging when every idea still assigned to them
    there has a scorecard they submitted."""
    points = rules.RULES["judging_completed"].points
    done = case((and_(Scorecard.id.is_not(None), _ever_submitted()), 0), else_=1)
    rows = db.session.execute(
        select(JudgeAssignment.challenge_id, JudgeAssignment.judge_id, func.sum(done),
               func.max(func.coalesce(Scorecard.submitted_at, Scorecard.reopened_at)), Challenge.category)
        .join(Challenge, Challenge.id == JudgeAssignment.challenge_id)
        .outerjoin(Scorecard, Scorecard.assignment_id == JudgeAssignment.id)
        .where(JudgeAssignment.status == "assigned", where if where is not None else true())
        .group_by(JudgeAssignment.challenge_id, JudgeAssignment.judge_id, Challenge.category)
        .order_by(JudgeAssignment.challenge_id, JudgeAssignment.judge_id))
    for challenge_id, judge_id, missing, at, category in rows:
        if not missing:
            yield Due(judge_id, "judging_completed", judging_thing(challenge_id), points, at, category,
                      challenge_id, None)


def focus_group_feedback() -> Iterator[Due]:
    """A member answered a focus group's feedback round (once per round)."""
    from ideas.focus_groups.models import FeedbackResponse

    points = rules.RULES["focus_group_feedback"].points
    rows = db.session.execute(select(FeedbackResponse.id, FeedbackResponse.user_id, FeedbackResponse.submitted_at)
                              .where(FeedbackResponse.user_id.is_not(None)).order_by(FeedbackResponse.id))
    for response_id, user_id, at in rows:
        yield Due(user_id, "focus_group_feedback", fg_feedback_thing(response_id), points, at, None, None, None)


def test_feedback() -> Iterator[Due]:
    """A tester rated a prototype iteration."""
    from ideas.prototypes.models import TestFeedback

    points = rules.RULES["test_feedback"].points
    rows = db.session.execute(select(TestFeedback.id, TestFeedback.tester_id, TestFeedback.created_at)
                              .where(TestFeedback.tester_id.is_not(None)).order_by(TestFeedback.id))
    for feedback_id, user_id, at in rows:
        yield Due(user_id, "test_feedback", test_feedback_thing(feedback_id), points, at, None, None, None)


# rule -> where its points come from. Focus-group and test feedback join with their
# modules: one source each here, and one line in handlers.AWARDS.
FACTS: dict[str, Callable[[], Iterator[Due]]] = {
    "idea_submitted": submitted_ideas,
    "upvote_received": upvotes,
    "comment_helpful": helpful_comments,
    **{rule: outcome_dues(rule) for rule in rules.OUTCOME_REASONS.values()},
    "judging_scorecard": scorecards,
    "judging_completed": completed_judging,
    "focus_group_feedback": focus_group_feedback,
    "test_feedback": test_feedback,
}


# -- the rebuild ----------------------------------------------------------------------

@dataclass
class RebuildReport:
    due: int = 0  # entries the facts call for (one per member, rule and thing)
    appended: int = 0  # corrections written (or, when checking, that would be)
    per_rule: dict = field(default_factory=dict)  # rule -> corrections

    @property
    def matches(self) -> bool:
        return self.appended == 0


def rebuild(*, apply: bool = True, now: datetime | None = None,
            progress: Callable[[str, int], None] | None = None) -> RebuildReport:
    """Recompute every rule's points from the facts and append what the ledger lacks
    or holds too much (`apply=False`: only count it). `progress(rule, n)` is told of
    every n facts read. Rules without a source of facts are left as they are."""
    now = now or utcnow()
    report = RebuildReport()
    for rule, source in FACTS.items():
        dues = []
        for due in source():
            dues.append(due)
            if progress is not None and len(dues) % 1000 == 0:
                progress(rule, 1000)
        if progress is not None:
            progress(rule, len(dues) % 1000)
        rows = corrections(dues, holdings(true(), [rule]), now)
        report.due += len({(d.user_id, d.thing) for d in dues})
        report.per_rule[rule] = len(rows)
        report.appended += len(rows)
        if apply:
            _write(rows)
    return report


def fact_counts() -> dict[str, int]:
    """How many facts each rule's source reads (for a progress bar's length)."""
    counts = {
        "idea_submitted": select(func.count()).select_from(Idea).where(Idea.status != "withdrawn"),
        "upvote_received": select(func.count()).select_from(Vote).where(Vote.value == 1),
        "comment_helpful": select(func.count()).select_from(Comment).where(Comment.helpful_at.is_not(None)),
        "judging_scorecard": select(func.count()).select_from(Scorecard).where(_ever_submitted()),
    }
    out = {rule: db.session.scalar(q) or 0 for rule, q in counts.items()}
    decisions = dict(db.session.execute(
        select(IdeaDecision.to_status, func.count(func.distinct(IdeaDecision.idea_id)))
        .where(IdeaDecision.to_status.in_(rules.OUTCOME_REASONS)).group_by(IdeaDecision.to_status)).all())
    for status, rule in rules.OUTCOME_REASONS.items():
        out[rule] = decisions.get(status, 0)
    out["judging_completed"] = db.session.scalar(
        select(func.count()).select_from(
            select(JudgeAssignment.challenge_id, JudgeAssignment.judge_id)
            .where(JudgeAssignment.status == "assigned").distinct().subquery())) or 0
    return out


def net_ledger() -> dict[Key, int]:
    """The ledger as the rules read it: net points per (member, rule, thing), zeros left out."""
    held = holdings(true(), rules.RULES)
    return {key: h.points for key, h in held.items() if h.points}
