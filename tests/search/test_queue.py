"""The index follows the database without losing an update (issue 20): a queue row
in the transaction of each change, applied after the commit by one writer at a time;
parallel writers; a process killed in the middle of applying; a missing or unreadable
index rebuilt; `flask search reindex` and `sync`. On both backends."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import func, select

from ideas.extensions import db as _db
from ideas.search import queue
from ideas.search.backends import IndexBusy, backend_for
from ideas.search.models import IdeaVector, SearchQueueEntry
from ideas.submissions import moderation
from ideas.submissions.comments import delete_comment, edit_comment, post_comment
from ideas.submissions.models import Idea
from tests.search.helpers import commit_and_sync, found

ROOT = Path(__file__).resolve().parents[2]


def queued(db):
    return {(e.kind, e.obj_id) for e in db.session.scalars(select(SearchQueueEntry))}


def titles(user, q):
    return {r.title.striptags() for r in found(user, q).results}


def test_each_change_writes_a_queue_row_in_its_transaction(make, db):
    staff = make.user()
    company = make.company(owner=staff)
    challenge = make.challenge(company)
    idea = make.idea(challenge, make.user(), title="Lid", summary="A lid", description="x")
    comment = post_comment(make.user(), idea, "nice lid")
    db.session.commit()
    assert {("challenge", challenge.id), ("idea", idea.id), ("comment", comment.id)} <= queued(db)
    commit_and_sync()
    assert queued(db) == set()

    idea.title = "Lid with a hinge"
    db.session.commit()
    assert queued(db) == {("idea", idea.id)}
    commit_and_sync()

    idea.up_votes += 1  # a counter: nothing the index holds
    db.session.commit()
    assert queued(db) == set()

    moderation.hide_idea(staff, idea, "spam")
    db.session.rollback()  # a rolled-back change leaves no row
    assert queued(db) == set()

    edit_comment(comment.author, comment, "a nicer lid")
    db.session.commit()
    assert queued(db) == {("comment", comment.id)}
    commit_and_sync()

    challenge.visibility = "invite"
    db.session.commit()
    assert queued(db) == {("challenge+", challenge.id)}
    commit_and_sync()
    assert queued(db) == set()


def test_closing_a_challenge_queues_its_set_based_decisions(make, db):
    from ideas.core import events

    challenge = make.challenge()
    commit_and_sync()
    events.ideas_decided_on_closing.send(challenge, challenge=challenge, to_status="declined", reason="", actor=None)
    assert ("challenge+", challenge.id) in queued(db)


def test_edits_deletes_and_challenge_deletion_reach_the_index(make, db):
    challenge = make.challenge()
    idea = make.idea(challenge, make.user(), title="Oldword lid", summary="A lid", description="x")
    comment = post_comment(make.user(), idea, "a gizmoflux here")
    commit_and_sync()
    member = make.user()
    assert titles(member, "oldword") == {"Oldword lid"}
    idea.title = "Newword lid"
    commit_and_sync()
    assert titles(member, "oldword") == set() and titles(member, "newword") == {"Newword lid"}
    delete_comment(comment.author, comment)
    commit_and_sync()
    assert found(member, "gizmoflux").total == 0
    db.session.delete(challenge)
    commit_and_sync()
    assert found(member, "newword").total == 0
    assert backend_for(current_app).doc_count() == 0


def test_a_second_writer_waits_and_its_rows_stay_queued(make, db):
    challenge = make.challenge()
    commit_and_sync()
    make.idea(challenge, make.user(), title="Teapot", summary="A teapot", description="x")
    db.session.commit()
    app = current_app._get_current_object()
    backend = backend_for(app)
    with backend.writer():
        with pytest.raises(IndexBusy):
            queue.apply_batch(app)
        assert queue.apply_pending(app) == (0, False)
    assert queued(db)
    commit_and_sync()
    assert titles(make.user(), "teapot") == {"Teapot"}


def test_parallel_writers_lose_no_update(make, db, app):
    challenge = make.challenge()
    author = make.user()
    challenge_id, author_id = challenge.id, author.id
    db.session.commit()  # and no transaction left open in this thread meanwhile
    errors = []

    def writer(n):
        try:
            with app.app_context():
                for step in range(3):
                    idea = Idea(challenge_id=challenge_id, author_id=author_id, title=f"Writer{n} step{step}",
                                slug=f"w{n}-{step}", summary=f"zork{n}x{step} gadget", description="x")
                    _db.session.add(idea)
                    _db.session.commit()
                    idea.summary = f"zork{n}y{step} gadget"  # an edit right after
                    _db.session.commit()
                    try:
                        queue.apply_pending(app, budget_seconds=None)  # one writer wins, others leave rows
                    except Exception as exc:  # noqa: BLE001
                        import traceback
                        traceback.print_exc()
                        errors.append(exc)
                _db.session.remove()
        except Exception as exc:  # noqa: BLE001
            import traceback
            traceback.print_exc()
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors, errors
    commit_and_sync()
    member = make.user()
    for n in range(4):
        for step in range(3):
            assert found(member, f"zork{n}y{step}").total == 1, (n, step)
            assert found(member, f"zork{n}x{step}").total == 0, (n, step)
    assert found(member, "gadget").total == 12
    assert db.session.scalar(select(func.count()).select_from(IdeaVector)) == 12


_CHILD = """
import json, sys
from ideas import create_app
from ideas.search import services
config = json.loads(sys.argv[1])
app = create_app(config)
with app.app_context():
    services.sync(app, budget_seconds=None)
