"""The demo content: loads through the CLI, once, with consistent counters."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge, PhaseTransition
from ideas.companies.models import Company
from ideas.demo.content import ADMIN_EMAIL, PASSWORD
from ideas.submissions.models import Comment, Idea, IdeaDecision, IdeaRevision, Vote
from ideas.submissions.ranking import trend_from, wilson_lower_bound


@pytest.fixture
def loaded(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 0, result.output
    assert "Demo content loaded" in result.output
    return db


def count(db, model):
    return db.session.scalar(select(func.count()).select_from(model))


def test_load_if_empty_adds_nothing_the_second_time(app, loaded):
    users, ideas, votes = count(loaded, User), count(loaded, Idea), count(loaded, Vote)
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0
    assert "already has users" in result.output
    assert (count(loaded, User), count(loaded, Idea), count(loaded, Vote)) == (users, ideas, votes)


def test_plain_load_twice_refuses_cleanly(app, loaded):
    ideas = count(loaded, Idea)
    result = app.test_cli_runner().invoke(args=["demo", "load"])
    assert result.exit_code == 1
    assert "already loaded" in result.output
    assert count(loaded, Idea) == ideas


def test_recount_finds_no_drift(loaded):
    from ideas.submissions.counters import recount

    assert [str(d) for d in recount()] == []


def test_if_empty_loads_into_an_empty_database(app, db):
    result = app.test_cli_runner().invoke(args=["demo", "load", "--if-empty"])
    assert result.exit_code == 0, result.output
    assert count(db, Idea) >= 30


def test_counts_and_variety(loaded):
    db = loaded
    assert count(db, Company) >= 2
    members = db.session.scalars(select(User).where(User.is_admin.is_(False))).all()
    assert len(members) >= 20
    assert all(u.email_verified_at is not None for u in members)
    assert {u.locale for u in members} >= {"cs", "ru", "zh", "en"}
    phases = set(db.session.scalars(select(Challenge.phase)))
    assert {"draft", "submission", "voting", "review", "closed"} <= phases
    assert db.session.scalar(select(func.count()).where(Challenge.visibility == "invite")) >= 1
    assert count(db, Idea) >= 30
    assert count(db, Comment) >= 60
    assert count(db, Vote) >= 200
    assert db.session.scalar(select(func.count()).where(Comment.body.contains("@"))) >= 5
    assert db.session.scalar(select(func.count()).where(IdeaDecision.to_status == "winner")) == 1
    assert count(db, PhaseTransition) >= 10
    admin = db.session.scalar(select(User).where(User.email == ADMIN_EMAIL))
    assert admin is not None and admin.is_admin


def test_ideas_in_all_four_scripts(loaded):
    texts = [i.title + i.description for i in loaded.session.scalars(select(Idea))]
    cyrillic = [t for t in texts if re.search(r"[\u0400-\u04ff]", t)]
    cjk = [t for t in texts if re.search(r"[\u4e00-\u9fff]", t)]
    czech = [t for t in texts if re.search(r"[ěščřžůťďň]", t)]
    english = [t for t in texts if t.isascii() or (not re.search(r"[^\x00-\u024f\u2000-\u206f°€]", t)
                                                  and not re.search(r"[ěščřžůťďň]", t))]
    assert min(len(cyrillic), len(cjk), len(czech), len(english)) >= 4


def test_idea_counters_match_the_facts(loaded):
    db = loaded
    for idea in db.session.scalars(select(Idea)):
        votes = db.session.scalars(select(Vote).where(Vote.idea_id == idea.id)).all()
        up = sum(v.value == 1 for v in votes)
        down = sum(v.value == -1 for v in votes)
        assert (idea.up_votes, idea.down_votes) == (up, down), idea.title
        assert idea.score == pytest.approx(wilson_lower_bound(up, down))
        assert idea.trend == pytest.approx(trend_from([v.created_at for v in votes if v.value == 1]))
        visible = db.session.scalar(select(func.count()).where(
            Comment.idea_id == idea.id, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None)))
        assert idea.comment_count == visible
        revisions = db.session.scalar(select(func.count()).where(IdeaRevision.idea_id == idea.id))
        assert idea.revision_count == revisions >= 1
    for ch in db.session.scalars(select(Challenge)):
        ideas = db.session.scalars(select(Idea).where(Idea.challenge_id == ch.id)).all()
        assert ch.idea_count == len(ideas)
        assert ch.vote_count == sum(i.up_votes + i.down_votes for i in ideas)
        assert ch.comment_count == sum(i.comment_count for i in ideas)


def test_no_vote_on_own_idea_and_one_per_member(loaded):
    db = loaded
    own = db.session.scalar(
        select(func.count()).select_from(Vote).join(Idea, Idea.id == Vote.idea_id)
        .where(Vote.user_id == Idea.author_id)
    )
    assert own == 0
    pairs = db.session.execute(select(Vote.idea_id, Vote.user_id)).all()
    assert len(pairs) == len(set(pairs))


def test_reply_counts_match(loaded):
    db = loaded
    for c in db.session.scalars(select(Comment)):
        replies = db.session.scalar(select(func.count()).where(
            Comment.parent_id == c.id, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None)))
        assert c.reply_count == replies


def test_accounts_table_lists_roles_and_password(app, loaded):
    result = app.test_cli_runner().invoke(args=["demo", "accounts"])
    assert result.exit_code == 0
    assert ADMIN_EMAIL in result.output and PASSWORD in result.output
    assert "judge" in result.output and "owner" in result.output


def test_demo_password_works_for_login(loaded, client):
    response = client.post("/login", {"email": ADMIN_EMAIL, "password": PASSWORD})
    assert response.status_code in (302, 303)


def test_draft_and_invite_only_are_seen_by_the_right_people(loaded):
    from ideas.challenges.policy import can_view

    db = loaded

    def user(username):
        return db.session.scalar(select(User).where(User.username == username))

    draft = db.session.scalar(select(Challenge).where(Challenge.phase == "draft"))
    invite = db.session.scalar(select(Challenge).where(Challenge.visibility == "invite"))
    assert can_view(user("petra.vlckova"), draft)  # Lumora staff
    assert not can_view(user("emma.clarke"), draft)
    assert can_view(user("alexei.ivanov"), invite)  # invited
    assert not can_view(user("emma.clarke"), invite)
    authors = set(db.session.scalars(select(Idea.author_id).where(Idea.challenge_id == invite.id)))
    assert user("emma.clarke").id not in authors and authors
