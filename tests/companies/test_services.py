import io

import pytest
from flask_login import AnonymousUserMixin
from PIL import Image
from sqlalchemy import select

from ideas.companies import services
from ideas.companies.models import Company, CompanyMember
from ideas.core.errors import Invalid, NotAllowed


def png_bytes() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buf, "PNG")
    buf.seek(0)
    return buf


@pytest.fixture
def people(make):
    """One person per role, and a company owned by `owner` with `manager` as staff."""
    owner, manager, member, admin = make.user(), make.user(), make.user(), make.user(admin=True)
    company = make.company(owner=owner, staff=[manager])
    return {
        "admin": admin, "owner": owner, "manager": manager, "member": member,
        "visitor": AnonymousUserMixin(), "company": company,
    }


ALLOWED = {
    "create": {"admin"},
    "update": {"admin", "owner"},
    "add_staff": {"admin", "owner"},
    "change_role": {"admin", "owner"},
    "remove_staff": {"admin", "owner"},
}


def _run(action, actor, people, make):
    company = people["company"]
    if action == "create":
        return services.create_company(actor, "Brand New Co", "Tagline", "About", "https://example.org")
    if action == "update":
        return services.update_company(actor, company, company.name, "New tagline")
    if action == "add_staff":
        return services.add_staff(actor, company, make.user().email, "manager")
    manager_row = next(m for m in company.staff if m.user_id == people["manager"].id)
    if action == "change_role":
        return services.change_role(actor, company, manager_row, "owner")
    return services.remove_staff(actor, company, manager_row)


@pytest.mark.parametrize("role", ["admin", "owner", "manager", "member", "visitor"])
@pytest.mark.parametrize("action", sorted(ALLOWED))
def test_permissions(db, make, people, action, role):
    if role in ALLOWED[action]:
        _run(action, people[role], people, make)
    else:
        with pytest.raises(NotAllowed):
            _run(action, people[role], people, make)


def test_create_company_slug_logo_and_unique_name(db, make):
    admin = make.user(admin=True)
    company = services.create_company(admin, "Haier Labs", "Washing, rethought", "", "", png_bytes())
    assert company.slug == "haier-labs"
    assert company.logo and company.logo.endswith(".webp")
    with pytest.raises(Invalid) as exc:
        services.create_company(admin, "haier labs ", "", "", "")
    assert exc.value.field == "name"


def test_slug_gets_a_suffix_when_taken(db, make):
    admin = make.user(admin=True)
    make.company(name="Other", slug="acme")
    company = services.create_company(admin, "ACME", "", "", "")
    assert company.slug == "acme-2"


def test_logo_that_is_not_an_image_is_refused(db, make):
    admin = make.user(admin=True)
    with pytest.raises(Invalid) as exc:
        services.create_company(admin, "Text Co", "", "", "", io.BytesIO(b"just some text"))
    assert exc.value.field == "logo"


def test_rename_updates_slug_and_refuses_duplicate(db, make):
    owner = make.user()
    company = make.company(owner=owner, name="Old", slug="old")
    make.company(name="Taken", slug="taken")
    services.update_company(owner, company, "Fresh Name", "t", "d", "https://x.example")
    assert company.slug == "fresh-name" and company.tagline == "t"
    with pytest.raises(Invalid) as exc:
        services.update_company(owner, company, "Taken")
    assert exc.value.field == "name"


def test_add_staff_unknown_email_and_duplicate(db, make):
    owner, member = make.user(), make.user()
    company = make.company(owner=owner)
    with pytest.raises(Invalid) as exc:
        services.add_staff(owner, company, "nobody@example.org", "manager")
    assert exc.value.field == "email"
    assert exc.value.message == "No member with this email"
    row = services.add_staff(owner, company, member.email.upper(), "manager")
    assert row.user_id == member.id and row.role == "manager"
    with pytest.raises(Invalid) as exc:
        services.add_staff(owner, company, member.email, "owner")
    assert exc.value.field == "email"
    with pytest.raises(Invalid):
        services.add_staff(owner, company, make.user().email, "king")


def test_last_owner_cannot_be_removed_or_demoted(db, make):
    owner, second = make.user(), make.user()
    company = make.company(owner=owner)
    row = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == owner.id))
    with pytest.raises(Invalid):
        services.remove_staff(owner, company, row)
    with pytest.raises(Invalid):
        services.change_role(owner, company, row, "manager")
    services.add_staff(owner, company, second.email, "owner")
    services.remove_staff(owner, company, row)
    assert [m.user_id for m in company.staff] == [second.id]


def test_membership_of_another_company_is_refused(db, make):
    admin = make.user(admin=True)
    a, b = make.company(owner=make.user()), make.company(owner=make.user())
    row_b = b.staff[0]
    with pytest.raises(Invalid):
        services.remove_staff(admin, a, row_b)
    assert db.session.get(Company, b.id).staff
