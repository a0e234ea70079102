"""The issue's walk through HTTP: staff take a selected idea into a focus group, invite,
the invitee accepts the agreement, a session and a feedback round with its results, a
prototype with a test round by member testers, launched as the winner; and bad input
through the forms: a clear message, nothing saved, never a 500."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from ideas.core.db import utcnow
from ideas.extensions import db
from ideas.focus_groups.models import FeedbackResponse, FocusGroup, GroupSession, Membership, Post
from ideas.notifications.models import Notification
from ideas.prototypes.models import Iteration, Prototype, TestFeedback
from ideas.submissions.models import Idea
from tests.focus_groups.conftest import not_an_image, png
from tests.permissions import Browser, cheap_logins


@pytest.fixture(autouse=True)
def _cheap(monkeypatch):
    cheap_logins(monkeypatch)


def count(model, *where):
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_the_whole_walk(client, app, world, make):
    staff = Browser(client, world.people["staff"])
    c = world.challenge
    page = staff.get(f"/challenges/{c.id}/focus-groups/new")
    assert page.status_code == 200 and "Rubber feet for the drum" in page.get_data(as_text=True)
    today = date.today()
    r = staff.post(f"/challenges/{c.id}/focus-groups/new", {
        "ideas": [str(world.idea.id)], "title": "Drum walk", "purpose": "Make it quiet.",
        "agreement": "Keep it to yourself.", "size_limit": "3", "starts_on": today.isoformat(),
        "ends_on": (today + timedelta(days=20)).isoformat()})
    assert r.status_code == 303, r.get_data(as_text=True)[:2000]
    group = db.session.scalar(select(FocusGroup).where(FocusGroup.title == "Drum walk"))
    people = staff.get(f"/focus-groups/{group.id}/people").get_data(as_text=True)
    assert "co-author of" in people  # a suggestion with its reason
    invitee = world.people["outsider"]
    assert staff.post(f"/focus-groups/{group.id}/invite", {"member": invitee.username, "reason": "tests drums"}
                      ).status_code == 303
    assert count(Notification, Notification.user_id == invitee.id, Notification.kind == "focus_group_invited") == 1

    client.logout()
    member = Browser(client, invitee)
    invitation = member.get(f"/focus-groups/{group.id}").get_data(as_text=True)
    assert "Keep it to yourself." in invitation and "Make it quiet." not in invitation
    r = member.post(f"/focus-groups/{group.id}/respond", {"answer": "accept", "version": "1"})  # not ticked
    assert r.status_code == 303
    assert db.session.scalar(select(Membership.status).where(Membership.user_id == invitee.id)) == "invited"
    r = member.post(f"/focus-groups/{group.id}/respond", {"answer": "accept", "version": "1", "agree": "y"})
    assert r.status_code == 303
    assert "Make it quiet." in member.get(f"/focus-groups/{group.id}").get_data(as_text=True)
    r = member.post(f"/focus-groups/{group.id}/board", {"title": "Hello", "body": "Feet *help*.",
                                                        "images-0-file": (png(), "feet.png"),
                                                        "images-0-alt": "Rubber feet under the drum"},
                    content_type="multipart/form-data")
    assert r.status_code == 303
    assert db.session.scalar(select(Post).where(Post.title == "Hello")) is not None
    html = member.get(r.headers["Location"]).get_data(as_text=True)
    assert "<em>help</em>" in html and f"/focus-groups/{group.id}/files/" in html
    client.logout()

    staff = Browser(client, world.people["staff"])
    start = (utcnow() + timedelta(days=3)).replace(second=0, microsecond=0)
    r = staff.post(f"/focus-groups/{group.id}/sessions", {
        "title": "Kick-off", "starts_at": start.strftime("%Y-%m-%dT%H:%M"), "timezone": "Asia/Shanghai",
        "duration_minutes": "60", "mode": "online", "video_link": "https://meet.example.org/drum", "agenda": "Hi"})
    assert r.status_code == 303, r.get_data(as_text=True)[:3000]
    session = db.session.scalar(select(GroupSession))
    assert session.starts_at == start - timedelta(hours=8)  # Shanghai is UTC+8
    ics = staff.get(f"/focus-groups/{group.id}/sessions/{session.id}.ics")
    assert ics.mimetype == "text/calendar" and b"BEGIN:VEVENT" in ics.data
    r = staff.post(f"/focus-groups/{group.id}/feedback", {
        "title": "Round one", "questions-0-text": "How quiet?", "questions-0-kind": "rating",
        "questions-1-text": "What else?", "questions-1-kind": "text"})
    assert r.status_code == 303
    round_url = r.headers["Location"]
    client.logout()

    member = Browser(client, invitee)
    q = re.findall(r'name="q-(\d+)"', member.get(round_url).get_data(as_text=True))
    assert member.post(round_url, {f"q-{q[0]}": "4", f"q-{q[-1]}": "Softer"}).status_code == 303
    twice = member.post(round_url, {f"q-{q[0]}": "2"})
    assert twice.status_code in (303, 409) and count(FeedbackResponse) == 1
    client.logout()

    staff = Browser(client, world.people["staff"])
    results = staff.get(round_url).get_data(as_text=True)
    assert "<svg" in results and "<script" not in results.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert "Softer" in results and "4.00" in results
    # the prototype
    assert staff.get(f"/ideas/{world.idea.id}/prototype").status_code == 200
    r = staff.post(f"/ideas/{world.idea.id}/prototype", {"title": "Drum v1", "summary": "Feet",
                                                         "visibility": "public", "focus_group_id": ""})
    assert r.status_code == 303
    prototype = db.session.scalar(select(Prototype))
    assert db.session.get(Idea, world.idea.id).status == "prototyped"
    r = staff.post(f"/prototypes/{prototype.id}/iterations/new", {
        "version_name": "v1", "description": "Rubber feet.", "places": "1", "waiting_places": "1",
        "signup_mode": "first_come", "images-0-file": (png(), "v1.png"),
        "images-0-alt": "The first build, from the side"}, content_type="multipart/form-data")
    assert r.status_code == 303
    iteration = db.session.scalar(select(Iteration))
    staff.post(f"/iterations/{iteration.id}/test", {"open": "1", "places": "1", "waiting_places": "1",
                                                    "signup_mode": "first_come"})
    staff.post(f"/prototypes/{prototype.id}/status", {"status": "building"})
    staff.post(f"/prototypes/{prototype.id}/status", {"status": "testing"})
    client.logout()

    tester = Browser(client, world.people["member"])
    assert tester.post(f"/iterations/{iteration.id}/signup").status_code == 303
    crit = re.findall(r'name="rating-(\d+)"', tester.get(f"/iterations/{iteration.id}/feedback").get_data(as_text=True))
    r = tester.post(f"/iterations/{iteration.id}/feedback", {f"rating-{crit[0]}": "4", "worked": "Quiet",
                                                             "did_not_work": "Slides"})
    assert r.status_code == 303
    client.logout()
    late = Browser(client, make.user())
    db.session.commit()
    assert late.post(f"/iterations/{iteration.id}/signup").status_code == 303  # waiting list
    client.logout()
    full = Browser(client, make.user())
    db.session.commit()
    r = full.post(f"/iterations/{iteration.id}/signup", follow_redirects=True)
    assert "full" in r.get_data(as_text=True)
    client.logout()

    staff = Browser(client, world.people["staff"])
    page = staff.get(f"/prototypes/{prototype.id}").get_data(as_text=True)
    assert "<svg" in page and "4.0" in page and "Slides" in page
    feedback = db.session.scalar(select(TestFeedback))
    assert staff.post(f"/feedback/{feedback.id}/reply", {"reply": "Thanks!"}).status_code == 303
    assert staff.post(f"/prototypes/{prototype.id}/status", {"status": "launched", "mark_winner": "y",
                                                             "note": "In shops"}).status_code == 303
    assert db.session.get(Idea, world.idea.id).status == "winner"
    idea_page = client.get(f"/ideas/{world.idea.id}-{world.idea.slug}").get_data(as_text=True)
    for step in ("Focus group", "Prototype iteration 1", "Launched", "Winner"):
        assert step in idea_page, step
    results_page = client.get(f"/challenges/{c.id}-{c.slug}").get_data(as_text=True)
    assert "Prototype iteration 1" in results_page and "Launched" in results_page


def test_bad_group_form_is_422_with_the_field(client, world):
    staff = Browser(client, world.people["staff"])
    before = count(FocusGroup)
    r = staff.post(f"/challenges/{world.challenge.id}/focus-groups/new", {
        "ideas": [], "title": "X", "purpose": "Y", "agreement": "Z", "size_limit": "3",
        "starts_on": "2027-05-01", "ends_on": "2027-04-01"})
    assert r.status_code == 422
    assert 'id="ends_on-err">The group cannot end before it starts.' in r.get_data(as_text=True)
    assert count(FocusGroup) == before


def test_an_attachment_that_is_not_an_image(client, world):
    member = Browser(client, world.people["member"])
    before = count(Post)
    r = member.post(f"/focus-groups/{world.group.id}/board", {
        "title": "Spec", "body": "Attached", "images-0-file": (not_an_image(), "spec.pdf"),
        "images-0-alt": "The spec"},
        content_type="multipart/form-data")
    assert r.status_code == 422 and "not an image" in r.get_data(as_text=True)
    assert count(Post) == before


def test_joining_a_full_group_through_the_page(client, world):
    group = db.session.get(FocusGroup, world.group.id)
    group.size_limit = group.member_count
    db.session.commit()
    invitee = Browser(client, world.people["invitee"])
    r = invitee.post(f"/focus-groups/{group.id}/respond", {"answer": "accept", "version": "1", "agree": "y"},
                     follow_redirects=True)
    assert r.status_code == 200 and "full" in r.get_data(as_text=True)
    assert count(Membership, Membership.user_id == world.people["invitee"].id, Membership.status == "member") == 0


def test_invitation_for_someone_already_in(client, world):
    staff = Browser(client, world.people["staff"])
    r = staff.post(f"/focus-groups/{world.group.id}/invite", {"member": world.people["member"].username},
                   follow_redirects=True)
    assert "in the group already" in r.get_data(as_text=True)


@pytest.mark.parametrize("data", [
    {"title": "S", "starts_at": "not a date", "timezone": "UTC", "duration_minutes": "60", "mode": "online"},
    {"title": "S", "starts_at": "2099-01-01T10:00", "timezone": "Nowhere/Land", "duration_minutes": "60",
     "mode": "online", "video_link": "https://x.example"},
    {"title": "S", "starts_at": "2099-01-01T10:00", "timezone": "UTC", "duration_minutes": "60",
     "mode": "online", "video_link": "ftp://x"},
])
def test_bad_session_input_is_refused(client, world, data):
    staff = Browser(client, world.people["staff"])
    r = staff.post(f"/focus-groups/{world.group.id}/sessions", data)
    assert r.status_code == 422
    assert count(GroupSession) == 0


@pytest.mark.parametrize("url", ["/focus-groups/99999999999999999999", "/focus-groups/0/board",
                                 "/prototypes/99999", "/focus-groups/1/files/..%2Fsecret_key"])
def test_unknown_ids_are_404(client, world, url):
    Browser(client, world.people["member"])
    assert client.get(url).status_code == 404


def test_board_and_iteration_images_need_alt_text_through_the_forms(client, world):
    from ideas.core.uploads import upload_dir

    def files():
        return sorted(upload_dir(private=True).iterdir())

    member = Browser(client, world.people["member"])
    before, files_before = count(Post), files()
    r = member.post(f"/focus-groups/{world.group.id}/board", {
        "title": "Feet", "body": "Pictures", "images-0-file": (png(), "feet.png"), "images-0-alt": ""},
        content_type="multipart/form-data")
    body = r.get_data(as_text=True)
    assert r.status_code == 422 and 'id="images-0-alt-err"' in body and "Describe image 1" in body
    assert count(Post) == before and files() == files_before
    r = member.post(f"/focus-groups/{world.group.id}/board", {
        "title": "Feet", "body": "Pictures", "images-0-file": (png(), "feet.png"),
        "images-0-alt": "Four rubber feet in a row"}, content_type="multipart/form-data")
    assert r.status_code == 303
    assert 'alt="Four rubber feet in a row"' in member.get(r.headers["Location"]).get_data(as_text=True)
    client.logout()
    staff = Browser(client, world.people["staff"])
    staff.post(f"/ideas/{world.idea.id}/prototype", {"title": "Drum v1", "summary": "Feet",
                                                     "visibility": "public", "focus_group_id": ""})
    prototype = db.session.scalar(select(Prototype))
    r = staff.post(f"/prototypes/{prototype.id}/iterations/new", {
        "version_name": "v1", "description": "Rubber feet.", "places": "1", "waiting_places": "1",
        "signup_mode": "first_come", "images-0-file": (png(), "v1.png"), "images-0-alt": " "},
        content_type="multipart/form-data")
    assert r.status_code == 422 and 'id="images-0-alt-err"' in r.get_data(as_text=True)
    assert count(Iteration) == 0
