"""A challenge's idea list: sorts and pages that cost the same on page 1 and 1000.

The ids of one page are picked from the sort index first (LIMIT/OFFSET over
(challenge_id, key, id)), then those rows are loaded with their authors in one
query. No COUNT per request: the last page comes from challenge.idea_count.
"""

from __future__ import annotations

from sqlalchemy import and_, case, literal, select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.core.pagination import Page
from ideas.extensions import db
from ideas.submissions.models import Idea
from ideas.submissions.policy import PUBLIC_STATUSES

SORTS = ("top", "new", "trending", "discussed", "fresh")
# What a list row shows, read as plain rows (no ORM objects to build): the author's
# name comes in the same query.
ROW_COLUMNS = (
    Idea.id, Idea.challenge_id, Idea.author_id, Idea.title, Idea.slug, Idea.summary, Idea.status,
    Idea.tags, Idea.up_votes, Idea.down_votes, Idea.score, Idea.trend, Idea.comment_count,
    Idea.created_at, Idea.hidden_at,
    User.username.label("author_username"), User.display_name.label("author_name"),
    User.avatar.label("author_avatar"),
)
# Fresh eyes: a large prime modulus and Knuth's multiplicative constant give a
# shuffle that is stable for one seed and different between members.
_PRIME = 4294967291
_MULTIPLIER = 2654435761


def _order(sort: str, seed: int):
    if sort == "new":
        return [Idea.created_at.desc(), Idea.id.desc()]
    if sort == "trending":
        return [Idea.trend.desc(), Idea.id.desc()]
    if sort == "discussed":
        return [Idea.comment_count.desc(), Idea.id.desc()]
    if sort == "fresh":
        votes = Idea.up_votes + Idea.down_votes
        bucket = case((votes == 0, 0), (votes <= 2, 1), (votes <= 9, 2), else_=3)
        shuffle = (Idea.id * literal(_MULTIPLIER) + literal(seed % _PRIME)) % literal(_PRIME)
        return [bucket, shuffle, Idea.id]
    return [Idea.score.desc(), Idea.id.desc()]


def _shown(user, challenge: Challenge):
    """Visible ideas of a challenge already known visible to the user: public ones,
    plus the user's own hidden or withdrawn ones."""
    from ideas.challenges.policy import can_manage

    condition = and_(Idea.hidden_at.is_(None), Idea.status.in_(PUBLIC_STATUSES))
    if user is not None and getattr(user, "is_authenticated", False):
        if can_manage(user, challenge):
            return and_(Idea.challenge_id == challenge.id, Idea.status != "merged")
        condition = condition | (Idea.author_id == user.id)
    return and_(Idea.challenge_id == challenge.id, condition)


def idea_page(user, challenge: Challenge, sort: str = "top", page: int = 1, per_page: int = 20,
              member_seed: int = 0) -> Page:
    """One page of the challenge's ideas in the given sort, as rows with the columns of
    ROW_COLUMNS (the challenge must be visible to the user: the caller checks `can_view`)."""
    sort = sort if sort in SORTS else "top"
    page = max(1, page)
    ids = (
        select(Idea.id).where(_shown(user, challenge)).order_by(*_order(sort, member_seed))
        .limit(per_page + 1).offset((page - 1) * per_page)
    ).subquery()
    query = (
        select(*ROW_COLUMNS).join(ids, ids.c.id == Idea.id).join(User, User.id == Idea.author_id)
        .order_by(*_order(sort, member_seed))
    )
    rows = db.session.execute(query).all()
    total = challenge.idea_count
    return Page(items=rows[:per_page], page=page, per_page=per_page, has_next=len(rows) > per_page,
                has_prev=page > 1, total=total, extra={"sort": sort})


def list_rows(user, challenge: Challenge, ideas: list, my_votes: dict[int, int]) -> list[tuple]:
    """(idea, the user's vote, whether the vote buttons are enabled) for each row, decided
    without a query per row: co-authors, not known here, are still refused on casting."""
    from ideas.submissions.votes import CLOSED_STATUSES, voting_open

    authenticated = user is not None and getattr(user, "is_authenticated", False)
    may_vote = authenticated and getattr(user, "is_verified", False) and voting_open(challenge.phase)
    user_id = user.id if authenticated else None
    return [
        (idea, my_votes.get(idea.id, 0),
         bool(may_vote and idea.hidden_at is None and idea.status not in CLOSED_STATUSES
              and idea.author_id != user_id))
        for idea in ideas
    ]
