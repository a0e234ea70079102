"""Comment services: posting, replies, mentions, editing window, deletion, counters, thread."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed, NotFound
from ideas.notifications.models import Notification
from ideas.submissions.comments import (
    comment_thread,
    delete_comment,
    edit_comment,
    mentioned_usernames,
    post_comment,
)
from ideas.submissions.models import Comment


@pytest.fixture
def setup(make):
    author = make.user()
    challenge = make.challenge()
    idea = make.idea(challenge, author)
    member = make.user()
    return idea, author, member


def _counts(db, idea):
    db.session.refresh(idea)
    db.session.refresh(idea.challenge)
    live = db.session.scalar(select(func.count(Comment.id)).where(
        Comment.idea_id == idea.id, Comment.deleted_at.is_(None)))
    return idea.comment_count, idea.challenge.comment_count, live


def test_post_comment_saves_and_counts(db, setup):
    idea, _author, member = setup
    comment = post_comment(member, idea, "  Great idea!  ")
    assert comment.id and comment.body == "Great idea!" and comment.parent_id is None
    assert _counts(db, idea) == (1, 1, 1)
    assert idea.challenge.last_activity_at is not None


def test_reply_to_reply_attaches_to_top_level(db, setup):
    idea, author, member = setup
    top = post_comment(member, idea, "Top")
    reply = post_comment(author, idea, "Reply", parent=top)
    deeper = post_comment(member, idea, "Reply to the reply", parent=reply)
    assert reply.parent_id == top.id
    assert deeper.parent_id == top.id
    db.session.refresh(top)
    assert top.reply_count == 2
    assert _counts(db, idea) == (3, 3, 3)


@pytest.mark.parametrize("body", ["", "   \n\t ", "x" * 5001])
def test_invalid_body_refused_nothing_saved(db, setup, body):
    idea, _author, member = setup
    with pytest.raises(Invalid) as exc:
        post_comment(member, idea, body)
    assert exc.value.field == "body"
    assert db.session.scalar(select(func.count(Comment.id))) == 0
    assert _counts(db, idea) == (0, 0, 0)


def test_unverified_member_cannot_comment(make, setup):
    idea, _author, _member = setup
    with pytest.raises(NotAllowed):
        post_comment(make.user(verified=False), idea, "Hello")


@pytest.mark.parametrize("status", ["withdrawn", "merged"])
def test_closed_idea_refuses_comments(db, setup, status):
    idea, author, _member = setup
    idea.status = status
    db.session.flush()
    with pytest.raises(NotAllowed):
        post_comment(author, idea, "Hello")


def test_invisible_idea_is_not_found(db, make):
    company = make.company()
    challenge = make.challenge(company, visibility="invite")
    idea = make.idea(challenge)
    with pytest.raises(NotFound):
        post_comment(make.user(), idea, "Hello")


def test_mention_notifies_mentioned_member_only(db, make, setup):
    idea, author, member = setup
    carol = make.user(username="carol")
    make.user(username="dave")
    post_comment(member, idea, f"@carol and @nobody, also me @{member.username}; mail a@dave.org")
    mentions = db.session.scalars(select(Notification).where(Notification.kind == "mention")).all()
    assert [n.user_id for n in mentions] == [carol.id]
    assert member.display_name in mentions[0].text
    # The idea's author is told about the comment, the commenter is not told anything.
    kinds = {(n.user_id, n.kind) for n in db.session.scalars(select(Notification))}
    assert kinds == {(carol.id, "mention"), (author.id, "comment")}


def test_mentions_are_capped():
    body = " ".join(f"@user{i}" for i in range(15)) + " @user1"
    assert mentioned_usernames(body) == [f"user{i}" for i in range(10)]


def test_own_comment_on_own_idea_tells_nobody(db, setup):
    idea, author, _member = setup
    post_comment(author, idea, "Some more detail")
    assert db.session.scalar(select(func.count(Notification.id))) == 0


def test_edit_within_window_sets_edited_at(db, setup):
    idea, _author, member = setup
    now = utcnow()
    comment = post_comment(member, idea, "Frist", now=now)
    edit_comment(member, comment, "First", now=now + timedelta(minutes=14))
    assert comment.body == "First" and comment.edited_at == now + timedelta(minutes=14)


def test_edit_after_15_minutes_refused(db, setup):
    idea, _author, member = setup
    now = utcnow()
    comment = post_comment(member, idea, "Frist", now=now)
    with pytest.raises(NotAllowed, match="Comments can be edited for 15 minutes"):
        edit_comment(member, comment, "First", now=now + timedelta(minutes=16))
    assert comment.body == "Frist" and comment.edited_at is None


def test_only_author_edits(db, setup):
    idea, author, member = setup
    comment = post_comment(member, idea, "Mine")
    with pytest.raises(NotAllowed):
        edit_comment(author, comment, "Not yours")
    assert comment.body == "Mine"


def test_delete_own_only_and_counters(db, setup):
    idea, author, member = setup
    top = post_comment(member, idea, "Top")
    reply = post_comment(author, idea, "Reply", parent=top)
    with pytest.raises(NotAllowed):
        delete_comment(author, top)
    assert top.deleted_at is None
    delete_comment(author, reply)
    assert reply.deleted_at is not None
    db.session.refresh(top)
    assert top.reply_count == 0
    assert _counts(db, idea) == (1, 1, 1)
    delete_comment(member, top)
    assert _counts(db, idea) == (0, 0, 0)
    with pytest.raises(NotFound):
        delete_comment(member, top)


def test_thread_pages_and_replies(db, setup):
    idea, author, member = setup
    base = utcnow() - timedelta(hours=2)
    tops = [post_comment(member, idea, f"Comment {i}", now=base + timedelta(minutes=i)) for i in range(25)]
    post_comment(author, idea, "Answer", parent=tops[0], now=base + timedelta(minutes=30))
    first = comment_thread(member, idea, 1)
    assert [c.body for c in first["comments"]] == [f"Comment {i}" for i in range(20)]
    assert [r.body for r in first["replies"][tops[0].id]] == ["Answer"]
    assert first["page"].has_next and first["can_comment"]
    second = comment_thread(member, idea, 2)
    assert [c.body for c in second["comments"]] == [f"Comment {i}" for i in range(20, 25)]
    assert not second["page"].has_next


def test_thread_edit_and_delete_permissions(db, setup):
    idea, author, member = setup
    old = post_comment(member, idea, "Old", now=utcnow() - timedelta(hours=1))
    fresh = post_comment(member, idea, "Fresh")
    thread = comment_thread(member, idea)
    assert thread["can_edit"] == {fresh.id}
    assert thread["can_delete"] == {old.id, fresh.id}
    assert comment_thread(author, idea)["can_delete"] == set()
    assert comment_thread(None, idea)["can_comment"] is False


def test_markdown_script_is_stripped_on_render(app, db, setup):
    from flask import render_template

    idea, _author, member = setup
    post_comment(member, idea, "**Bold** <script>alert(1)</script> [x](javascript:alert(1))")
    with app.test_request_context("/"):
        html = render_template("submissions/_comments.html", thread=comment_thread(None, idea))
    assert "<strong>Bold</strong>" in html
    assert "<script>alert" not in html
    assert 'href="javascript:' not in html


def _count_queries(db, fn):
    counter = {"n": 0}

    def _inc(*_args, **_kwargs):
        counter["n"] += 1

    event.listen(db.engine, "before_cursor_execute", _inc)
    try:
        fn()
    finally:
        event.remove(db.engine, "before_cursor_execute", _inc)
    return counter["n"]


def test_thread_query_count_does_not_grow(db, make):
    viewer = make.user()
    challenge = make.challenge()
    counts = []
    for n in (5, 60):
        idea = make.idea(challenge)
        for i in range(n):
            top = post_comment(make.user() if i % 3 else viewer, idea, f"Comment {i}")
            post_comment(make.user(), idea, f"Reply {i}", parent=top)
        db.session.commit()
        db.session.expire_all()
        idea = db.session.get(type(idea), idea.id)
        _ = idea.challenge  # loaded by the page around the thread anyway

        def render(idea=idea):
            thread = comment_thread(viewer, idea)
            for c in thread["comments"]:
                _ = c.author.username
                for r in thread["replies"][c.id]:
                    _ = r.author.username

        counts.append(_count_queries(db, render))
    assert counts[0] == counts[1]
    assert counts[0] <= 6


def test_mentions_of_known_members_link_to_profiles(app, db, make, setup):
    from flask import render_template

    idea, _author, member = setup
    make.user(username="carol")
    post_comment(member, idea, "Ask @carol or @ghost, not `@carol` in code")
    with app.test_request_context("/"):
        html = render_template("submissions/_comments.html", thread=comment_thread(None, idea))
    assert '<a class="mention" href="/members/carol">@carol</a> or @ghost' in html
    assert "<code>@carol</code>" in html
