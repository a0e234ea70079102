"""What a member's home shows, each part one or two queries, each through the module
policy that owns it: new ideas in the challenges they take part in, their own ideas
with the decisions on them, replies and mentions waiting, challenges closing soon,
their judging queue, their focus groups and prototype tests; for staff, their companies' running challenges with what needs
them (open reports, ideas without an outcome, a phase past its planned end)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import case, func, select, union

from ideas.challenges.models import Challenge, PhasePlan
from ideas.challenges.policy import visible_challenges
from ideas.companies.models import CompanyMember
from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.focus_groups import services as focus_groups
from ideas.judging import services as judging
from ideas.judging.models import JudgeAssignment, Scorecard
from ideas.notifications.models import Notification
from ideas.notifications.policy import visible_notifications
from ideas.prototypes.models import Iteration, Prototype, TesterSignup
from ideas.prototypes.policy import visible_prototypes
from ideas.submissions import statuses
from ideas.submissions.models import Comment, Idea, Report, Vote
from ideas.submissions.policy import authored_by, visible_ideas

SHOWN = 6
TAKING_PART = 30  # challenges looked at for "new in my challenges"
CLOSING_WITHIN = timedelta(days=14)
RUNNING = ("submission", "voting", "review", "refinement", "prototyping")
WAITING_KINDS = ("reply", "mention", "comment")


def my_challenge_ids(user) -> list[int]:
    """The challenges the member took part in (an idea, a vote or a comment), the most
    recent first, at most TAKING_PART."""
    ideas = select(Idea.challenge_id.label("cid"), Idea.created_at.label("at")).where(Idea.author_id == user.id)
    votes = select(Vote.challenge_id.label("cid"), Vote.updated_at.label("at")).where(Vote.user_id == user.id)
    comments = (select(Idea.challenge_id.label("cid"), Comment.created_at.label("at"))
                .join(Idea, Idea.id == Comment.idea_id).where(Comment.author_id == user.id))
    both = union(ideas, votes, comments).subquery()
    rows = db.session.execute(select(both.c.cid, func.max(both.c.at)).group_by(both.c.cid)
                              .order_by(func.max(both.c.at).desc()).limit(TAKING_PART)).all()
    return [cid for cid, _at in rows]


def new_in_my_challenges(user, since_days: int = 14) -> list[Idea]:
    """Ideas by others, newest first, in the challenges the member takes part in."""
    ids = my_challenge_ids(user)
    if not ids:
        return []
    since = utcnow() - timedelta(days=since_days)
    return list(db.session.scalars(
        select(Idea).join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Idea.challenge_id.in_(ids), Idea.author_id != user.id, Idea.created_at >= since,
               visible_ideas(user), visible_challenges(user), Idea.status.in_(statuses.PUBLIC))
        .order_by(Idea.created_at.desc()).limit(SHOWN)))


def my_ideas(user) -> list[Idea]:
    """The member's latest ideas (as author or co-author), with their status and reason."""
    return list(db.session.scalars(select(Idea).where(authored_by(user))
                                   .order_by(Idea.updated_at.desc(), Idea.id.desc()).limit(SHOWN)))


def waiting_for_me(user) -> list[Notification]:
    """Unread replies, mentions and comments on the member's ideas."""
    return list(db.session.scalars(
        select(Notification).where(visible_notifications(user), Notification.read_at.is_(None),
                                   Notification.kind.in_(WAITING_KINDS))
        .order_by(Notification.id.desc()).limit(SHOWN)))


def closing_soon(user) -> list[tuple[Challenge, object]]:
    """Challenges open for ideas or votes whose phase ends within CLOSING_WITHIN."""
    now = utcnow()
    rows = db.session.execute(
        select(Challenge, PhasePlan.ends_at).join(PhasePlan, (PhasePlan.challenge_id == Challenge.id)
                                                  & (PhasePlan.phase == Challenge.phase))
        .where(Challenge.phase.in_(("submission", "voting")), visible_challenges(user),
               PhasePlan.ends_at > now, PhasePlan.ends_at <= now + CLOSING_WITHIN)
        .order_by(PhasePlan.ends_at).limit(SHOWN)).all()
    return [(challenge, ends) for challenge, ends in rows]


