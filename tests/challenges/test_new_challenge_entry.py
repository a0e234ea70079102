"""Reaching the new-challenge form: from the staff menu and the company page, without
naming the company when the user is staff of one company."""

from __future__ import annotations

from tests.permissions import cheap_logins


def test_staff_of_one_company_land_on_its_form(client, db, make, monkeypatch):
    cheap_logins(monkeypatch)
    staff = make.user()
    company = make.company(staff=[staff], name="Only Company")
    db.session.commit()
    client.login(staff)
    page = client.get("/challenges/new")
    assert page.status_code == 200 and "Only Company" in page.get_data(as_text=True)
    assert 'href="/challenges/new"' in client.get("/").get_data(as_text=True)  # the staff menu
    assert f'/challenges/new?company={company.id}' in client.get(f"/companies/{company.slug}").get_data(as_text=True)


def test_staff_of_several_companies_pick_one(client, db, make, monkeypatch):
    cheap_logins(monkeypatch)
    staff = make.user()
    first, second = make.company(staff=[staff], name="Alpha Works"), make.company(staff=[staff], name="Beta Labs")
    db.session.commit()
    client.login(staff)
    page = client.get("/challenges/new").get_data(as_text=True)
    assert "Which one asks the question?" in page
    assert f"/challenges/new?company={first.id}" in page and f"/challenges/new?company={second.id}" in page


def test_a_member_who_is_no_staff_is_refused(client, db, make, monkeypatch):
    cheap_logins(monkeypatch)
    member = make.user()
    other = make.company(name="Somebody Else")
    db.session.commit()
    client.login(member)
    assert client.get("/challenges/new").status_code == 403
    assert client.get(f"/challenges/new?company={other.id}").status_code == 404
