import io

from flask import g
from PIL import Image
from sqlalchemy import select

from ideas.companies.models import CompanyMember
from tests.conftest import BrowserClient


def logged_in(app, user) -> BrowserClient:
    """A fresh browser logged in as `user`.

    The test's app context is shared by every request, so Flask-Login's cached
    `g._login_user` (and Flask-WTF's cached `g.csrf_token`) would outlive a client:
    forget them before switching person.
    """
    g.pop("_login_user", None)
    g.pop("csrf_token", None)
    browser = BrowserClient(app.test_client())
    browser.login(user)
    return browser


def png_bytes() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buf, "PNG")
    buf.seek(0)
    return buf


def test_index_lists_companies_with_open_public_challenge_count(client, db, make):
    acme = make.company(name="Acme", slug="acme", tagline="Rockets for everyone")
    make.challenge(acme, phase="submission")
    make.challenge(acme, phase="voting")
    make.challenge(acme, phase="draft")
    make.challenge(acme, phase="submission", visibility="invite")
    make.challenge(acme, phase="closed")
    make.company(name="Quiet", slug="quiet")
    db.session.commit()
    html = client.get("/companies/").get_data(as_text=True)
    assert "Acme" in html and "Rockets for everyone" in html and "Quiet" in html
    assert "2 open challenges" in html
    assert "No open challenges" in html


def test_index_empty_state(client):
    response = client.get("/companies/")
    assert response.status_code == 200
    assert "No companies yet." in response.get_data(as_text=True)


def test_company_page_hides_drafts_and_invite_only_from_visitors(app, client, db, make):
    owner, member = make.user(), make.user()
    company = make.company(owner=owner, name="Haier", slug="haier", description="We make **washers**.")
    make.challenge(company, title="Public drum", phase="submission")
    make.challenge(company, title="Secret draft", phase="draft")
    make.challenge(company, title="Invited only", visibility="invite")
    other = make.company()
    make.challenge(other, title="Someone else's")
    db.session.commit()

    html = client.get("/companies/haier").get_data(as_text=True)
    assert "Public drum" in html
    assert "Secret draft" not in html and "Invited only" not in html and "Someone else" not in html
    assert "<strong>washers</strong>" in html
    assert f"/members/{owner.username}" in html
    assert "Edit company" not in html

    html = logged_in(app, member).get("/companies/haier").get_data(as_text=True)
    assert "Secret draft" not in html and "Invited only" not in html

    html = logged_in(app, owner).get("/companies/haier").get_data(as_text=True)
    assert "Public drum" in html and "Secret draft" in html and "Invited only" in html
    assert "Edit company" in html and "Manage staff" in html


def test_unknown_company_is_404(client):
    assert client.get("/companies/nope").status_code == 404


def test_owner_edits_company(client, db, make):
    owner = make.user()
    company = make.company(owner=owner, name="Before", slug="before")
    db.session.commit()
    client.login(owner)
    response = client.post("/companies/before/edit", {
        "name": "After", "tagline": "Now better", "description": "", "website": "https://after.example",
    })
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/companies/after")
    db.session.refresh(company)
    assert company.tagline == "Now better" and company.website == "https://after.example"


def test_edit_logo_not_an_image_is_422(client, db, make):
    owner = make.user()
    company = make.company(owner=owner, name="Logo Co", slug="logo-co")
    db.session.commit()
    client.login(owner)
    response = client.post("/companies/logo-co/edit", {
        "name": "Logo Co", "logo": (io.BytesIO(b"not a picture"), "logo.png"),
    }, content_type="multipart/form-data")
    assert response.status_code == 422
    assert "not an image" in response.get_data(as_text=True)
    db.session.refresh(company)
    assert company.logo is None


def test_manager_and_member_cannot_edit_or_manage_staff(app, client, db, make):
    manager, member = make.user(), make.user()
    make.company(owner=make.user(), staff=[manager], slug="acme")
    db.session.commit()
    assert client.get("/companies/acme/edit").status_code == 302  # visitors log in first
    for person in (manager, member):
        browser = logged_in(app, person)
        assert browser.get("/companies/acme/edit").status_code == 403
        assert browser.get("/companies/acme/staff").status_code == 403
        assert browser.post("/companies/acme/staff", {"email": person.email},
                            form_page="/companies/").status_code == 403


