"""Voting in short transactions: the view reads first and writes in `writing()`;
`record_vote` re-checks what may have changed in between (SQLite file db, or PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from flask import g, has_app_context
from flask.testing import FlaskClient
from sqlalchemy import event, func, select, update

from ideas.challenges.models import Challenge
from ideas.core.db import reading, write_intent, writing
from ideas.core.errors import InvalidTransition, NotAllowed
from ideas.submissions.counters import recount
from ideas.submissions.models import Idea, Vote, VoteBudgetUse
from ideas.submissions.votes import cast_vote, check_vote, record_vote
from tests.conftest import BrowserClient


class Statements:
    """The SQL statements the engine runs inside the block (BEGINs included)."""

    def __init__(self, engine):
        self.engine = engine
        self.log: list[str] = []

    def _record(self, _conn, _cursor, statement, *_args):
        self.log.append(" ".join(statement.split()))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_exc):
        event.remove(self.engine, "before_cursor_execute", self._record)

    def verbs(self) -> list[str]:
        return [s.split()[0].upper() if not s.upper().startswith("BEGIN IMMEDIATE") else "BEGIN IMMEDIATE"
                for s in self.log]


def _rows(db, idea_id):
    return db.session.scalar(select(func.count(Vote.id)).where(Vote.idea_id == idea_id))


# -- the view ------------------------------------------------------------------

def test_a_first_vote_reads_then_writes_in_a_short_transaction(client, db, make):
    idea = make.idea()
    voter = make.user()
    db.session.commit()
    client.login(voter)
    page = f"/ideas/{idea.id}-{idea.slug}"
    token = client.csrf_token(page)
    idea_id = idea.id
    db.session.remove()  # as on a server: the request loads the member and the idea itself
    with Statements(db.engine) as sql:
        response = client.client.post(f"/ideas/{idea_id}/vote", data={"value": "1", "csrf_token": token},
                                      headers={"Referer": f"http://localhost{page}"})
    assert response.status_code == 303 and response.headers["Location"].endswith(page)
    verbs = sql.verbs()
    # 9, +1: the author's point in the ledger, +1: the grouped "new up-votes" notice
    assert int(response.headers["X-SQL-Queries"]) == len(sql.log) <= 11, sql.log
    assert "SAVEPOINT" not in verbs
    writes = [i for i, v in enumerate(verbs) if v in ("INSERT", "UPDATE", "DELETE")]
    assert writes and verbs[writes[0]] == "INSERT"
    # every read comes before the first write; nothing is loaded again after it
    assert all(v in ("INSERT", "UPDATE") for v in verbs[writes[0]:]), verbs
    if db.engine.dialect.name == "sqlite":
        # reads (the member included) in a DEFERRED transaction, the writes after BEGIN IMMEDIATE
        assert verbs[0] == "BEGIN" and verbs.count("BEGIN IMMEDIATE") == 1
        assert verbs.index("BEGIN IMMEDIATE") == writes[0] - 1
    db.session.expire_all()
    assert db.session.get(Idea, idea_id).up_votes == 1
    assert _rows(db, idea_id) == 1


def test_the_htmx_widget_shows_the_new_counts(client, db, make):
    idea = make.idea()
    voter = make.user()
    db.session.commit()
    client.login(voter)
    response = client.post(f"/ideas/{idea.id}/vote", {"value": "1"}, form_page=f"/ideas/{idea.id}-{idea.slug}",
                           headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'aria-pressed="true"' in response.get_data(as_text=True)
    db.session.refresh(idea)
    assert idea.up_votes == 1


class ServerLikeClient(FlaskClient):
    """Every request starts with an empty `g`, in the test's thread as in a worker thread."""

    def open(self, *args, **kwargs):
        if has_app_context():
            g.__dict__.clear()
        return super().open(*args, **kwargs)


def _tab(app, user) -> BrowserClient:
    client = BrowserClient(ServerLikeClient(app, app.response_class, use_cookies=True))
    client.login(user)
    return client


