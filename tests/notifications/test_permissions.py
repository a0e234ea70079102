"""A notification is its recipient's alone, every cell through HTTP (see
tests/permissions.py): someone else's notification answers like one that does not
exist (404), and nothing of it changes or shows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from ideas.extensions import db
from ideas.notifications.models import Notification
from tests.permissions import Browser, cell_id, rows, run_cell

ROLES = ("visitor", "recipient", "member", "staff", "admin")
TEXT = "Your idea “Steam burst” is on the shortlist."


@pytest.fixture(autouse=True)
def _cheap_logins(monkeypatch):
    from tests.permissions import cheap_logins

    cheap_logins(monkeypatch)


@dataclass
class World:
    notification: Notification
    people: dict


@pytest.fixture
def world(make):
    people = {"visitor": None, "recipient": make.user(), "member": make.user(), "staff": make.user(),
              "admin": make.user(admin=True)}
    make.company(staff=[people["staff"]])
    notification = Notification(user_id=people["recipient"].id, kind="idea_shortlisted", text=TEXT,
                                link="/challenges/")
    db.session.add(notification)
    db.session.commit()
    return World(notification=notification, people=people)


def _read(w) -> bool:
    return db.session.get(Notification, w.notification.id).read_at is not None


ACTIONS = {
    "open": (lambda b, w: b.post(f"/notifications/{w.notification.id}/open"),
             lambda w, r: _read(w) and r.headers.get("Location", "").endswith("/challenges/")),
    "mark_read": (lambda b, w: b.post("/notifications/read", {"id": str(w.notification.id)}),
                  lambda w, r: _read(w)),
}
_OWN = dict(visitor="login", recipient="ok", member="404", staff="404", admin="404")
TABLE = rows({"open": _OWN, "mark_read": _OWN}, roles=ROLES)


@pytest.mark.parametrize(("cell", "expected"), sorted(TABLE.items()), ids=cell_id)
def test_notification_permissions(client, world, cell, expected):
    run_cell(client, world, cell, expected, ACTIONS)


@pytest.mark.parametrize("role", [r for r in ROLES if r != "visitor"])
def test_inbox_shows_only_ones_own(client, world, role):
    response = Browser(client, world.people[role]).get("/notifications/")
    assert response.status_code == 200
    assert (TEXT in response.get_data(as_text=True)) == (role == "recipient"), role


def test_someone_elses_and_a_missing_notification_answer_alike(client, world):
    browser = Browser(client, world.people["member"])
    elses = browser.post(f"/notifications/{world.notification.id}/open")
    missing = browser.post(f"/notifications/{world.notification.id + 1000}/open")
    assert elses.status_code == missing.status_code == 404
    db.session.expire_all()
    assert not _read(world)
