"""Applying the search queue: one writer at a time, after the commit.

A batch: take the index's writer (IndexBusy: someone else is applying; the rows wait),
read the oldest queue rows, then the current state of what they name, write the
index, commit it, and only then delete exactly the rows read (and store the ideas'
vectors) in one short database transaction. A crash before the index commit changes
nothing; a crash after it leaves the rows, which are applied again (every write is
an idempotent upsert or delete of the current state). Rows queued meanwhile are not
among those deleted, so no update is lost.

Cascading rows (challenge+, all) are first expanded into the rows of what they cover,
in their own transaction, so a huge challenge is applied batch by batch too.
"""

from __future__ import annotations

import os
import time
from collections import defaultdict
from contextlib import contextmanager

from sqlalchemy import delete, func, insert, literal, select
from sqlalchemy.orm import Session

from ideas.core.db import reading
from ideas.search import vectors
from ideas.search.backends import IndexBusy, Mask, backend_for
from ideas.search.documents import KINDS
from ideas.search.models import SearchQueueEntry
from ideas.submissions.models import Comment, Idea

BATCH = 400
MASK_LIMIT = 500  # queued rows that a search masks one by one; beyond, results are checked only


def _crash_point(name: str) -> None:
    """Tests kill the applying process here (SEARCH_TEST_CRASH=<name>)."""
    if os.environ.get("SEARCH_TEST_CRASH") == name:
        os._exit(17)


@contextmanager
def _session(app, wait_ms: int | None = None):
    """A session of its own on one connection. `wait_ms` shortens SQLite's busy timeout
    for it: applying after a response should give way to the requests that write, and
    come back later, rather than queue behind them."""
    from ideas.extensions import db

    connection = db.engine.connect()
    sqlite = db.engine.dialect.name == "sqlite"
    try:
        if sqlite and wait_ms is not None:
            with reading():  # a deferred BEGIN: setting the pragma takes no lock
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(wait_ms)}")
            connection.rollback()
        session = Session(bind=connection, expire_on_commit=False)
        try:
            yield session
        finally:
            session.close()
    finally:
        if sqlite and wait_ms is not None:
            connection.rollback()
            with reading():
                connection.exec_driver_sql(f"PRAGMA busy_timeout = {int(app.config['SQLITE_BUSY_TIMEOUT_MS'])}")
            connection.rollback()
        connection.close()


def _expand(session: Session, entries) -> bool:
    """Turn challenge+/all rows into the rows they cover; True when it did."""
    wide = [e for e in entries if e.kind in ("challenge+", "all")]
    if not wide:
        return False
    from ideas.challenges.models import Challenge

    with session.begin():
        for entry in wide:
            if entry.kind == "all":
                session.execute(insert(SearchQueueEntry).from_select(
                    ["kind", "obj_id"], select(literal("challenge+"), Challenge.id)))
            else:
                cid = entry.obj_id
                if session.get(Challenge, cid) is None:  # deleted: its contents went with it
                    session.execute(insert(SearchQueueEntry).values(kind="challenge-gone", obj_id=cid))
                session.execute(insert(SearchQueueEntry).values(kind="challenge", obj_id=cid))
                session.execute(insert(SearchQueueEntry).from_select(
                    ["kind", "obj_id"], select(literal("idea"), Idea.id).where(Idea.challenge_id == cid)))
                session.execute(insert(SearchQueueEntry).from_select(
                    ["kind", "obj_id"], select(literal("comment"), Comment.id)
                    .join(Idea, Idea.id == Comment.idea_id).where(Idea.challenge_id == cid)))
            session.execute(delete(SearchQueueEntry).where(SearchQueueEntry.id == entry.id))
    return True


def _oldest(session: Session, limit: int):
    """The oldest queue rows as plain (id, kind, obj_id) rows (they outlive rollbacks)."""
    return session.execute(select(SearchQueueEntry.id, SearchQueueEntry.kind, SearchQueueEntry.obj_id)
                           .order_by(SearchQueueEntry.id).limit(limit)).all()


def apply_batch(app, limit: int = BATCH, *, wait_ms: int | None = None) -> int:
    """Apply up to `limit` queue rows; returns how many were applied (0: queue empty).
    Raises IndexBusy when another writer is at work."""
    backend = backend_for(app)
    with _session(app, wait_ms) as session:
        with reading():
            if not _oldest(session, 1):
                session.rollback()
                return 0
        session.rollback()
        with backend.writer() as writer:
            with reading():
                entries = _oldest(session, limit)
            session.rollback()
            expanded = False
            for _round in range(3):  # all -> challenge+ -> ideas and comments
                if not _expand(session, entries):
                    break
                expanded = True
                with reading():
                    entries = _oldest(session, limit)
                session.rollback()
            entries = [e for e in entries if e.kind not in ("challenge+", "all")]  # expanded next batch
            ids_by_kind: dict[str, set[int]] = defaultdict(set)
            gone_challenges: set[int] = set()
            for entry in entries:
                if entry.kind == "challenge-gone":
                    gone_challenges.add(entry.obj_id)
                elif entry.kind in KINDS:
                    ids_by_kind[entry.kind].add(entry.obj_id)
            upserts, deletes = [], []
            with reading():
                for kind, ids in ids_by_kind.items():
                    for obj_id, doc in KINDS[kind].documents(session, sorted(ids)).items():
                        if doc is None:
                            deletes.append(f"{kind}:{obj_id}")
                        else:
                            upserts.append(doc)
                vector_rows = vectors.changed_vectors(session, sorted(ids_by_kind.get("idea", ())))
            session.rollback()
            for cid in gone_challenges:
                writer.delete_challenge(cid)
            writer.delete(deletes)
            writer.upsert(upserts)
            _crash_point("before-index-commit")
        # the index has committed (Whoosh) or will commit with the rows below (PostgreSQL)
        _crash_point("after-index-commit")
        with session.begin():
            vectors.store(session, vector_rows)
            session.execute(delete(SearchQueueEntry).where(SearchQueueEntry.id.in_([e.id for e in entries])))
        return len(entries) or int(expanded)


def apply_pending(app, *, budget_seconds: float | None = 2.0, limit: int = BATCH,
                  wait_ms: int | None = None) -> tuple[int, bool]:
    """Apply batches until the queue is empty or the time budget is spent. Returns
    (rows applied, whether the queue was emptied); a busy index ends it quietly."""
    started = time.monotonic()
    applied = 0
    while True:
        try:
            done = apply_batch(app, limit, wait_ms=wait_ms)
        except IndexBusy:
            return applied, False
        applied += done
        if done == 0:
            return applied, True
        if budget_seconds is not None and time.monotonic() - started > budget_seconds:
            return applied, False


def pending_count(session) -> int:
    return session.scalar(select(func.count()).select_from(SearchQueueEntry))


def pending_mask(session) -> Mask:
    """What a search must not answer from the index yet: the things still queued."""
    rows = session.execute(select(SearchQueueEntry.kind, SearchQueueEntry.obj_id)
                           .order_by(SearchQueueEntry.id).limit(MASK_LIMIT + 1)).all()
    mask = Mask()
    if len(rows) > MASK_LIMIT:
        return mask  # a rebuild is catching up: the page's hits are still checked by policy
    for kind, obj_id in rows:
        if kind in ("challenge+", "challenge-gone"):
            mask.challenges.add(obj_id)
        elif kind == "all":
            return Mask()
        elif kind in KINDS:
            mask.keys.add(f"{kind}:{obj_id}")
    return mask


def enqueue_rebuild(session) -> None:
    session.execute(insert(SearchQueueEntry).values(kind="all", obj_id=0))
