"""Bad input at the edge: too-large ids, non-numbers and control characters get a 404
or a 422 naming the field, never a 500 (run on SQLite and on PostgreSQL)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from ideas.core.edge import MAX_ID, BadArgument, control_character_field, to_int
from ideas.notifications.models import Notification
from ideas.submissions.models import Comment, PairwiseComparison

HUGE = "99999999999999999999"  # beyond 2^63: SQLite overflows, PostgreSQL refuses
BEYOND_INT4 = str(2**31)  # fits SQLite's integer, not PostgreSQL's `integer`


@pytest.fixture
def world(db, make):
    challenge = make.challenge()
    idea = make.idea(challenge, title="Steam cycle")
    other = make.idea(challenge, title="Copper drum")
    member = make.user()
    db.session.commit()
    return {"challenge": challenge, "idea": idea, "other": other, "member": member}


# --- pure rules -------------------------------------------------------------------------

@pytest.mark.parametrize("raw", ["0", "-1", str(MAX_ID + 1), HUGE, "1e3", "abc", "", " ", "٣", "1" * 5000])
def test_to_int_refuses_what_is_not_an_id(raw):
    with pytest.raises(BadArgument) as info:
        to_int(raw, "company")
    assert info.value.field == "company" and info.value.code == 422
    assert "company" in info.value.description


@pytest.mark.parametrize("raw, value", [("1", 1), (" 42 ", 42), (str(MAX_ID), MAX_ID), ("+7", 7)])
def test_to_int_accepts_ids(raw, value):
    assert to_int(raw, "id") == value


@pytest.mark.parametrize("text, bad", [
    ("plain", False), ("tab\tnew\nline\r\n", False), ("nul\x00", True), ("bell\x07", True),
    ("escape\x1b[31m", True), ("unit\x1f", True), ("čeština 中文 русский", False),
])
def test_control_characters(text, bad):
    assert (control_character_field([("body", text)]) == "body") is bad


# --- URLs: the bounded <int:> converter ---------------------------------------------------

@pytest.mark.parametrize("path", [
    f"/ideas/{HUGE}", f"/ideas/{HUGE}-some-slug", f"/ideas/{BEYOND_INT4}", "/ideas/0",
    f"/challenges/{HUGE}", f"/challenges/{BEYOND_INT4}-x", f"/challenges/{HUGE}-x/compare",
    f"/ideas/{HUGE}/revisions", f"/ideas/{HUGE}/comments",
])
def test_huge_ids_in_urls_are_404(client, world, path):
    assert client.get(path).status_code == 404


def test_huge_notification_id_in_url_is_404(client, world):
    client.login(world["member"])
    response = client.post(f"/notifications/{HUGE}/open", form_page="/notifications/")
    assert response.status_code == 404
    response = client.post(f"/notifications/{BEYOND_INT4}/open", form_page="/notifications/")
    assert response.status_code == 404


def test_largest_id_still_routes(client, world):
    assert client.get(f"/ideas/{MAX_ID}").status_code == 404  # routed, then not found
    idea = world["idea"]
    assert client.get(f"/ideas/{idea.id}-{idea.slug}").status_code == 200


# --- query arguments ------------------------------------------------------------------------

@pytest.mark.parametrize("value", [BEYOND_INT4, HUGE, "abc", "-3"])
def test_company_filter_out_of_range_is_422_naming_the_field(client, world, value):
    response = client.get(f"/challenges/?company={value}")
    assert response.status_code == 422
    assert "company" in response.get_data(as_text=True)


def test_company_filter_in_range_and_empty_still_work(client, world):
    company_id = world["challenge"].company_id
    assert client.get(f"/challenges/?company={company_id}").status_code == 200
    assert client.get("/challenges/?company=").status_code == 200
    assert client.get(f"/challenges/?company={MAX_ID}").status_code == 200


def test_new_challenge_with_huge_company_is_not_500(client, world):
    client.login(world["member"])
    assert client.get(f"/challenges/new?company={HUGE}").status_code == 422
    assert client.get(f"/challenges/new?company={BEYOND_INT4}").status_code == 422


@pytest.mark.parametrize("query", [f"rev={HUGE}", f"rev={BEYOND_INT4}", "rev=x", f"rev=2&against={HUGE}"])
def test_revision_numbers_are_bounded(client, world, query):
    idea = world["idea"]
    response = client.get(f"/ideas/{idea.id}/revisions?{query}")
    assert response.status_code == 422
    assert ("rev" if "against" not in query else "against") in response.get_data(as_text=True)


@pytest.mark.parametrize("value", [HUGE, "abc", "-5", "0"])
def test_page_numbers_stay_lenient(client, world, value):
    challenge = world["challenge"]
    assert client.get(f"/challenges/{challenge.id}-{challenge.slug}/ideas?page={value}").status_code == 200
    assert client.get(f"/challenges/?page={value}").status_code == 200


# --- form fields ------------------------------------------------------------------------------

@pytest.mark.parametrize("parent_id", [HUGE, BEYOND_INT4])
def test_huge_parent_id_in_a_reply_is_422(client, db, world, parent_id):
    idea = world["idea"]
    client.login(world["member"])
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "A reply", "parent_id": parent_id},
                           form_page=f"/ideas/{idea.id}-{idea.slug}",
                           headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert db.session.scalar(select(Comment)) is None


@pytest.mark.parametrize("field", ["left_id", "right_id", "winner"])
@pytest.mark.parametrize("value", [HUGE, BEYOND_INT4])
def test_huge_compare_ids_are_refused_without_500(client, db, world, field, value):
    challenge, a, b = world["challenge"], world["idea"], world["other"]
    client.login(world["member"])
    url = f"/challenges/{challenge.id}-{challenge.slug}/compare"
    data = {"left_id": a.id, "right_id": b.id, "winner": a.id, field: value}
    response = client.post(url, data)
    assert response.status_code == 303  # back to a fresh pair, with a message
    assert db.session.scalar(select(PairwiseComparison)) is None


@pytest.mark.parametrize("value", [HUGE, BEYOND_INT4, "abc", ""])
def test_notification_ids_must_be_ids(client, db, world, value):
    member = world["member"]
    db.session.add(Notification(user_id=member.id, kind="test", text="Hello"))
    db.session.commit()
    client.login(member)
    response = client.post("/notifications/read", {"id": value}, form_page="/notifications/")
    assert response.status_code == 422
    assert "id" in response.get_data(as_text=True)
    assert db.session.scalar(select(Notification.read_at)) is None


def test_merge_target_beyond_the_id_range_is_a_form_error(client, db, make):
    staff = make.user()
    company = make.company(owner=staff)
    challenge = make.challenge(company)
    idea = make.idea(challenge)
    db.session.commit()
    client.login(staff)
    response = client.post(f"/ideas/{idea.id}/merge", {"target_id": BEYOND_INT4},
                           form_page=f"/ideas/{idea.id}-{idea.slug}")
    assert response.status_code in (303, 422)
    assert db.session.get(type(idea), idea.id).merged_into_id is None


# --- control characters -----------------------------------------------------------------------

def test_nul_byte_in_a_comment_is_422_naming_the_field(client, db, world):
    idea = world["idea"]
    client.login(world["member"])
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "before\x00after"},
                           form_page=f"/ideas/{idea.id}-{idea.slug}")
    assert response.status_code == 422
    assert "body" in response.get_data(as_text=True)
    assert db.session.scalar(select(Comment)) is None


@pytest.mark.parametrize("form", [
    {"email": "a\x00@example.org", "password": "whatever-password"},
    {"email": "a@example.org", "password": "pass\x00word-long"},
])
def test_nul_byte_in_login_is_422(client, world, form):
    response = client.post("/login", form)
    assert response.status_code == 422
    name = next(k for k, v in form.items() if "\x00" in v)
    assert name in response.get_data(as_text=True)


def test_nul_byte_in_registration_and_settings(client, db, world):
    response = client.post("/register", {"email": "new@example.org", "display_name": "New\x00",
                                         "password": "a long enough password"})
    assert response.status_code == 422 and "display name" in response.get_data(as_text=True)
    client.login(world["member"])
    response = client.post("/settings", {"display_name": "Member", "username": "member",
                                         "bio": "\x00", "timezone": "UTC", "locale": "en",
                                         "notify_frequency": "instant"})
    assert response.status_code == 422 and "bio" in response.get_data(as_text=True)


def test_control_characters_in_query_arguments(client, world):
    response = client.get("/challenges/?category=home%00")
    assert response.status_code == 422 and "category" in response.get_data(as_text=True)
    response = client.get("/members/abc%00def")
    assert response.status_code in (404, 422)
    # Tab, newline and carriage return are ordinary text.
    assert client.get("/challenges/?category=a%09b%0Ac%0D").status_code == 200


def test_idea_submission_with_nul_is_422(client, db, world):
    challenge = world["challenge"]
    client.login(world["member"])
    url = f"/challenges/{challenge.id}-{challenge.slug}/ideas/new"
    response = client.post(url, {"title": "Steam\x00", "summary": "s", "description": "d"})
    assert response.status_code == 422 and "title" in response.get_data(as_text=True)
