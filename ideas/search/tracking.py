"""The search queue is written in the transaction of each change (SQLAlchemy session
events: the domain modules know nothing of search), so a rolled-back change leaves no
row and a committed one always does.

Queued kinds: idea, comment, challenge (its own document), challenge+ (the document
and everything in it: its visibility, audience or category changed), all (rebuild).
"""

from __future__ import annotations

from sqlalchemy import event, insert, inspect, or_, select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge, ChallengeCriterion
from ideas.core import events
from ideas.search.models import SearchQueueEntry
from ideas.submissions.models import Comment, Idea, IdeaCoauthor

IDEA_FIELDS = ("title", "summary", "description", "tags", "language", "status", "hidden_at", "challenge_id",
               "author_id", "merged_into_id")
COMMENT_FIELDS = ("body", "hidden_at", "deleted_at", "idea_id")
CHALLENGE_TEXT = ("title", "summary", "problem", "tags", "language", "published_at")
CHALLENGE_AUDIENCE = ("visibility", "company_id", "category")

_PENDING = "ideas.search.pending"


def _changed(obj, names) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in names)


def _phase_moved_audience(obj) -> bool:
    """A move out of or into draft changes who sees the challenge's content."""
    history = inspect(obj).attrs["phase"].history
    if not history.has_changes():
        return False
    before = [p for p in history.deleted if p is not None]
    return any((p == "draft") != (obj.phase == "draft") for p in before)


def _entries_for(session) -> set[tuple[str, int]]:
    found: set[tuple[str, int]] = set()
    for obj in session.new:
        if isinstance(obj, Idea):
            found.add(("idea", obj.id))
        elif isinstance(obj, Comment):
            found.add(("comment", obj.id))
        elif isinstance(obj, Challenge):
            found.add(("challenge", obj.id))
        elif isinstance(obj, ChallengeCriterion):
            found.add(("challenge", obj.challenge_id))
        elif isinstance(obj, IdeaCoauthor):
            found.add(("idea", obj.idea_id))
    for obj in session.dirty:
        if isinstance(obj, Idea) and _changed(obj, IDEA_FIELDS):
            found.add(("idea", obj.id))
        elif isinstance(obj, Comment) and _changed(obj, COMMENT_FIELDS):
            found.add(("comment", obj.id))
        elif isinstance(obj, Challenge):
            if _changed(obj, CHALLENGE_AUDIENCE) or _phase_moved_audience(obj):
                found.add(("challenge+", obj.id))
            elif _changed(obj, CHALLENGE_TEXT) or inspect(obj).attrs["phase"].history.has_changes():
                found.add(("challenge", obj.id))
        elif isinstance(obj, ChallengeCriterion) and _changed(obj, ("text",)):
            found.add(("challenge", obj.challenge_id))
    for obj in session.deleted:
        if isinstance(obj, Idea):
            found.add(("idea", obj.id))
        elif isinstance(obj, Comment):
            found.add(("comment", obj.id))
        elif isinstance(obj, Challenge):
            found.add(("challenge+", obj.id))
        elif isinstance(obj, (ChallengeCriterion,)):
            found.add(("challenge", obj.challenge_id))
        elif isinstance(obj, IdeaCoauthor):
            found.add(("idea", obj.idea_id))
    return found


def _deleted_users_content(session) -> set[tuple[str, int]]:
    """A deleted member's ideas and comments go with them (ON DELETE CASCADE, unseen
    by the session): queue them before they disappear."""
    user_ids = [obj.id for obj in session.deleted if isinstance(obj, User) and obj.id is not None]
    if not user_ids:
        return set()
    found = {("idea", i) for i in session.scalars(select(Idea.id).where(Idea.author_id.in_(user_ids)))}
    idea_ids = [i for _k, i in found]
    found |= {("comment", c) for c in session.scalars(select(Comment.id).where(or_(
        Comment.author_id.in_(user_ids), Comment.idea_id.in_(idea_ids or [0]))))}
    return found


def enqueue(session, entries) -> None:
    """Write queue rows on the session's connection (inside its transaction)."""
    entries = sorted(set(entries))
    if entries:
        session.connection().execute(insert(SearchQueueEntry), [{"kind": k, "obj_id": i} for k, i in entries])
        session.info[_PENDING] = True


def _before_flush(session, _context, _instances):
    users = _deleted_users_content(session)
    if users:
        session.info.setdefault("ideas.search.cascade", set()).update(users)


def _after_flush(session, _context):
    entries = _entries_for(session) | session.info.pop("ideas.search.cascade", set())
    enqueue(session, {(k, i) for k, i in entries if i is not None})


def connect(session_events_target) -> None:
    """Listen to the app's session and to the set-based closing signal (once, however
    many apps are created)."""
    for name, listener in (("before_flush", _before_flush), ("after_flush", _after_flush)):
        if not event.contains(session_events_target, name, listener):
            event.listen(session_events_target, name, listener)
    events.ideas_decided_on_closing.connect(_closing, weak=False)


def _closing(sender, **kw):
    """The ideas still undecided when a challenge closes change status in one UPDATE."""
    from ideas.extensions import db

    challenge = kw.get("challenge", sender)
    enqueue(db.session, {("challenge+", challenge.id)})


def wrote_changes(session) -> bool:
    """Whether the session queued changes since the last call (read once, reset)."""
    return bool(session.info.pop(_PENDING, False))
