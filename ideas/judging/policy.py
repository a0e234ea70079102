"""Who may see and do what in judging: the one place these rules live.

Staff of the challenge's company (or an admin, `can_manage`) set judging up and see
everything. An accepted judge sees only the ideas assigned to them (not those they
declared a conflict on) and their own scorecards. Nobody but staff sees scores before
the results are published; afterwards an idea's authors see the comments meant for
them, never (with blind review) which judge wrote which. A judge never judges an idea
they wrote or co-wrote (`submissions.policy.is_author`).

Each rule comes as a predicate for one thing and, where lists need it, as a SQL clause.
"""

from __future__ import annotations

from sqlalchemy import and_, false, select, true

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage
from ideas.extensions import db
from ideas.judging.models import JudgeAssignment, JudgeInvitation, JudgingSetup, Scorecard
from ideas.submissions.models import Idea
from ideas.submissions.policy import authenticated, is_author


def is_staff(user, challenge: Challenge) -> bool:
    return authenticated(user) and can_manage(user, challenge)


def is_judge(user, challenge: Challenge) -> bool:
    """An accepted member of the challenge's panel."""
    if not authenticated(user):
        return False
    return db.session.scalar(select(JudgeInvitation.id).where(
        JudgeInvitation.challenge_id == challenge.id, JudgeInvitation.user_id == user.id,
        JudgeInvitation.status == "accepted")) is not None


def assignment_for(user, idea: Idea) -> JudgeAssignment | None:
    """The user's live assignment on the idea (a declared conflict is not one)."""
    if not authenticated(user):
        return None
    return db.session.scalar(select(JudgeAssignment).where(
        JudgeAssignment.idea_id == idea.id, JudgeAssignment.judge_id == user.id,
        JudgeAssignment.status == "assigned"))


def may_judge(user, idea: Idea) -> bool:
    """An accepted judge assigned to the idea who is not one of its authors."""
    return (assignment_for(user, idea) is not None and is_judge(user, idea.challenge)
            and not is_author(user, idea))


def is_published(setup: JudgingSetup | None) -> bool:
    return setup is not None and setup.published_at is not None


def can_see_scores(user, challenge: Challenge, setup: JudgingSetup | None) -> bool:
    """Everybody's scores and the ranking: staff always; nobody else before publication
    (after it, the results are what staff publish, not the raw scorecards)."""
    return is_staff(user, challenge)


def can_see_scorecard(user, scorecard: Scorecard, challenge: Challenge) -> bool:
    """Staff see every scorecard; a judge sees their own."""
    if is_staff(user, challenge):
        return True
    return authenticated(user) and scorecard.judge_id == user.id


def can_see_author_comments(user, idea: Idea, setup: JudgingSetup | None) -> bool:
    """An idea's authors read the judges' comments meant for them once results are out."""
    return is_published(setup) and is_author(user, idea)


def shows_authors_to_judges(setup: JudgingSetup | None) -> bool:
    """With blind review, a judge's pages carry neither the authors' names nor votes."""
    return setup is None or not setup.blind


# -- SQL clauses -----------------------------------------------------------------

def judged_by(user):
    """A WHERE clause over JudgeAssignment: the user's live assignments on challenges
    where they are an accepted judge (their queue)."""
    if not authenticated(user):
        return false()
    accepted = select(JudgeInvitation.challenge_id).where(
        JudgeInvitation.user_id == user.id, JudgeInvitation.status == "accepted")
    return and_(JudgeAssignment.judge_id == user.id, JudgeAssignment.status == "assigned",
                JudgeAssignment.challenge_id.in_(accepted))


def visible_scorecards(user, challenge: Challenge):
    """A WHERE clause over Scorecard within one challenge's ideas: all for staff, the
    user's own for a judge, none for anyone else."""
    if is_staff(user, challenge):
        return true()
    if not authenticated(user):
        return false()
    return Scorecard.judge_id == user.id