def test_owner_manages_staff(client, db, make):
    owner, newcomer = make.user(), make.user(name="Nina Newcomer")
    company = make.company(owner=owner, slug="acme")
    db.session.commit()
    client.login(owner)

    response = client.post("/companies/acme/staff", {"email": "ghost@example.org", "role": "manager"})
    assert response.status_code == 422
    assert "No member with this email" in response.get_data(as_text=True)

    response = client.post("/companies/acme/staff", {"email": newcomer.email, "role": "manager"})
    assert response.status_code == 303
    row = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == newcomer.id))
    assert row is not None and row.role == "manager"
    assert "Nina Newcomer" in client.get("/companies/acme/staff").get_data(as_text=True)

    response = client.post(f"/companies/acme/staff/{row.id}/role", {f"m{row.id}-role": "owner"},
                           form_page="/companies/acme/staff")
    assert response.status_code == 303
    db.session.refresh(row)
    assert row.role == "owner"

    owner_row = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == owner.id))
    client.post(f"/companies/acme/staff/{row.id}/remove", form_page="/companies/acme/staff")
    db.session.expire_all()
    assert db.session.get(CompanyMember, row.id) is None
    # Now the last owner: refused, with a message.
    response = client.post(f"/companies/acme/staff/{owner_row.id}/remove", form_page="/companies/acme/staff",
                           follow_redirects=True)
    assert "at least one owner" in response.get_data(as_text=True)
    assert db.session.get(CompanyMember, owner_row.id) is not None
    assert company.id


def _queries(client, url) -> int:
    g.pop("sql_queries", None)  # `g` outlives a request in tests (shared app context)
    response = client.get(url)
    assert response.status_code == 200
    return int(response.headers["X-SQL-Queries"])


def test_list_pages_issue_a_bounded_number_of_queries(client, db, make):
    company = make.company(owner=make.user(), staff=[make.user()], slug="big")
    make.challenge(company)
    db.session.commit()
    for url in ("/companies/", "/companies/big"):  # warm the shared caches (the expert map of name badges)
        _queries(client, url)
    db.session.commit()
    index_small = _queries(client, "/companies/")
    show_small = _queries(client, "/companies/big")
    for _ in range(5):
        other = make.company(owner=make.user())
        make.challenge(other)
        make.challenge(company)
        make.user()
    for _ in range(4):
        db.session.add(type(company.staff[0])(company_id=company.id, user_id=make.user().id, role="manager"))
    db.session.commit()
    db.session.expire_all()
    assert _queries(client, "/companies/") == index_small
    assert _queries(client, "/companies/big") == show_small


def test_owner_replaces_and_removes_logo(client, db, make):
    owner = make.user()
    company = make.company(owner=owner, name="Pic Co", slug="pic-co")
    db.session.commit()
    client.login(owner)
    response = client.post("/companies/pic-co/edit", {"name": "Pic Co", "logo": (png_bytes(), "l.png")},
                           content_type="multipart/form-data")
    assert response.status_code == 303
    db.session.refresh(company)
    first = company.logo
    assert first and first.endswith(".webp")
    assert f'src="/uploads/{first}"' in client.get("/companies/pic-co").get_data(as_text=True)
    client.post("/companies/pic-co/edit", {"name": "Pic Co", "remove_logo": "y"})
    db.session.refresh(company)
    assert company.logo is None


def test_owner_leaving_the_staff_is_sent_to_the_public_page(client, db, make):
    owner, other_owner = make.user(), make.user()
    company = make.company(owner=owner, slug="leave")
    db.session.add(CompanyMember(company_id=company.id, user_id=other_owner.id, role="owner"))
    db.session.commit()
    client.login(owner)
    mine = db.session.scalar(select(CompanyMember).where(CompanyMember.user_id == owner.id))
    response = client.post(f"/companies/leave/staff/{mine.id}/remove", form_page="/companies/leave/staff")
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/companies/leave")
    assert db.session.get(CompanyMember, mine.id) is None
