"""Who may see and run a company, every cell through HTTP (see tests/permissions.py).

"Staff of the company" splits here into its two roles: the owner, who edits the
company page and manages its staff, and a manager, who runs its challenges
(tests/challenges) but may not edit the company or its staff.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import select

from ideas.companies.models import Company, CompanyMember
from ideas.extensions import db
from tests.permissions import Browser, cell_id, rows, run_cell

ROLES = ("visitor", "unverified", "member", "manager", "owner", "other_staff", "admin")
TAGLINE = "Washing machines that stay clean"


@pytest.fixture(autouse=True)
def _cheap_logins(monkeypatch):
    from tests.permissions import cheap_logins

    cheap_logins(monkeypatch)


@dataclass
class World:
    company: Company
    helper: CompanyMember  # a second manager: the one whose role changes or who is removed
    guest: object  # a member the owner adds to the staff
    people: dict


@pytest.fixture
def world(make):
    people = {"visitor": None, "unverified": make.user(verified=False)}
    for role in ("member", "manager", "owner", "other_staff"):
        people[role] = make.user()
    people["admin"] = make.user(admin=True)
    helper = make.user(name="Helga Helper")
    company = make.company(owner=people["owner"], staff=[people["manager"], helper], name="Spotless Ltd",
                           slug="spotless")
    make.company(staff=[people["other_staff"]])
    guest = make.user()
    db.session.commit()
    membership = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == helper.id))
    return World(company=company, helper=membership, guest=guest, people=people)


def _membership(w, user_id):
    return db.session.scalar(select(CompanyMember).where(
        CompanyMember.company_id == w.company.id, CompanyMember.user_id == user_id))


STAFF = "/companies/spotless/staff"
ACTIONS = {
    "view": (lambda b, w: b.get("/companies/spotless"),
             lambda w, r: r.status_code == 200 and "Spotless Ltd" in r.get_data(as_text=True)),
    "edit": (lambda b, w: b.post("/companies/spotless/edit", {
                 "name": "Spotless Ltd", "tagline": TAGLINE, "description": "", "website": ""}),
             lambda w, r: db.session.get(Company, w.company.id).tagline == TAGLINE),
    "staff_page": (lambda b, w: b.get(STAFF),
                   lambda w, r: r.status_code == 200 and "Helga Helper" in r.get_data(as_text=True)),
    "add_staff": (lambda b, w: b.post(STAFF, {"email": w.guest.email, "role": "manager"}),
                  lambda w, r: _membership(w, w.guest.id) is not None),
    "change_role": (lambda b, w: b.post(f"{STAFF}/{w.helper.id}/role", {f"m{w.helper.id}-role": "owner"}),
                    lambda w, r: _membership(w, w.helper.user_id).role == "owner"),
    "remove_staff": (lambda b, w: b.post(f"{STAFF}/{w.helper.id}/remove"),
                     lambda w, r: _membership(w, w.helper.user_id) is None),
}

_OWNERS = dict(visitor="login", unverified="403", member="403", manager="403", owner="ok", other_staff="403",
               admin="ok")
TABLE = rows({
    "view": dict.fromkeys(ROLES, "ok"),
    "edit": _OWNERS,
    "staff_page": _OWNERS,
    "add_staff": _OWNERS,
    "change_role": _OWNERS,
    "remove_staff": _OWNERS,
}, roles=ROLES)


@pytest.mark.parametrize(("cell", "expected"), sorted(TABLE.items()), ids=cell_id)
def test_company_permissions(client, world, cell, expected):
    run_cell(client, world, cell, expected, ACTIONS)


@pytest.mark.parametrize("role", ROLES)
def test_edit_links_only_for_those_who_may(client, world, role):
    """The company page offers the edit and staff pages exactly to those who may use them."""
    html = Browser(client, world.people[role]).get("/companies/spotless").get_data(as_text=True)
    offered = 'href="/companies/spotless/edit"' in html
    assert offered == (TABLE[(role, "edit")] == "ok"), role