print("survived")
"""


def _apply_in_a_process_killed_at(app, point):
    config = {k: app.config[k] for k in ("SQLALCHEMY_DATABASE_URI", "SEARCH_BACKEND", "SEARCH_INDEX_DIR",
                                         "SECRET_KEY")}
    config["TESTING"] = True
    env = {**os.environ, "SEARCH_TEST_CRASH": point, "INSTANCE_PATH": app.instance_path}
    done = subprocess.run([sys.executable, "-c", _CHILD, json.dumps(config)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 17, done.stderr[-2000:]


@pytest.mark.parametrize("point", ["before-index-commit", "after-index-commit"])
def test_a_process_killed_while_applying_loses_nothing(make, db, app, point):
    challenge = make.challenge()
    make.idea(challenge, make.user(), title="Crashpot", summary="A crashpot", description="x")
    commit_and_sync()  # the index exists
    idea = make.idea(challenge, make.user(), title="Survivor", summary="A survivor", description="x")
    db.session.commit()
    _apply_in_a_process_killed_at(app, point)
    db.session.rollback()
    assert ("idea", idea.id) in queued(db)  # the row waits for the next writer
    member = make.user()
    commit_and_sync()  # no lock left behind, the index readable
    assert queued(db) == set()
    assert titles(member, "survivor") == {"Survivor"}
    assert found(member, "crashpot").total == 1  # nothing doubled or lost


def test_a_missing_or_unreadable_index_is_rebuilt(make, db, app, search_backend):
    challenge = make.challenge()
    make.idea(challenge, make.user(), title="Phoenix", summary="A phoenix", description="x")
    commit_and_sync()
    if search_backend == "whoosh":
        for path in Path(app.config["SEARCH_INDEX_DIR"]).iterdir():
            path.write_bytes(b"garbage")
    else:
        with _db.engine.begin() as conn:
            conn.exec_driver_sql("DROP TABLE search_documents")
    page = found(make.user(), "phoenix")
    assert page.total == 1


def test_a_search_failure_never_breaks_the_page(make, db, app, client, monkeypatch):
    backend = backend_for(app)

    def broken(*_a, **_k):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(backend, "search", broken)
    response = client.get("/search?q=kettle")
    assert response.status_code == 200
    assert "Search is not available right now" in response.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_reindex_rebuilds_from_the_database(make, db, app):
    challenge = make.challenge()
    for n in range(7):
        make.idea(challenge, make.user(), title=f"Rebuild {n}", summary="A rebuilt lamp", description="x")
    db.session.commit()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["search", "reindex"])
    assert result.exit_code == 0, result.output
    assert "indexed 8 documents" in result.output  # 7 ideas and the challenge
    db.session.rollback()
    assert queued(db) == set()
    assert found(make.user(), "lamp").total == 7
    assert db.session.scalar(select(func.count()).select_from(IdeaVector)) == 7
    db.session.commit()
    status = runner.invoke(args=["search", "status"])
    assert "queued: 0" in status.output and "documents: 8" in status.output
    sync = runner.invoke(args=["search", "sync"])
    assert sync.exit_code == 0 and "applied 0" in sync.output