def test_parallel_tabs_over_http_keep_counters_right(app, db, make):
    """Each member votes from two tabs at once, the same idea at the same time: up from
    one tab, up or down from the other. No row is doubled, no count lost."""
    challenge = make.challenge()
    ideas = [make.idea(challenge) for _ in range(4)]
    members = [make.user() for _ in range(4)]
    idea_pages = {i.id: f"/ideas/{i.id}-{i.slug}" for i in ideas}
    db.session.commit()
    tabs = [(m, _tab(app, m), _tab(app, m)) for m in members]
    tokens = {}
    for _m, first, second in tabs:
        page = next(iter(idea_pages.values()))
        tokens[id(first)], tokens[id(second)] = first.csrf_token(page), second.csrf_token(page)
    challenge_id = challenge.id
    db.session.remove()
    statuses: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2 * len(tabs))

    def worker(tab, values):
        try:
            start.wait(timeout=30)
            for idea_id, value in zip(idea_pages, values, strict=True):
                response = tab.client.post(f"/ideas/{idea_id}/vote",
                                           data={"value": str(value), "csrf_token": tokens[id(tab)]})
                statuses.append(response.status_code)
        except BaseException as exc:  # reported to the test thread
            errors.append(exc)

    threads = []
    for n, (_m, first, second) in enumerate(tabs):
        threads.append(threading.Thread(target=worker, args=(first, [1, 1, 1, 1])))
        threads.append(threading.Thread(target=worker, args=(second, [1, -1, 1, -1] if n % 2 else [-1, 1, 1, 1])))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    assert statuses and set(statuses) == {303}, statuses

    db.session.expire_all()
    for idea_id in idea_pages:
        idea = db.session.get(Idea, idea_id)
        up = db.session.scalar(select(func.count()).where(Vote.idea_id == idea_id, Vote.value == 1))
        down = db.session.scalar(select(func.count()).where(Vote.idea_id == idea_id, Vote.value == -1))
        assert up + down == len(members)  # one row per member, whatever won
        assert (idea.up_votes, idea.down_votes) == (up, down)
    assert db.session.get(Challenge, challenge_id).vote_count == len(members) * len(ideas)
    assert recount() == []


# -- the service: what record_vote re-checks ----------------------------------

@pytest.mark.parametrize("change", ["hidden", "declined", "phase"])
def test_record_vote_refuses_an_idea_closed_after_the_check(db, make, change):
    challenge = make.challenge()
    idea = make.idea(challenge)
    voter = make.user()
    value = check_vote(voter, idea, "1")
    # another writer closes the idea between the check and the write
    if change == "phase":
        db.session.execute(update(Challenge).where(Challenge.id == challenge.id).values(phase="review"))
    else:
        values = {"hidden_at": func.now()} if change == "hidden" else {"status": "declined"}
        db.session.execute(update(Idea).where(Idea.id == idea.id).values(**values))
    with pytest.raises(InvalidTransition):
        record_vote(voter, idea, value)
    db.session.expire_all()
    assert _rows(db, idea.id) == 0
    assert db.session.get(Idea, idea.id).up_votes == 0
    assert db.session.get(Challenge, challenge.id).vote_count == 0


def test_take_back_refused_once_the_idea_closed(db, make):
    idea = make.idea()
    voter = make.user()
    cast_vote(voter, idea, 1)
    value = check_vote(voter, idea, 0)
    db.session.execute(update(Idea).where(Idea.id == idea.id).values(status="merged"))
    with pytest.raises(InvalidTransition):
        record_vote(voter, idea, value)
    assert _rows(db, idea.id) == 1


def test_a_second_click_that_passed_its_check_changes_nothing(db, make):
    challenge = make.challenge()
    idea = make.idea(challenge)
    voter = make.user()
    first = check_vote(voter, idea, 1)
    second = check_vote(voter, idea, 1)  # both clicks saw no vote yet
    vote = record_vote(voter, idea, first)
    again = record_vote(voter, idea, second)
    assert again is not None and again.id == vote.id and again.value == 1
    assert _rows(db, idea.id) == 1 and idea.up_votes == 1
    record_vote(voter, idea, -1)
    assert (idea.up_votes, idea.down_votes) == (0, 1)
    db.session.refresh(challenge)
    assert challenge.vote_count == 1
    assert recount() == []


def test_record_vote_returns_the_stored_vote_without_loading_it(db, make):
    idea = make.idea()
    voter = make.user()
    assert idea.challenge.phase == "submission"  # loaded, as a view loads it
    with Statements(db.engine) as sql:
        vote = cast_vote(voter, idea, 1)
    assert not any(s.upper().startswith("SELECT VOTES") for s in sql.log), sql.log
    assert "SAVEPOINT" not in sql.verbs()
    # coauthor check, insert, three counter updates; the author's point and the grouped notice
    assert len(sql.log) <= 7, sql.log
    assert (vote.idea_id, vote.user_id, vote.value) == (idea.id, voter.id, 1)
    assert vote in db.session and vote.id is not None
    stored = db.session.scalar(select(Vote).where(Vote.id == vote.id).execution_options(populate_existing=True))
    assert stored is vote and stored.created_at == vote.created_at


