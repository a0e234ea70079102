"""The search queue and the stored idea vectors.

`search_queue` gets a row in the same transaction as every change that the index
must follow (written by `ideas.search.tracking`); the queue is applied after the
commit (`ideas.search.queue`), and a row leaves it only once the index holds the
change, so a crash delays the index but never loses an update. The PostgreSQL
backend keeps its documents in a table of its own (`ideas.search.pg_backend`), made
by that backend: it exists only where that backend is chosen.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from ideas.core.db import utcnow
from ideas.extensions import db


class SearchQueueEntry(db.Model):
    """Something the index must (re)read: `kind` is idea, comment or challenge (a
    challenge whose visibility or category changed brings its ideas and comments
    along), or "all" (rebuild everything)."""

    __tablename__ = "search_queue"
    __table_args__ = (Index("ix_search_queue_kind_obj", "kind", "obj_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    obj_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class IdeaVector(db.Model):
    """An idea's sentence embedding (float16, normalized) for "similar ideas", with
    the digest of the text it was computed from, so a rebuild recomputes only what
    changed."""

    __tablename__ = "search_idea_vectors"
    __table_args__ = (Index("ix_search_idea_vectors_challenge", "challenge_id", "idea_id"),)

    idea_id: Mapped[int] = mapped_column(ForeignKey("ideas.id", ondelete="CASCADE"), primary_key=True)
    challenge_id: Mapped[int] = mapped_column(ForeignKey("challenges.id", ondelete="CASCADE"))
    digest: Mapped[str] = mapped_column(String(32))
    lang: Mapped[str] = mapped_column(String(5), default="en")  # of its text (centering, see similar.py)
    vector: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
