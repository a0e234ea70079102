"""Who may change expert status, and who may see a challenge's leaderboard and a
member's points: the one place these rules live."""

from __future__ import annotations

from sqlalchemy import select

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view, visible_challenges
from ideas.companies.models import CompanyMember
from ideas.extensions import db


def authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def can_manage_experts(user, category: str) -> bool:
    """Site admins anywhere; the staff of a company that runs a challenge in the category."""
    if not authenticated(user):
        return False
    if user.is_admin:
        return True
    return db.session.scalar(
        select(Challenge.id).join(CompanyMember, CompanyMember.company_id == Challenge.company_id)
        .where(CompanyMember.user_id == user.id, Challenge.category == category).limit(1)) is not None


def managed_categories(user) -> set[str] | None:
    """The categories the user may change expert status in (None: all, for admins)."""
    if not authenticated(user):
        return set()
    if user.is_admin:
        return None
    return set(db.session.scalars(
        select(Challenge.category).join(CompanyMember, CompanyMember.company_id == Challenge.company_id)
        .where(CompanyMember.user_id == user.id).distinct()))


def can_view_leaderboard(user, challenge: Challenge) -> bool:
    """A challenge's leaderboard is seen by whoever may see the challenge."""
    return can_view(user, challenge)


def visible_challenge_ids(user):
    """A subquery of the challenges whose points the user may see itemized."""
    return select(Challenge.id).where(visible_challenges(user))
