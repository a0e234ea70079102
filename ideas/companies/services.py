"""Companies and their staff: created by admins, run by their owners.

Rules: only a site admin creates a company; its owners (or an admin) edit it and
manage its staff; a company always keeps at least one owner.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import func, select

from ideas.accounts.models import User
from ideas.companies.models import STAFF_ROLES, Company, CompanyMember
from ideas.companies.policy import is_owner
from ideas.core.errors import Invalid, NotAllowed
from ideas.core.slugs import slugify
from ideas.core.uploads import delete_image, store_image
from ideas.extensions import db


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _require_admin(actor) -> None:
    if not (_authenticated(actor) and actor.is_admin):
        raise NotAllowed(_("Only site administrators can do that."))


def _require_owner(actor, company: Company) -> None:
    if not is_owner(actor, company.id):
        raise NotAllowed(_("Only the company's owners can do that."))


def staff_companies(user) -> list[Company]:
    """The companies this user is staff of, by name (the navigation's staff links)."""
    if not _authenticated(user):
        return []
    return list(db.session.scalars(
        select(Company).join(CompanyMember).where(CompanyMember.user_id == user.id).order_by(Company.name)
    ))


def _unique_slug(name: str, exclude_id: int | None = None) -> str:
    """slugify(name), with -2, -3, ... appended until no other company has it."""
    base = slugify(name, max_length=120)
    slug, n = base, 1
    while True:
        query = select(Company.id).where(Company.slug == slug)
        if exclude_id is not None:
            query = query.where(Company.id != exclude_id)
        if db.session.scalar(query) is None:
            return slug
        n += 1
        slug = f"{base}-{n}"


def _check_name(name: str, exclude_id: int | None = None) -> str:
    name = (name or "").strip()
    if not name:
        raise Invalid(_("A company needs a name."), field="name")
    query = select(Company.id).where(func.lower(Company.name) == name.lower())
    if exclude_id is not None:
        query = query.where(Company.id != exclude_id)
    if db.session.scalar(query) is not None:
        raise Invalid(_("A company with this name already exists."), field="name")
    return name


def create_company(actor, name: str, tagline: str = "", description: str = "", website: str = "",
                   logo=None) -> Company:
    """A new company (admins only); the name is unique, the logo an image stream or None."""
    _require_admin(actor)
    name = _check_name(name)
    stored = store_image(logo, field="logo", max_side=512) if logo is not None else None
    company = Company(
        name=name, slug=_unique_slug(name), tagline=(tagline or "").strip(),
        description=description or "", website=(website or "").strip(),
        logo=stored.filename if stored else None,
    )
    db.session.add(company)
    db.session.flush()
    return company


def update_company(actor, company: Company, name: str, tagline: str = "", description: str = "",
                   website: str = "", logo=None, *, remove_logo: bool = False) -> Company:
    """Edit a company (its owners or an admin). The slug follows a renamed company."""
    _require_owner(actor, company)
    name = _check_name(name, exclude_id=company.id)
    if logo is not None:
        stored = store_image(logo, field="logo", max_side=512)
        delete_image(company.logo)
        company.logo = stored.filename
    elif remove_logo:
        delete_image(company.logo)
        company.logo = None
    if name != company.name:
        company.name = name
        company.slug = _unique_slug(name, exclude_id=company.id)
    company.tagline = (tagline or "").strip()
    company.description = description or ""
    company.website = (website or "").strip()
    db.session.flush()
    return company


def _check_role(role: str) -> None:
    if role not in STAFF_ROLES:
        raise Invalid(_("Unknown role."), field="role")


def _owner_count(company: Company) -> int:
    return db.session.scalar(
        select(func.count(CompanyMember.id)).where(
            CompanyMember.company_id == company.id, CompanyMember.role == "owner"
        )
    ) or 0


def add_staff(actor, company: Company, email: str, role: str = "manager") -> CompanyMember:
    """Make the member with this email staff of the company (owners or an admin)."""
    _require_owner(actor, company)
    _check_role(role)
    email = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email)) if email else None
    if user is None:
        raise Invalid(_("No member with this email"), field="email")
    existing = db.session.scalar(
        select(CompanyMember).where(CompanyMember.company_id == company.id, CompanyMember.user_id == user.id)
    )
    if existing is not None:
        raise Invalid(_("%(name)s is already staff of this company.", name=user.display_name), field="email")
    membership = CompanyMember(company_id=company.id, user_id=user.id, role=role)
    db.session.add(membership)
    db.session.flush()
    db.session.refresh(company, ["staff"])
    return membership


def _membership(company: Company, membership: CompanyMember) -> CompanyMember:
    if membership.company_id != company.id:
        raise Invalid(_("This person is not staff of this company."))
    return membership


def change_role(actor, company: Company, membership: CompanyMember, role: str) -> CompanyMember:
    """Change a staff member's role; the last owner cannot be demoted."""
    _require_owner(actor, company)
    _check_role(role)
    _membership(company, membership)
    if membership.role == "owner" and role != "owner" and _owner_count(company) <= 1:
        raise Invalid(_("A company needs at least one owner."), field="role")
    membership.role = role
    db.session.flush()
    return membership


def remove_staff(actor, company: Company, membership: CompanyMember) -> None:
    """Remove someone from the staff; the last owner cannot be removed."""
    _require_owner(actor, company)
    _membership(company, membership)
    if membership.role == "owner" and _owner_count(company) <= 1:
        raise Invalid(_("A company needs at least one owner: add another owner first."))
    db.session.delete(membership)
    db.session.flush()
    db.session.refresh(company, ["staff"])


def company_by_slug(slug: str) -> Company | None:
    return db.session.scalar(select(Company).where(Company.slug == slug))


def list_companies(page: int, per_page: int) -> list[Company]:
    """One page of companies by name, plus one row to tell whether a next page exists."""
    return list(db.session.scalars(
        select(Company).order_by(Company.name).limit(per_page + 1).offset((max(page, 1) - 1) * per_page)))


def companies_by_name(limit: int = 200) -> list[Company]:
    """Companies by name, for pickers and filters (bounded)."""
    return list(db.session.scalars(select(Company).order_by(Company.name).limit(limit)))