def staff_challenges(user) -> list[dict]:
    """Running (and draft) challenges of the member's companies, with what needs them:
    open reports, ideas still without an outcome, the current phase past its planned
    end, the panel's scorecards still to come. Five queries for any number of challenges."""
    companies = select(CompanyMember.company_id).where(CompanyMember.user_id == user.id)
    challenges = list(db.session.scalars(
        select(Challenge).where(Challenge.company_id.in_(companies), Challenge.phase != "closed")
        .order_by(Challenge.phase == "draft", Challenge.id.desc()).limit(20)))
    if not challenges:
        return []
    ids = [c.id for c in challenges]
    reports = dict(db.session.execute(
        select(Report.challenge_id, func.count()).where(Report.challenge_id.in_(ids), Report.resolved_at.is_(None))
        .group_by(Report.challenge_id)).all())
    undecided = dict(db.session.execute(
        select(Idea.challenge_id, func.count()).where(Idea.challenge_id.in_(ids), Idea.status.in_(statuses.UNDECIDED),
                                                      Idea.hidden_at.is_(None))
        .group_by(Idea.challenge_id)).all())
    judging_rows = db.session.execute(
        select(JudgeAssignment.challenge_id, func.count(JudgeAssignment.id),
               func.sum(case((Scorecard.status == "submitted", 1), else_=0)))
        .outerjoin(Scorecard, Scorecard.assignment_id == JudgeAssignment.id)
        .where(JudgeAssignment.challenge_id.in_(ids), JudgeAssignment.status == "assigned")
        .group_by(JudgeAssignment.challenge_id)).all()
    scoring = {cid: (int(done or 0), n) for cid, n, done in judging_rows}
    current = {c.id: c.phase for c in challenges}
    ends = {cid: end for cid, phase, end in db.session.execute(
        select(PhasePlan.challenge_id, PhasePlan.phase, PhasePlan.ends_at).where(PhasePlan.challenge_id.in_(ids)))
        if phase == current[cid]}
    now = utcnow()
    rows = []
    for c in challenges:
        end = ends.get(c.id)
        rows.append({"challenge": c, "reports": reports.get(c.id, 0),
                     "undecided": undecided.get(c.id, 0) if c.phase in ("review", "refinement", "prototyping") else 0,
                     "ends_at": end, "overdue": end is not None and end < now and c.phase != "draft",
                     "scoring": scoring.get(c.id)})
    return rows


def my_focus_groups(user) -> list:
    """The focus groups the member is in or invited to (staff: their companies' groups)."""
    return focus_groups.my_groups(user).items[:SHOWN]


def my_tests(user) -> list:
    """The member's sign-ups as a prototype tester, newest first: (signup status, prototype,
    iteration number), only for prototypes the member may see."""
    return list(db.session.execute(
        select(TesterSignup.status, Prototype, Iteration.number)
        .join(Iteration, Iteration.id == TesterSignup.iteration_id)
        .join(Prototype, Prototype.id == Iteration.prototype_id)
        .where(TesterSignup.user_id == user.id, visible_prototypes(user))
        .order_by(TesterSignup.created_at.desc()).limit(SHOWN)))


def home(user) -> dict:
    """Everything the member's home shows."""
    return {
        "new_ideas": new_in_my_challenges(user),
        "my_ideas": my_ideas(user),
        "waiting": waiting_for_me(user),
        "closing": closing_soon(user),
        "judging": judging.queue_summary(user),
        "invitations": judging.pending_invitations(user),
        "staff": staff_challenges(user),
        "groups": my_focus_groups(user),
        "tests": my_tests(user),
    }
