"""Helpers for the search tests: commit what the factories made, apply the queue, search."""

from __future__ import annotations

from flask import current_app

from ideas.extensions import db
from ideas.search import services


def commit_and_sync():
    db.session.commit()
    applied, emptied = services.sync(current_app._get_current_object(), budget_seconds=None)
    assert emptied
    return applied


def found(user, q, **kw):
    """(kind, title-or-id) of what `user` finds for `q`."""
    page = services.search(db.session, user, q, **kw)
    assert not page.unavailable, "search failed"
    return page


def keys(page):
    return [(r.kind, r.url.split("#")[0].split("?")[0]) for r in page.results]
