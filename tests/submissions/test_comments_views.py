"""Comment routes over HTTP: with and without htmx, validation, permissions, query count."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, select

from ideas.core.db import utcnow
from ideas.submissions.comments import post_comment
from ideas.submissions.models import Comment, Idea

HX = {"HX-Request": "true"}


@pytest.fixture
def idea(make, db):
    idea = make.idea(make.challenge())
    db.session.commit()
    return idea


@pytest.fixture
def member(make, db):
    user = make.user()
    db.session.commit()
    return user


def _idea_page(idea):
    return f"/ideas/{idea.id}-{idea.slug}"


def _comments(db):
    db.session.expire_all()
    return db.session.scalars(select(Comment).order_by(Comment.id)).all()


def test_post_without_js_redirects_to_the_comment(client, db, idea, member):
    client.login(member)
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "Nice **idea**"}, form_page="/")
    assert response.status_code == 303
    [comment] = _comments(db)
    assert response.headers["Location"].endswith(f"{_idea_page(idea)}#comment-{comment.id}")
    assert comment.body == "Nice **idea**" and comment.author_id == member.id
    assert db.session.get(Idea, idea.id).comment_count == 1


def test_post_with_htmx_returns_the_thread(client, db, idea, member):
    client.login(member)
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "Nice **idea** <script>alert(1)</script>"},
                           form_page="/", headers=HX)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    [comment] = _comments(db)
    assert f'id="comment-{comment.id}"' in html and "<strong>idea</strong>" in html
    assert "<script>alert" not in html
    assert "<html" not in html  # a fragment, not a page


def test_reply_via_parent_id(client, db, idea, member, make):
    top = post_comment(make.user(), idea, "Top")
    db.session.commit()
    client.login(member)
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "Reply", "parent_id": str(top.id)},
                           form_page="/", headers=HX)
    assert response.status_code == 200
    reply = _comments(db)[-1]
    assert reply.parent_id == top.id and "Reply" in response.get_data(as_text=True)


def test_empty_body_htmx_is_422_and_nothing_saved(client, db, idea, member):
    client.login(member)
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "   "}, form_page="/",
                           headers={**HX, "HX-Trigger": "cf-new"})
    assert response.status_code == 422
    assert "Write something" in response.get_data(as_text=True)
    assert response.headers["HX-Retarget"] == "#cf-new-error"
    assert _comments(db) == []


def test_empty_body_without_js_flashes_and_redirects(client, db, idea, member):
    client.login(member)
    response = client.post(f"/ideas/{idea.id}/comments", {"body": ""}, form_page="/")
    assert response.status_code == 303
    assert _comments(db) == []
    with client.session_transaction() as session:
        assert any("Write something" in str(m) for _c, m in session.get("_flashes", []))


def test_anonymous_is_sent_to_login(client, db, idea):
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "Hi"}, form_page="/login")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    assert _comments(db) == []


def test_private_idea_is_404(client, db, make, member):
    idea = make.idea(make.challenge(visibility="invite"))
    db.session.commit()
    client.login(member)
    assert client.post(f"/ideas/{idea.id}/comments", {"body": "Hi"}, form_page="/").status_code == 404


def test_edit_and_delete(client, db, idea, member, make):
    comment = post_comment(member, idea, "Frist")
    db.session.commit()
    client.login(member)
    response = client.post(f"/comments/{comment.id}/edit", {"body": "First"}, form_page="/", headers=HX)
    assert response.status_code == 200 and "First" in response.get_data(as_text=True)
    assert "edited" in response.get_data(as_text=True)
    response = client.post(f"/comments/{comment.id}/delete", {}, form_page="/")
    assert response.status_code == 303
    [saved] = _comments(db)
    assert saved.body == "First" and saved.deleted_at is not None
    assert db.session.get(Idea, idea.id).comment_count == 0


def test_edit_after_window_is_refused(client, db, idea, member):
    comment = post_comment(member, idea, "Old", now=utcnow() - timedelta(minutes=20))
    db.session.commit()
    client.login(member)
    response = client.post(f"/comments/{comment.id}/edit", {"body": "New"}, form_page="/",
                           headers={**HX, "HX-Trigger": f"ef-{comment.id}"})
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == f"#ef-{comment.id}-error"
    assert "15 minutes" in response.get_data(as_text=True)
    assert _comments(db)[0].body == "Old"


def test_cannot_delete_someone_elses_comment(client, db, idea, member, make):
    comment = post_comment(make.user(), idea, "Theirs")
    db.session.commit()
    client.login(member)
    response = client.post(f"/comments/{comment.id}/delete", {}, form_page="/", headers=HX)
    assert response.status_code == 403
    assert _comments(db)[0].deleted_at is None


def test_idea_page_query_count_is_bounded(client, db, make, member):
    challenge = make.challenge()
    small, big = make.idea(challenge), make.idea(challenge)
    for idea, n in ((small, 5), (big, 60)):
        for i in range(n):
            top = post_comment(make.user(), idea, f"Comment {i}")
            post_comment(make.user(), idea, f"Reply {i}", parent=top)
    db.session.commit()
    client.login(member)
    counts = []
    for idea in (small, big):
        client.get(_idea_page(idea))  # warm up: first-time loads are not what we measure
        queries = []
        listener = lambda *args, q=queries, **kwargs: q.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            response = client.get(_idea_page(idea))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        assert response.status_code == 200
        html = response.get_data(as_text=True)
        assert "Comment 4" in html and "Reply 4" in html
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_hidden_comment_body_only_for_staff(client, db, make, member):
    staff = make.user()
    company = make.company(staff=[staff])
    idea = make.idea(make.challenge(company))
    comment = post_comment(make.user(), idea, "Buy cheap watches")
    comment.hidden_at, comment.hidden_reason = utcnow(), "Advertising"
    db.session.commit()
    url = f"/ideas/{idea.id}/comments"
    client.login(member)
    html = client.get(url, headers=HX).get_data(as_text=True)
    assert "hidden by moderators: Advertising" in html and "cheap watches" not in html
    client.logout()
    client.login(staff)
    html = client.get(url, headers=HX).get_data(as_text=True)
    assert "hidden by moderators: Advertising" in html and "cheap watches" in html


def test_thread_pages_over_htmx(client, db, idea, make):
    author = make.user()
    for i in range(23):
        post_comment(author, idea, f"Number {i:02d}", now=utcnow() - timedelta(minutes=60 - i))
    db.session.commit()
    html = client.get(f"/ideas/{idea.id}/comments?comments_page=2", headers=HX).get_data(as_text=True)
    assert "Number 22" in html and "Number 05" not in html
    assert "comments_page=1" in html
    response = client.get(f"/ideas/{idea.id}/comments?comments_page=2")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/ideas/{idea.id}-{idea.slug}?comments_page=2#comments")
