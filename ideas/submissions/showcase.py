"""Ideas shown on other modules' pages: a challenge's shortlist or results, the winners
of recent challenges on the home page, a member's ideas on their profile.

The challenges and accounts modules sit below submissions and do not import it: they
declare providers (`challenges.views.challenge_results`, ...) and create_app fills
them with these functions.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ideas.extensions import db
from ideas.submissions import statuses
from ideas.submissions.models import Idea
from ideas.submissions.policy import visible_ideas


def challenge_results(challenge, limit: int = 10) -> list[Idea]:
    """The shortlist / results: visible ideas carried on by the company, in the status
    table's result order (winners first), then by score."""
    rows = list(db.session.scalars(
        select(Idea).where(Idea.challenge_id == challenge.id, Idea.status.in_(statuses.RESULTS),
                           Idea.hidden_at.is_(None))
        .order_by(Idea.score.desc(), Idea.id).limit(limit)
    ))
    return sorted(rows, key=lambda idea: statuses.STATUSES[idea.status].result_rank)


def winners_by_challenge(challenges) -> dict[int, list[Idea]]:
    """The visible winning ideas of these challenges, per challenge id (one query)."""
    ids = [c.id for c in challenges]
    found: dict[int, list[Idea]] = {}
    if ids:
        for idea in db.session.scalars(select(Idea).where(
                Idea.challenge_id.in_(ids), Idea.status == "winner", Idea.hidden_at.is_(None)).order_by(Idea.id)):
            found.setdefault(idea.challenge_id, []).append(idea)
    return found


def member_ideas(viewer, member, limit: int = 10) -> list[Idea]:
    """The member's latest ideas that the viewer may see, with their challenges."""
    return list(db.session.scalars(
        select(Idea).where(Idea.author_id == member.id, visible_ideas(viewer))
        .options(selectinload(Idea.challenge))
        .order_by(Idea.created_at.desc(), Idea.id.desc()).limit(limit)
    ))
