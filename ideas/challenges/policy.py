"""Who may see and run a challenge. Every listing, page, feed and export filters
through `visible_challenges` / `can_view`, so an invite-only or draft challenge
cannot leak through a side door."""

from __future__ import annotations

from sqlalchemy import and_, exists, or_, select, true

from ideas.challenges.models import Challenge, ChallengeInvite
from ideas.companies.models import CompanyMember
from ideas.companies.policy import is_staff
from ideas.extensions import db


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def visible_challenges(user):
    """A WHERE clause: the challenges this user may know exist.

    Public challenges once published; invite-only ones to invited members; drafts
    and everything else to the company's staff; everything to admins.
    """
    published_public = and_(Challenge.phase != "draft", Challenge.visibility == "public")
    if not _authenticated(user):
        return published_public
    if user.is_admin:
        return true()
    invited = and_(
        Challenge.phase != "draft",
        exists(select(ChallengeInvite.id).where(
            ChallengeInvite.challenge_id == Challenge.id, ChallengeInvite.user_id == user.id
        )),
    )
    staff = exists(select(CompanyMember.id).where(
        CompanyMember.company_id == Challenge.company_id, CompanyMember.user_id == user.id
    ))
    return or_(published_public, invited, staff)


def managed_challenges(user):
    """A WHERE clause over Challenge: the challenges the user runs as staff; True for an
    admin (every challenge), None for someone who runs none (no query needed)."""
    if not _authenticated(user):
        return None
    if user.is_admin:
        return True
    return exists(select(CompanyMember.id).where(
        CompanyMember.company_id == Challenge.company_id, CompanyMember.user_id == user.id
    ))


def can_view(user, challenge: Challenge) -> bool:
    """True when the user may know this challenge exists (else: 404)."""

    if challenge.phase != "draft" and challenge.visibility == "public":
        return True
    if not _authenticated(user):
        return False
    if is_staff(user, challenge.company_id):
        return True
    if challenge.phase == "draft":
        return False
    return db.session.scalar(select(ChallengeInvite.id).where(
        ChallengeInvite.challenge_id == challenge.id, ChallengeInvite.user_id == user.id
    )) is not None


def can_manage(user, challenge: Challenge) -> bool:
    """Staff of the challenge's company (or an admin) run it."""

    return is_staff(user, challenge.company_id)
