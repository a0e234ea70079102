"""What a walk-through as a new user found: each a test that failed before."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from ideas.core.errors import Invalid
from ideas.notifications.models import Notification
from ideas.submissions import moderation, pairwise
from ideas.submissions.models import Comment, PairwiseComparison, Report
from ideas.submissions.terms import accept_terms


def test_hiding_from_the_report_queue_keeps_the_report_private(db, make, client):
    staff, member, author = make.user(), make.user(), make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    idea = make.idea(challenge)
    comment = Comment(idea_id=idea.id, author_id=author.id, body="Rude words")
    db.session.add(comment)
    db.session.flush()
    record = moderation.report(member, comment=comment, reason="My private note to the staff")
    db.session.commit()
    client.login(staff)
    queue = f"/challenges/{challenge.id}-{challenge.slug}/moderation"
    assert "My private note to the staff" in client.get(queue).get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/comments/{comment.id}/hide",
                           {"reason": "Be kind to each other", "report_id": record.id, "next": "moderation"},
                           form_page=queue)
    assert response.status_code == 303 and response.headers["Location"].endswith(queue)
    db.session.expire_all()
    hidden = db.session.get(Comment, comment.id)
    assert hidden.hidden_reason == "Be kind to each other"
    assert db.session.get(Report, record.id).resolved_at is not None
    client.logout()
    page = client.get(f"/ideas/{idea.id}-{idea.slug}").get_data(as_text=True)
    assert "Be kind to each other" in page and "My private note" not in page


def test_members_can_report_a_comment_from_the_idea_page(db, make, client):
    member, author = make.user(), make.user()
    idea = make.idea(make.challenge())
    comment = Comment(idea_id=idea.id, author_id=author.id, body="Spam link")
    db.session.add(comment)
    db.session.commit()
    client.login(member)
    page = f"/ideas/{idea.id}-{idea.slug}"
    assert f"/ideas/{idea.id}/comments/{comment.id}/report" in client.get(page).get_data(as_text=True)
    for _ in range(2):  # reporting twice files one report
        client.post(f"/ideas/{idea.id}/comments/{comment.id}/report", {"reason": "Spam"}, form_page=page)
    assert db.session.scalar(select(func.count(Report.id))) == 1
    client.logout()
    client.login(author)  # nobody reports their own comment
    assert f"/comments/{comment.id}/report" not in client.get(page).get_data(as_text=True)


def test_a_resent_comparison_counts_once(db, make):
    challenge = make.challenge()
    left, right = make.idea(challenge), make.idea(challenge)
    member = make.user()
    pairwise.record_pick(member, challenge, left, right, left)
    with pytest.raises(Invalid):  # the same pair, resent (back button, second tab)
        pairwise.record_pick(member, challenge, right, left, right)
    assert db.session.scalar(select(func.count(PairwiseComparison.id))) == 1
    assert left.comparison_count == 1


def test_named_coauthors_are_told(db, make):
    from ideas.submissions.services import submit_idea

    author, coauthor = make.user(), make.user()
    challenge = make.challenge()
    accept_terms(author, challenge)
    submit_idea(author, challenge, title="Steam the drum", summary="Steam after every wash.",
                description="A short burst of steam kills what is left in the drum.",
                coauthor_usernames=coauthor.username)
    kinds = db.session.scalars(select(Notification.kind).where(Notification.user_id == coauthor.id)).all()
    assert kinds == ["coauthor"]


def test_htmx_refusal_at_the_edge_is_a_short_message(db, make, client):
    member = make.user()
    idea = make.idea(make.challenge())
    db.session.commit()
    client.login(member)
    page = f"/ideas/{idea.id}-{idea.slug}"
    response = client.post(f"/ideas/{idea.id}/comments", {"body": "line\x0bbreak"}, form_page=page,
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422 and "<html" not in html and "control character" in html
