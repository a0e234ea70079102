"""Voting over HTTP: a plain form POST redirects back; htmx gets the widget."""

from __future__ import annotations

from sqlalchemy import func, select

from ideas.submissions.models import Vote


def _page(idea):
    return f"/ideas/{idea.id}-{idea.slug}"


def test_vote_without_js_redirects_back(client, db, make):
    idea = make.idea()
    voter = make.user()
    db.session.commit()
    client.login(voter)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page=_page(idea),
                           headers={"Referer": f"http://localhost{_page(idea)}"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(_page(idea))
    db.session.refresh(idea)
    assert idea.up_votes == 1


def test_vote_with_htmx_returns_the_widget(client, db, make):
    idea = make.idea()
    voter = make.user()
    db.session.commit()
    client.login(voter)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "-1"}, form_page=_page(idea),
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert 'class="vote-widget' in html and 'aria-pressed="true"' in html
    assert "Take back" in html and "<html" not in html
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "0"}, form_page=_page(idea),
                           headers={"HX-Request": "true"})
    assert 'aria-pressed="true"' not in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Vote.id))) == 0


def test_refusal_inline_with_htmx_and_flash_without(client, db, make):
    author = make.user()
    idea = make.idea(author=author)
    db.session.commit()
    client.login(author)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page=_page(idea),
                           headers={"HX-Request": "true"})
    assert "You cannot vote on your own idea." in response.get_data(as_text=True)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page=_page(idea),
                           follow_redirects=True)
    assert "You cannot vote on your own idea." in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Vote.id))) == 0


def test_vote_needs_login_and_csrf(client, db, make):
    idea = make.idea()
    voter = make.user()
    db.session.commit()
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page="/login")
    assert response.status_code in (302, 303) and "/login" in response.headers["Location"]
    client.login(voter)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, csrf=False)
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Vote.id))) == 0


def test_compact_widget_from_the_list(client, db, make):
    idea = make.idea()
    voter = make.user()
    db.session.commit()
    client.login(voter)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1", "compact": "1"}, form_page=_page(idea),
                           headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "vote-compact" in html and 'name="compact" value="1"' in html
    assert "Your vote" not in html
