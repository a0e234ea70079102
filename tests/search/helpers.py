"""Helpers for the search tests: commit what the factories made, apply the queue, search."""

from __future__ import annotations

from flask import current_app

from ideas.core.db import reading
from ideas.extensions import db
from ideas.search import services


def commit_and_sync():
    db.session.commit()
    applied, emptied = services.sync(current_app._get_current_object(), budget_seconds=None)
    assert emptied
    return applied


def found(user, q, **kw):
    """What `user` finds for `q`, searched as a GET request does (in a read
    transaction, nothing of the test's own left open)."""
    if user is not None and getattr(user, "id", None) is not None:
        user.id  # noqa: B018  (loaded before the transaction ends)
    db.session.commit()
    with reading():
        page = services.search(db.session, user, q, **kw)
        db.session.commit()
    assert not page.unavailable, "search failed"
    return page


def keys(page):
    return [(r.kind, r.url.split("#")[0].split("?")[0]) for r in page.results]
