"""Parallel voters: SQL-side increments lose no vote (SQLite file db, or PostgreSQL)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.submissions.counters import recount
from ideas.submissions.models import Idea, Vote
from ideas.submissions.votes import cast_vote

THREADS = 8
MEMBERS = 40
IDEAS = 5


def test_parallel_voters_lose_nothing(app, db, make):
    challenge = make.challenge()
    ideas = [make.idea(challenge) for _ in range(IDEAS)]
    members = [make.user() for _ in range(MEMBERS)]
    challenge_id = challenge.id
    idea_ids = [i.id for i in ideas]
    member_ids = [m.id for m in members]
    db.session.commit()  # the threads see only committed data
    db.session.close()  # and this session holds no transaction (no write lock) meanwhile
    jobs = [(m, i, 1 if (m + i) % 3 else -1) for m in member_ids for i in idea_ids]
    errors: list[BaseException] = []

    def worker(chunk):
        with app.app_context():
            try:
                for member_id, idea_id, value in chunk:
                    member = db.session.get(User, member_id)
                    idea = db.session.get(Idea, idea_id)
                    cast_vote(member, idea, value)
                    db.session.commit()
            except BaseException as exc:  # reported to the test thread
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(jobs[n::THREADS],)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    db.session.expire_all()
    for idea_id in idea_ids:
        idea = db.session.get(Idea, idea_id)
        up = db.session.scalar(select(func.count()).where(Vote.idea_id == idea_id, Vote.value == 1))
        down = db.session.scalar(select(func.count()).where(Vote.idea_id == idea_id, Vote.value == -1))
        expected_up = sum(1 for m, i, v in jobs if i == idea_id and v == 1)
        assert (up, down) == (expected_up, MEMBERS - expected_up)
        assert (idea.up_votes, idea.down_votes) == (up, down)
    assert db.session.get(Challenge, challenge_id).vote_count == MEMBERS * IDEAS
    assert recount() == []
