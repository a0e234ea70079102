"""A member's home: what is new for them and what waits for them; staff see what their
challenges need. Every part goes through the owning module's policy."""

from __future__ import annotations

from datetime import timedelta

from ideas.challenges.models import PhasePlan
from ideas.core.db import utcnow
from ideas.dashboard import services
from ideas.notifications.models import Notification
from ideas.submissions.models import Report, Vote
from tests.permissions import cheap_logins


def test_member_home_parts(db, make):
    member = make.user()
    challenge = make.challenge(phase="voting", title="Quiet fridges")
    private = make.challenge(phase="voting", visibility="invite", title="Secret trains")
    mine = make.idea(challenge, author=member, title="My fridge idea", status="declined",
                     status_reason="Thanks, but too costly.")
    other = make.idea(challenge, title="Someone else's fridge idea")
    make.idea(private, title="Hidden from the member")
    db.session.add(Vote(idea_id=other.id, challenge_id=challenge.id, user_id=member.id, value=1))
    db.session.add(PhasePlan(challenge_id=challenge.id, phase="voting", ends_at=utcnow() + timedelta(days=3)))
    db.session.add(Notification(user_id=member.id, kind="reply", text="Ann replied to you", link="/x"))
    db.session.add(Notification(user_id=member.id, kind="idea_shortlisted", text="not a reply"))
    db.session.flush()
    home = services.home(member)
    assert [i.title for i in home["new_ideas"]] == ["Someone else's fridge idea"]
    assert [i.id for i in home["my_ideas"]] == [mine.id]
    assert [n.text for n in home["waiting"]] == ["Ann replied to you"]
    assert [c.title for c, _end in home["closing"]] == ["Quiet fridges"]
    assert home["staff"] == [] and home["judging"] == []


def test_staff_see_what_their_challenges_need(db, make):
    staff = make.user()
    company = make.company(staff=[staff])
    review = make.challenge(company, phase="review", title="In review")
    make.challenge(company, phase="closed", title="Done")
    make.challenge(make.company(), phase="review", title="Someone else's")
    idea = make.idea(review, status="submitted")
    make.idea(review, status="shortlisted")
    db.session.add(Report(challenge_id=review.id, idea_id=idea.id, reason="spam"))
    db.session.add(PhasePlan(challenge_id=review.id, phase="review", ends_at=utcnow() - timedelta(days=1)))
    db.session.flush()
    rows = services.staff_challenges(staff)
    assert [r["challenge"].title for r in rows] == ["In review"]
    assert rows[0]["reports"] == 1 and rows[0]["undecided"] == 1 and rows[0]["overdue"]


def test_home_page_for_visitor_member_and_staff(client, db, make, monkeypatch):
    cheap_logins(monkeypatch)
    staff = make.user()
    company = make.company(staff=[staff])
    make.challenge(company, phase="review", title="Staff challenge")
    member = make.user(name="Mia Member")
    db.session.commit()
    assert "Solve real product problems together" in client.get("/").get_data(as_text=True)
    client.login(member)
    page = client.get("/").get_data(as_text=True)
    assert "Welcome back, Mia Member" in page and "Your ideas" in page
    assert "Your company's challenges" not in page
    client.logout()
    client.login(staff)
    page = client.get("/").get_data(as_text=True)
    assert "Your company's challenges" in page and "Staff challenge" in page


def test_member_home_lists_their_focus_groups_and_tests_only(client, db, make, monkeypatch):
    from ideas.focus_groups.models import Membership

    cheap_logins(monkeypatch)
    member = make.user()
    staff = make.user()
    company = make.company(staff=[staff])
    challenge = make.challenge(company, phase="refinement")
    idea = make.idea(challenge, status="selected")
    from ideas.focus_groups import services as fg

    group = fg.create_group(staff, challenge, title="Quiet drum circle", purpose="Refine it.",
                            agreement="Keep it to yourself.", size_limit=10, starts_on="2026-12-01",
                            ends_on="2027-01-31", idea_ids=[idea.id])
    other = fg.create_group(staff, challenge, title="Another private circle", purpose="Other.",
                            agreement="Secret.", size_limit=10, starts_on="2026-12-01",
                            ends_on="2027-01-31", idea_ids=[idea.id])
    fg.invite(staff, group, member.username)
    db.session.commit()
    client.login(member)
    page = client.get("/").get_data(as_text=True)
    assert "Quiet drum circle" in page and "Another private circle" not in page
    assert db.session.query(Membership).filter_by(group_id=other.id, user_id=member.id).count() == 0
