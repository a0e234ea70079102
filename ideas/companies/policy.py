"""Who acts for a company. Roles are relations: staff of one company only."""

from __future__ import annotations

from sqlalchemy import select

from ideas.companies.models import CompanyMember
from ideas.extensions import db


def staff_company_ids(user) -> set[int]:
    """The companies the user is staff of (empty for visitors)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return set()
    return set(db.session.scalars(select(CompanyMember.company_id).where(CompanyMember.user_id == user.id)))


def is_staff(user, company_id: int) -> bool:
    """Staff (owner or manager) of this company, or a site admin."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return db.session.scalar(
        select(CompanyMember.id).where(
            CompanyMember.user_id == user.id, CompanyMember.company_id == company_id
        )
    ) is not None


def is_owner(user, company_id: int) -> bool:
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_admin:
        return True
    return db.session.scalar(
        select(CompanyMember.id).where(
            CompanyMember.user_id == user.id,
            CompanyMember.company_id == company_id,
            CompanyMember.role == "owner",
        )
    ) is not None
