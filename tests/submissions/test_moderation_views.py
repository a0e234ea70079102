"""Moderation over HTTP: staff act, members report, others are refused."""

from __future__ import annotations

from sqlalchemy import select

from ideas.submissions.models import Idea, IdeaMerge, Report
from ideas.submissions.votes import cast_vote


def _page(idea):
    return f"/ideas/{idea.id}-{idea.slug}"


def _staff_world(db, make):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    return staff, challenge


def test_staff_shortlists_and_declines(client, db, make):
    staff, challenge = _staff_world(db, make)
    a, b = make.idea(challenge), make.idea(challenge)
    db.session.commit()
    client.login(staff)
    html = client.get(_page(a)).get_data(as_text=True)
    assert "Staff actions" in html and "Shortlist" in html
    response = client.post(f"/ideas/{a.id}/shortlist", {"reason": "Strong"}, form_page=_page(a))
    assert response.status_code == 303
    response = client.post(f"/ideas/{b.id}/decline", {"feedback": "short"}, form_page=_page(b),
                           follow_redirects=True)
    assert "Feedback to the author" in response.get_data(as_text=True)
    client.post(f"/ideas/{b.id}/decline", {"feedback": "We tried this in 2019; it cracked."}, form_page=_page(b))
    db.session.expire_all()
    assert db.session.get(Idea, a.id).status == "shortlisted"
    assert db.session.get(Idea, b.id).status == "declined"


def test_member_is_refused_and_can_report(client, db, make):
    _staff, challenge = _staff_world(db, make)
    idea = make.idea(challenge)
    member = make.user()
    db.session.commit()
    client.login(member)
    html = client.get(_page(idea)).get_data(as_text=True)
    assert "Staff actions" not in html and "Report this idea" in html
    assert client.post(f"/ideas/{idea.id}/shortlist", {}, form_page=_page(idea)).status_code == 403
    assert client.get(f"/challenges/{challenge.id}-{challenge.slug}/moderation").status_code == 403
    response = client.post(f"/ideas/{idea.id}/report", {"reason": "Copied"}, form_page=_page(idea))
    assert response.status_code == 303
    assert db.session.scalar(select(Report)).reason == "Copied"


def test_moderation_page_merge_and_undo(client, db, make):
    staff, challenge = _staff_world(db, make)
    source, target = make.idea(challenge, title="Steam"), make.idea(challenge, title="Hot steam")
    voter = make.user()
    cast_vote(voter, source, 1)
    db.session.commit()
    client.login(staff)
    response = client.post(f"/ideas/{source.id}/merge", {"target_id": target.id, "reason": "duplicate"},
                           form_page=_page(source))
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Idea, source.id).status == "merged"
    assert db.session.get(Idea, target.id).up_votes == 1
    page = f"/challenges/{challenge.id}-{challenge.slug}/moderation"
    html = client.get(page).get_data(as_text=True)
    assert "Merge history" in html and "Undo" in html
    record = db.session.scalar(select(IdeaMerge))
    response = client.post(f"{page}/merges/{record.id}/undo", {}, form_page=page)
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Idea, source.id).status == "submitted"
    assert db.session.get(Idea, source.id).up_votes == 1
    assert db.session.get(Idea, target.id).up_votes == 0


def test_shortlist_top_form(client, db, make):
    staff, challenge = _staff_world(db, make)
    ideas = [make.idea(challenge) for _ in range(3)]
    cast_vote(make.user(), ideas[1], 1)
    db.session.commit()
    client.login(staff)
    page = f"/challenges/{challenge.id}-{challenge.slug}/moderation"
    response = client.post(f"{page}/shortlist-top", {"n": "1", "reason": ""}, form_page=page, follow_redirects=True)
    assert "1 idea is on the shortlist now." in response.get_data(as_text=True)
    db.session.expire_all()
    assert [db.session.get(Idea, i.id).status for i in ideas] == ["submitted", "shortlisted", "submitted"]
