"""The inbox page over HTTP."""

from __future__ import annotations

from sqlalchemy import select

from ideas.notifications.models import Notification
from ideas.notifications.services import notify


def test_inbox_requires_login(client):
    response = client.get("/notifications/")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]


def test_inbox_shows_own_unread_highlighted_and_mark_all_read(client, db, make):
    user, other = make.user(), make.user()
    idea = make.idea(author=user)
    notify(user, "test", "Your idea was shortlisted", f"/ideas/{idea.id}-{idea.slug}")
    notify(other, "test", "Someone else's news")
    db.session.commit()
    client.login(user)
    html = client.get("/notifications/").get_data(as_text=True)
    assert "Your idea was shortlisted" in html and "notification-unread" in html
    assert "Someone else" not in html
    response = client.post("/notifications/read", {}, form_page="/notifications/")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(Notification).where(Notification.user_id == user.id)).read_at is not None
    assert db.session.scalar(select(Notification).where(Notification.user_id == other.id)).read_at is None
    assert "notification-unread" not in client.get("/notifications/").get_data(as_text=True)


def test_empty_inbox_has_a_friendly_state(client, db, make):
    user = make.user()
    db.session.commit()
    client.login(user)
    assert "all caught up" in client.get("/notifications/").get_data(as_text=True)


def test_open_marks_read_and_follows_link(client, db, make):
    user = make.user()
    note = notify(user, "test", "Look", "/challenges/")
    db.session.commit()
    client.login(user)
    response = client.post(f"/notifications/{note.id}/open", {}, form_page="/notifications/")
    assert response.status_code == 303 and response.headers["Location"].endswith("/challenges/")
    db.session.expire_all()
    assert db.session.get(Notification, note.id).read_at is not None
