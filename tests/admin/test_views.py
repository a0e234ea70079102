import io

import pytest
from flask import g
from sqlalchemy import select

from ideas.companies.models import Company, CompanyMember
from tests.conftest import BrowserClient


def logged_in(app, user) -> BrowserClient:
    """A fresh browser logged in as `user` (the test's app context, and so `g`, is
    shared by every request: forget the cached user and CSRF token first)."""
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    browser = BrowserClient(app.test_client())
    browser.login(user)
    return browser


ADMIN_PAGES = ["/admin/", "/admin/companies/new", "/admin/users", "/admin/mailbox"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_visitors_are_sent_to_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", ADMIN_PAGES)
def test_members_get_403(app, db, make, url):
    member = make.user()
    make.company(owner=member)  # even a company owner is not a site admin
    db.session.commit()
    assert logged_in(app, member).get(url).status_code == 403


def test_member_cannot_post_admin_actions(app, db, make):
    member, victim = make.user(), make.user()
    db.session.commit()
    browser = logged_in(app, member)
    response = browser.post(f"/admin/users/{victim.id}/active", {"value": "0"}, form_page="/companies/")
    assert response.status_code == 403
    db.session.refresh(victim)
    assert victim.active


def test_dashboard_counts(app, db, make):
    admin = make.user(admin=True)
    company = make.company(name="Counted Co")
    challenge = make.challenge(company)
    make.idea(challenge)  # its author is the second member
    db.session.commit()
    html = logged_in(app, admin).get("/admin/").get_data(as_text=True)
    assert 'data-count="members">2<' in html
    assert 'data-count="companies">1<' in html
    assert 'data-count="challenges">1<' in html
    assert 'data-count="ideas">1<' in html
    assert "Counted Co" in html and "New company" in html


def test_admin_creates_company_with_staff(app, db, make):
    admin, owner = make.user(admin=True), make.user()
    db.session.commit()
    browser = logged_in(app, admin)
    response = browser.post("/admin/companies/new", {
        "name": "Washing Labs", "tagline": "Cleaner drums", "description": "We **wash**.",
        "website": "https://washing.example",
    })
    assert response.status_code == 303
    company = db.session.scalar(select(Company).where(Company.name == "Washing Labs"))
    assert company.slug == "washing-labs"
    assert response.headers["Location"].endswith("/companies/washing-labs/staff")

    response = browser.post("/companies/washing-labs/staff", {"email": owner.email, "role": "owner"})
    assert response.status_code == 303
    row = db.session.scalar(select(CompanyMember).where(CompanyMember.company_id == company.id))
    assert row.user_id == owner.id and row.role == "owner"

    # The duplicate name comes back on the field.
    response = browser.post("/admin/companies/new", {"name": "Washing Labs"})
    assert response.status_code == 422
    assert "already exists" in response.get_data(as_text=True)


def test_admin_uploads_a_logo(app, db, make):
    from PIL import Image

    admin = make.user(admin=True)
    db.session.commit()
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), "green").save(buf, "PNG")
    buf.seek(0)
    response = logged_in(app, admin).post("/admin/companies/new", {
        "name": "Logo Co", "logo": (buf, "logo.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 303
    company = db.session.scalar(select(Company).where(Company.name == "Logo Co"))
    assert company.logo and company.logo.endswith(".webp")


def test_logo_not_an_image_is_422_and_nothing_saved(app, db, make):
    admin = make.user(admin=True)
    db.session.commit()
    response = logged_in(app, admin).post("/admin/companies/new", {
        "name": "Broken Logo Co", "logo": (io.BytesIO(b"%PDF-1.4 not an image"), "logo.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'id="logo-err"' in html and "not an image" in html
    assert db.session.scalar(select(Company).where(Company.name == "Broken Logo Co")) is None


def test_users_search_and_pagination(app, db, make):
    admin = make.user(admin=True, name="Ada Admin")
    make.user(name="Zora Zebra", email="zora@zoo.example")
    for n in range(26):
        make.user(name=f"Filler {n}")
    db.session.commit()
    browser = logged_in(app, admin)
    html = browser.get("/admin/users?q=zoo.example").get_data(as_text=True)
    assert "Zora Zebra" in html and "Filler" not in html
    html = browser.get("/admin/users?q=zebra").get_data(as_text=True)
    assert "zora@zoo.example" in html
    first = browser.get("/admin/users").get_data(as_text=True)
    assert 'rel="next"' in first
    second = browser.get("/admin/users?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_admin_actions_on_users(app, db, make):
    admin, member = make.user(admin=True), make.user()
    db.session.commit()
    browser = logged_in(app, admin)
    url = f"/admin/users/{member.id}"
    assert browser.post(f"{url}/admin", {"value": "1"}, form_page="/admin/users").status_code == 303
    db.session.refresh(member)
    assert member.is_admin
    browser.post(f"{url}/admin", {"value": "0"}, form_page="/admin/users")
    browser.post(f"{url}/active", {"value": "0"}, form_page="/admin/users")
    db.session.refresh(member)
    assert not member.is_admin and not member.active
    browser.post(f"{url}/active", {"value": "1"}, form_page="/admin/users")
    db.session.refresh(member)
    assert member.active


def test_admin_cannot_deactivate_themself(app, db, make):
    admin = make.user(admin=True)
    db.session.commit()
    browser = logged_in(app, admin)
    response = browser.post(f"/admin/users/{admin.id}/active", {"value": "0"}, form_page="/admin/users",
                            follow_redirects=True)
    assert "cannot deactivate your own account" in response.get_data(as_text=True)
    db.session.refresh(admin)
    assert admin.active


def test_dashboard_empty_state_invites_the_first_company(app, db, make):
    admin = make.user(admin=True)
    db.session.commit()
    html = logged_in(app, admin).get("/admin/").get_data(as_text=True)
    assert "Create the first company" in html
