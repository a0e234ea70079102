"""The demo community shows reputation alive: members at every level, experts in two
categories with their badges, a leaderboard, follows and a feed; its ledger is what
the facts say."""

from __future__ import annotations

from sqlalchemy import select

from ideas.accounts.models import User
from ideas.reputation import experts, ledger, rules, services


def test_demo_reputation(app, db, client):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert ledger.rebuild(apply=False).matches
    levels = {}
    for user in db.session.scalars(select(User).where(User.active.is_(True))):
        total = services.total_points(user.id)
        standing = rules.standing(total, experts.expert_categories(user.id), experts.category_records(user.id))
        levels.setdefault(standing.level.code, []).append(user.username)
    assert set(levels) == set(rules.LEVEL_CODES), levels
    by_category = {}
    for user_id, categories in experts.expert_map().items():
        for category in categories:
            by_category.setdefault(category, []).append(user_id)
    assert {"home", "mobility"} <= set(by_category)
    hannah = db.session.scalar(select(User).where(User.username == "hannah.berg"))
    html = client.get(f"/members/{hannah.username}").get_data(as_text=True)
    assert "Expert in Home appliances" in html and "First shortlist" in html and "level-expert" in html
    board = client.get("/leaderboard?period=all").get_data(as_text=True)
    assert "Hannah Berg" in board and "Oliver Grant" in board
    client.login(db.session.scalar(select(User).where(User.username == "katerina.dvorak")), "demo-password-2026")
    feed = client.get("/feed").get_data(as_text=True)
    assert feed.count('class="list-group-item d-flex gap-3 align-items-start feed-line"') >= 10
