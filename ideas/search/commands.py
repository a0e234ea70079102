"""`flask search reindex` (rebuild from the database, with a progress bar),
`flask search sync` (apply what is queued), `flask search status`."""

from __future__ import annotations

import time

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from tqdm import tqdm

from ideas.core.db import reading
from ideas.extensions import db
from ideas.search import queue, services, vectors
from ideas.search.backends import backend_for
from ideas.search.documents import KINDS
from ideas.search.models import SearchQueueEntry

search_cli = AppGroup("search", help="The search index.")
CHUNK = 500


def _chunks(iterable, size):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def reindex(app, *, progress: bool = True, embed: bool = True) -> dict:
    """Rebuild the whole index (and the missing or outdated idea vectors) from the
    database. Queue rows that existed at the start are covered and removed; rows
    queued meanwhile stay for the next sync."""
    backend = backend_for(app)
    started = time.monotonic()
    with Session(db.engine, expire_on_commit=False) as session:
        seen = session.scalars(select(SearchQueueEntry.id).order_by(SearchQueueEntry.id).limit(100_000)).all()
        session.rollback()
        idea_ids = list(session.scalars(KINDS["idea"].all_ids(session)))
        session.rollback()
        embedded = 0
        if embed and vectors.enabled():
            cache: dict[str, bytes] = {}
            bar = tqdm(total=len(idea_ids), desc="vectors", unit="idea", disable=not progress)
            for chunk in _chunks(idea_ids, 256):
                rows = vectors.changed_vectors(session, chunk, cache)
                session.rollback()
                with session.begin():
                    vectors.store(session, rows)
                embedded += len(rows)
                bar.update(len(chunk))
            bar.close()
        vectors_seconds = time.monotonic() - started
        total = sum(session.scalar(select(func.count()).select_from(
            KINDS[k].all_ids(session).subquery())) for k in KINDS)
        session.rollback()
        bar = tqdm(total=total, desc="index", unit="doc", disable=not progress)

        def batches():
            for name, kind in KINDS.items():
                ids = list(session.scalars(kind.all_ids(session))) if name != "idea" else idea_ids
                session.rollback()
                for chunk in _chunks(ids, CHUNK):
                    docs = [d for d in kind.documents(session, chunk).values() if d is not None]
                    session.rollback()
                    bar.update(len(chunk))
                    yield docs

        index_started = time.monotonic()
        count = backend.rebuild(batches())
        bar.close()
        index_seconds = time.monotonic() - index_started
        if seen:
            with session.begin():
                for chunk in _chunks(seen, 1000):
                    session.execute(delete(SearchQueueEntry).where(SearchQueueEntry.id.in_(chunk)))
    return {"documents": count, "embedded": embedded, "vectors_seconds": round(vectors_seconds, 2),
            "index_seconds": round(index_seconds, 2),
            "rate": round(count / index_seconds, 1) if index_seconds else None}


@search_cli.command("reindex")
@click.option("--no-vectors", is_flag=True, help="Do not compute missing idea vectors.")
def reindex_command(no_vectors: bool):
    """Rebuild the search index from the database."""
    stats = reindex(current_app._get_current_object(), embed=not no_vectors)
    click.echo(f"indexed {stats['documents']} documents in {stats['index_seconds']} s "
               f"({stats['rate']} a second); {stats['embedded']} idea vectors computed")


@search_cli.command("sync")
def sync_command():
    """Apply the changes waiting in the search queue."""
    applied, emptied = services.sync(current_app._get_current_object(), budget_seconds=None)
    click.echo(f"applied {applied} queued changes" + ("" if emptied else " (the index was busy; run again)"))


@search_cli.command("status")
def status_command():
    """How many changes wait, and how many documents the index holds."""
    app = current_app._get_current_object()
    with reading(), Session(db.engine) as session:
        click.echo(f"backend: {backend_for(app).name}; queued: {queue.pending_count(session)}")
    try:
        click.echo(f"documents: {backend_for(app).doc_count()}")
    except Exception as exc:  # noqa: BLE001
        click.echo(f"index unreadable: {exc}")