def test_budget_refusal_writes_nothing(db, make):
    challenge = make.challenge(vote_budget=1)
    first, second = make.idea(challenge), make.idea(challenge)
    voter = make.user()
    cast_vote(voter, first, 1)
    value = check_vote(voter, second, 1)
    with Statements(db.engine) as sql, pytest.raises(NotAllowed):
        record_vote(voter, second, value)
    assert [v for v in sql.verbs() if v in ("INSERT", "UPDATE", "DELETE")] == ["INSERT"]  # the refused upsert
    assert _rows(db, second.id) == 0 and second.up_votes == 0
    assert db.session.scalar(select(VoteBudgetUse.used).where(VoteBudgetUse.user_id == voter.id)) == 1
    cast_vote(voter, second, -1)  # down-votes cost nothing
    cast_vote(voter, first, -1)  # switching to down refunds
    cast_vote(voter, second, 1)
    assert db.session.scalar(select(VoteBudgetUse.used).where(VoteBudgetUse.user_id == voter.id)) == 1
    assert (first.up_votes, first.down_votes, second.up_votes, second.down_votes) == (0, 1, 1, 0)
    assert recount() == []


def test_parallel_budget_is_never_overspent(app, db, make):
    """Members click up on every idea of a budget challenge from two threads at once."""
    budget, n_ideas, n_members = 2, 4, 4
    challenge = make.challenge(vote_budget=budget)
    idea_ids = [make.idea(challenge).id for _ in range(n_ideas)]
    member_ids = [make.user().id for _ in range(n_members)]
    challenge_id = challenge.id
    db.session.commit()
    db.session.close()
    errors: list[BaseException] = []
    refused: list[int] = []

    def worker(member_id, order):
        from ideas.accounts.models import User

        with app.app_context():
            try:
                for idea_id in order:
                    member = db.session.get(User, member_id)
                    idea = db.session.get(Idea, idea_id)
                    try:
                        cast_vote(member, idea, 1)
                        db.session.commit()
                    except NotAllowed:
                        db.session.rollback()
                        refused.append(member_id)
            except BaseException as exc:  # reported to the test thread
                db.session.rollback()
                errors.append(exc)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=worker, args=(m, order))
               for m in member_ids for order in (idea_ids, idea_ids[::-1])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors

    db.session.expire_all()
    for member_id in member_ids:
        ups = db.session.scalar(select(func.count()).where(Vote.user_id == member_id, Vote.value == 1))
        used = db.session.scalar(select(VoteBudgetUse.used).where(VoteBudgetUse.user_id == member_id))
        assert ups == used == budget
    # both clicks on an idea left without a vote were refused; PostgreSQL may refuse a
    # click that raced the member's other click on the same idea too
    assert len(refused) >= n_members * (n_ideas - budget) * 2
    assert db.session.get(Challenge, challenge_id).vote_count == n_members * budget
    assert recount() == []


# -- core.db: reading() and writing() ------------------------------------------

def test_writing_ends_the_read_keeps_objects_and_commits(db, make):
    idea = make.idea()
    db.session.commit()
    idea_id = idea.id
    with reading():
        assert write_intent.get() is False
        idea = db.session.get(Idea, idea_id)
        title = idea.title
        with Statements(db.engine) as sql:
            with writing(db.session):
                assert write_intent.get() is True
                assert idea.title == title  # still loaded: no query
                db.session.execute(update(Idea).where(Idea.id == idea_id).values(comment_count=3))
            assert idea.title == title
        assert write_intent.get() is False
        verbs = sql.verbs()
        assert verbs[-1] == "UPDATE" and "SELECT" not in verbs
        if db.engine.dialect.name == "sqlite":
            assert verbs == ["BEGIN IMMEDIATE", "UPDATE"]
    assert not db.session().in_transaction()
    db.session.expire_all()
    assert db.session.get(Idea, idea_id).comment_count == 3  # committed


def test_writing_rolls_back_on_error(db, make):
    idea = make.idea()
    db.session.commit()
    idea_id = idea.id
    with pytest.raises(ZeroDivisionError), writing(db.session):
        db.session.execute(update(Idea).where(Idea.id == idea_id).values(comment_count=7))
        1 / 0  # noqa: B018
    assert write_intent.get() is True
    db.session.expire_all()
    assert db.session.get(Idea, idea_id).comment_count == 0
