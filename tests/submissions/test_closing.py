"""Closing a challenge: every idea gets an outcome, and every author is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.challenges import services as challenge_services
from ideas.core.errors import Invalid, InvalidTransition
from ideas.notifications.models import Notification
from ideas.submissions import closing, moderation
from ideas.submissions.models import IdeaDecision


@pytest.fixture
def running(make):
    staff = make.user()
    company = make.company(staff=[staff])
    challenge = make.challenge(company, phase="review")
    authors = [make.user() for _ in range(3)]
    shortlisted = make.idea(challenge, authors[0], status="shortlisted")
    waiting = [make.idea(challenge, authors[1]), make.idea(challenge, authors[2])]
    return staff, challenge, shortlisted, waiting, authors


def _notices(db, user):
    return db.session.scalars(select(Notification).where(Notification.user_id == user.id)).all()


def test_plain_phase_move_refuses_while_ideas_wait(db, running):
    staff, challenge, _s, waiting, _a = running
    with pytest.raises(InvalidTransition) as exc:
        challenge_services.advance(staff, challenge, "closed")
    assert "2 ideas have no outcome yet" in exc.value.message
    assert challenge.phase == "review"
    assert all(i.status == "submitted" for i in waiting)


def test_close_needs_a_reason_for_the_rest(db, running):
    staff, challenge, *_ = running
    with pytest.raises(Invalid) as exc:
        closing.close_challenge(staff, challenge, "")
    assert exc.value.field == "rest_reason"
    assert challenge.phase == "review"


def test_close_with_reason_decides_the_rest_and_tells_every_author(db, running):
    staff, challenge, shortlisted, waiting, authors = running
    moderation.decline(staff, waiting[0], "Too expensive to build for this product line.")
    assert closing.close_challenge(staff, challenge, "Not shortlisted this time; thank you for taking part.") == 1
    assert challenge.phase == "closed"
    assert waiting[1].status == "declined"
    assert waiting[1].status_reason == "Not shortlisted this time; thank you for taking part."
    decision = db.session.scalar(select(IdeaDecision).where(IdeaDecision.idea_id == waiting[1].id))
    assert (decision.from_status, decision.to_status) == ("submitted", "declined")
    assert closing.undecided_count(challenge) == 0
    # every author is told the outcome with the closing notice
    for author, idea in zip(authors, [shortlisted, *waiting], strict=True):
        closed = [n for n in _notices(db, author) if n.kind == "challenge_closed"]
        assert len(closed) == 1 and idea.title in closed[0].text
    closing_notice = next(n for n in _notices(db, authors[2]) if n.kind == "challenge_closed")
    assert "Not shortlisted this time" in closing_notice.text
    # no second notice for the decline made by the closing itself
    assert not [n for n in _notices(db, authors[2]) if n.kind == "idea_declined"]


def test_scheduler_skips_a_challenge_with_undecided_ideas(db, make):
    from datetime import timedelta

    from ideas.challenges.models import PhasePlan
    from ideas.core.db import utcnow

    challenge = make.challenge(phase="prototyping")
    make.idea(challenge)
    db.session.add(PhasePlan(challenge_id=challenge.id, phase="prototyping",
                             starts_at=utcnow() - timedelta(days=9), ends_at=utcnow() - timedelta(days=1)))
    db.session.flush()
    assert challenge_services.advance_due() == []
    assert challenge.phase == "prototyping"


def test_close_page_lists_undecided_and_closes(db, make, client, running):
    staff, challenge, _s, waiting, _a = running
    db.session.commit()
    client.login(staff)
    url = f"/challenges/{challenge.id}-{challenge.slug}/close"
    page = client.get(url).get_data(as_text=True)
    assert all(i.title in page for i in waiting)
    response = client.post(url, {"rest_reason": ""})
    assert response.status_code == 422 and "Please give a reason" in response.get_data(as_text=True)
    response = client.post(url, {"rest_reason": "Not shortlisted this time, thank you."})
    assert response.status_code == 303
    db.session.expire_all()
    assert challenge.phase == "closed"
    member = make.user()
    db.session.commit()
    client.logout()
    client.login(member)
    assert client.get(url).status_code == 403


def test_demo_closed_challenges_leave_no_idea_undecided(db):
    from ideas.challenges.models import Challenge
    from ideas.demo.loader import load_demo

    load_demo()
    closed = db.session.scalars(select(Challenge).where(Challenge.phase == "closed")).all()
    assert closed
    assert all(closing.undecided_count(c) == 0 for c in closed)


def _sql_count(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return int(response.headers["X-SQL-Queries"])


def test_close_page_costs_the_same_for_few_or_many_ideas(db, make, client):
    staff = make.user()
    company = make.company(staff=[staff])
    small, big = make.challenge(company, phase="review"), make.challenge(company, phase="review")
    for challenge, n in ((small, 2), (big, 45)):
        for _ in range(n):
            make.idea(challenge)
    db.session.commit()
    client.login(staff)
    counts = [_sql_count(client, f"/challenges/{c.id}-{c.slug}/close") for c in (small, big)]
    assert counts[0] == counts[1]
    assert _sql_count(client, f"/challenges/{big.id}-{big.slug}/close?page=3") == counts[1]


@pytest.mark.parametrize("role, expected", [
    ("visitor", "login"), ("unverified", 403), ("member", 403), ("author", 403),
    ("other_staff", 403), ("staff", 200), ("admin", 200),
])
def test_close_page_permission_table(db, make, client, role, expected):
    staff, author = make.user(), make.user()
    challenge = make.challenge(make.company(staff=[staff]), phase="review")
    make.idea(challenge, author)
    people = {"unverified": make.user(verified=False), "member": make.user(), "author": author,
              "other_staff": make.user(), "staff": staff, "admin": make.user(admin=True)}
    make.company(staff=[people["other_staff"]])
    db.session.commit()
    if role != "visitor":
        client.login(people[role])
    url = f"/challenges/{challenge.id}-{challenge.slug}/close"
    response = client.get(url)
    if expected == "login":
        assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    else:
        assert response.status_code == expected
    posted = client.post(url, {"rest_reason": "Not shortlisted this time, thank you."}, form_page="/") \
        if role != "visitor" else None
    db.session.expire_all()
    assert (challenge.phase == "closed") == (expected == 200)
    if posted is not None and expected != 200:
        assert posted.status_code == expected
