"""Nothing inside a focus group, nor a prototype shown only to it, reaches anyone outside
it: every door through HTTP (pages, files, the .ics, forms), the lists, the idea page and
other people's notifications, for a visitor, a member of nothing, a member of another
group of the same challenge, a former member, the staff of another company, an invitee
and a member who has not accepted the changed agreement."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.focus_groups import board, feedback, meetings, services
from ideas.focus_groups.models import FeedbackResponse, Post
from ideas.notifications.models import Notification
from ideas.prototypes import services as prototype_services
from ideas.prototypes.models import TesterSignup
from tests.factories import with_alt
from tests.focus_groups.conftest import join, png
from tests.permissions import Browser, cheap_logins

SECRETS = ("Drum-secret-thread", "Drum-secret-session", "Drum-secret-round", "Drum-secret-synthesis",
           "Drum-secret-prototype", "Quiet drum panel", "Everything said in this group")


@pytest.fixture(autouse=True)
def _cheap(monkeypatch):
    cheap_logins(monkeypatch)


@pytest.fixture
def inside(world):
    """The group with something behind every door, and a group-only prototype."""
    staff, group = world.people["staff"], world.group
    thread = board.start_thread(world.people["member"], group, "Drum-secret-thread", "Rubber **feet**.",
                                images=with_alt(png()))
    session = meetings.schedule(staff, group, title="Drum-secret-session", starts_at=utcnow() + timedelta(days=2),
                                timezone="Europe/Prague", mode="online", video_link="https://meet.example.org/x")
    round_ = feedback.publish_round(staff, group, title="Drum-secret-round",
                                    questions=[{"kind": "rating", "text": "How quiet?"}])
    services.write_synthesis(staff, group, "Drum-secret-synthesis", public=False)
    prototype = prototype_services.create_prototype(staff, world.idea, title="Drum-secret-prototype",
                                                    visibility="group", focus_group_id=group.id)
    iteration = prototype_services.add_iteration(staff, prototype, version_name="v1", description="First build",
                                                 images=with_alt(png()), places=3)
    from ideas.prototypes import testing

    testing.set_test(staff, iteration, open_=True)
    # a member whose agreement is out of date
    stale = world.people["coauthor"]
    services.invite(staff, group, stale)
    join(stale, group)
    services.change_agreement(staff, group, "Everything said in this group stays here, photos included.")
    for role in ("member", "author"):
        services.accept_agreement(world.people[role], group, agreed=True, version=group.agreement_version)
    world.people["stale"] = stale
    db.session.commit()
    g = group.id
    doors = {
        "group": f"/focus-groups/{g}",
        "board": f"/focus-groups/{g}/board",
        "thread": f"/focus-groups/{g}/board/{thread.id}",
        "file": f"/focus-groups/{g}/files/{thread.attachments[0].filename}",
        "sessions": f"/focus-groups/{g}/sessions",
        "session": f"/focus-groups/{g}/sessions/{session.id}",
        "ics": f"/focus-groups/{g}/sessions/{session.id}.ics",
        "rounds": f"/focus-groups/{g}/feedback",
        "round": f"/focus-groups/{g}/feedback/{round_.id}",
        "people": f"/focus-groups/{g}/people",
        "settings": f"/focus-groups/{g}/settings",
        "prototype": f"/prototypes/{prototype.id}",
        "prototype_file": f"/prototypes/{prototype.id}/files/{iteration.images[0].filename}",
    }
    return {"doors": doors, "thread": thread, "round": round_, "prototype": prototype, "iteration": iteration}


OUTSIDERS = ("outsider", "other_member", "former", "other_staff")
INNER = ("board", "thread", "sessions", "session", "ics", "rounds", "round")


def _expected(role: str, door: str) -> int | str:
    if role == "visitor":
        return 404 if door.startswith("prototype") else "login"
    if role in OUTSIDERS:
        return 404
    if role in ("invitee", "stale"):
        if door == "group":
            return 200
        if door in (*INNER, "people", "settings"):
            return "group"  # sent to the invitation or the agreement
        return 404  # files and the group-only prototype
    if role in ("member", "author"):
        return 403 if door in ("people", "settings") else 200
    return 200  # staff, admin


ROLES = ("visitor", *OUTSIDERS, "invitee", "stale", "member", "staff", "admin")
DOORS = ("group", "board", "thread", "file", "sessions", "session", "ics", "rounds", "round", "people", "settings",
         "prototype", "prototype_file")


@pytest.mark.parametrize("role", ROLES)
def test_every_door(client, world, inside, role):
    browser = Browser(client, world.people[role])
    for door in DOORS:
        url = inside["doors"][door]
        response = browser.get(url)
        expected = _expected(role, door)
        where = response.headers.get("Location", "")
        seen = f"{role} at {door}: {response.status_code} {where}"
        if expected == "login":
            assert response.status_code in (302, 303) and "/login" in where, seen
        elif expected == "group":
            assert response.status_code == 303 and where.endswith(inside["doors"]["group"]), seen
        else:
            assert response.status_code == expected, seen
        if expected != 200 or role in ("invitee", "stale"):
            body = response.get_data(as_text=True)
            for secret in SECRETS[:5]:
                assert secret not in body, f"{seen}: {secret} leaked"


@pytest.mark.parametrize("role", OUTSIDERS)
def test_outsiders_post_nothing(client, world, inside, role):
    browser = Browser(client, world.people[role])
    g = world.group.id
    before = (db.session.scalar(select(func.count(Post.id))), db.session.scalar(select(func.count(FeedbackResponse.id))),
              db.session.scalar(select(func.count(TesterSignup.id))))
    q = inside["round"].questions[0]
    responses = [
        browser.post(f"/focus-groups/{g}/board", {"title": "Hi", "body": "Hello"}),
        browser.post(f"/focus-groups/{g}/board/{inside['thread'].id}", {"body": "Hello"}),
        browser.post(f"/focus-groups/{g}/feedback/{inside['round'].id}", {f"q-{q.id}": "5"}),
        browser.post(f"/iterations/{inside['iteration'].id}/signup"),
        browser.post(f"/focus-groups/{g}/leave"),
        browser.post(f"/focus-groups/{g}/respond", {"agree": "y", "version": "2"}),
    ]
    assert [r.status_code for r in responses] == [404] * len(responses)
    db.session.expire_all()
    after = (db.session.scalar(select(func.count(Post.id))), db.session.scalar(select(func.count(FeedbackResponse.id))),
             db.session.scalar(select(func.count(TesterSignup.id))))
    assert after == before


@pytest.mark.parametrize("role", ("visitor", *OUTSIDERS, "stale"))
def test_lists_and_the_idea_page_keep_it_private(client, world, inside, role):
    browser = Browser(client, world.people[role])
    pages = ["/prototypes", f"/ideas/{world.idea.id}-{world.idea.slug}",
             f"/challenges/{world.challenge.id}-{world.challenge.slug}"]
    if role != "visitor":
        pages.append("/focus-groups")
        pages.append("/notifications")
    for page in pages:
        response = browser.get(page, follow_redirects=True)
        assert response.status_code == 200, page
        body = response.get_data(as_text=True)
        for secret in SECRETS[:5]:
            assert secret not in body, f"{role} on {page}: {secret}"
    if role == "stale":  # knows the group exists, sees nothing inside
        assert "Quiet drum panel" in browser.get("/focus-groups").get_data(as_text=True)


def test_members_see_it_on_lists_and_the_idea_page(client, world, inside):
    browser = Browser(client, world.people["member"])
    idea_page = browser.get(f"/ideas/{world.idea.id}-{world.idea.slug}").get_data(as_text=True)
    assert "Drum-secret-synthesis" in idea_page and "Drum-secret-prototype" in idea_page
    assert "Drum-secret-prototype" in browser.get("/prototypes").get_data(as_text=True)


def test_a_published_synthesis_reaches_the_public_idea_page(client, world, inside):
    services.write_synthesis(world.people["staff"], world.group, "Rubber feet halve the noise.", public=True)
    db.session.commit()
    page = client.get(f"/ideas/{world.idea.id}-{world.idea.slug}").get_data(as_text=True)
    assert "Rubber feet halve the noise." in page
    assert "Quiet drum panel" not in page  # the group's name stays inside


def test_notifications_reach_only_those_inside(world, inside):
    """A scheduled session tells the members who accepted the current agreement, never a
    former member, an invitee, a stale member or a member of another group."""
    meetings.schedule(world.people["staff"], world.group, title="Second session",
                      starts_at=utcnow() + timedelta(days=5), timezone="UTC", mode="in_person", place="Kladno")
    told = set(db.session.scalars(select(Notification.user_id).where(Notification.kind == "focus_group_session")))
    assert told == {world.people["member"].id, world.people["author"].id}


@pytest.mark.parametrize("role", ("member", "staff"))
def test_an_archived_group_stays_readable(client, world, inside, role):
    services.archive(world.people["staff"], world.group)
    db.session.commit()
    browser = Browser(client, world.people[role])
    assert browser.get(inside["doors"]["thread"]).status_code == 200
    response = browser.post(f"/focus-groups/{world.group.id}/board", {"title": "After", "body": "Archived"})
    assert response.status_code == 409
    assert "archived" in response.get_data(as_text=True)
