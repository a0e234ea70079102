"""In-app notifications, grouped when alike, and notification mail for members who
consented to it: per topic (kinds.TOPICS), at once or in a daily or weekly digest.

A notice is written in the transaction of what caused it; mail is queued in the
outbox (ideas/core/mail.py) in that same transaction and delivered after the commit
by `flask mail send`, so a rolled-back change tells nobody anything.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from werkzeug.exceptions import HTTPException
from werkzeug.routing import RequestRedirect

from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotFound
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db
from ideas.notifications import kinds
from ideas.notifications.models import Notification, NotificationPreference
from ideas.notifications.policy import visible_notifications

PER_PAGE = 20


# -- what a notice is about -------------------------------------------------------------

def about(link: str) -> tuple[int | None, int | None]:
    """(idea id, challenge id) of the page a notice links to, read from the app's own
    URL map (no query): /ideas/12-... is about idea 12, /challenges/3-... about challenge 3."""
    path = (link or "").split("#", 1)[0].split("?", 1)[0]
    if not path.startswith("/"):
        return None, None
    root = (current_app.config.get("APPLICATION_ROOT") or "/").rstrip("/")
    if root and path.startswith(root):
        path = path[len(root):] or "/"
    try:
        _endpoint, args = current_app.url_map.bind("localhost").match(path, method="GET")
    except (HTTPException, RequestRedirect):
        return None, None
    idea_id, challenge_id = args.get("idea_id"), args.get("challenge_id")
    return (idea_id if isinstance(idea_id, int) else None,
            challenge_id if isinstance(challenge_id, int) else None)


# -- preferences -------------------------------------------------------------------------

def frequency_for(user, topic: str | None) -> str | None:
    """The member's frequency for a topic: their choice, else their default (the daily
    digest unless they chose otherwise)."""
    if topic is None:
        return None
    chosen = db.session.get(NotificationPreference, (user.id, topic))
    if chosen is not None:
        return chosen.frequency
    default = getattr(user, "notify_frequency", None)
    return default if default in kinds.FREQUENCIES else kinds.DEFAULT_FREQUENCY


def consented(user) -> bool:
    return bool(getattr(user, "notify_email", False) and getattr(user, "active", True)
                and getattr(user, "email", None))


def mail_mode(user, kind: str) -> str:
    """"instant", "daily", "weekly" or "none" for a notice of this kind to this member."""
    topic = kinds.topic_of(kind)
    if not consented(user) or topic is None:
        return "none"
    return kinds.mail_mode(True, topic, frequency_for(user, topic))


def preferences(user) -> dict[str, str]:
    """Topic -> the member's frequency for it (their default where they chose nothing)."""
    chosen = dict(db.session.execute(select(NotificationPreference.topic, NotificationPreference.frequency)
                                     .where(NotificationPreference.user_id == user.id)).all())
    default = user.notify_frequency if user.notify_frequency in kinds.FREQUENCIES else kinds.DEFAULT_FREQUENCY
    return {topic: chosen.get(topic, default) for topic in kinds.TOPICS}


def _set_frequency(user, topic: str, frequency: str, now) -> None:
    dialect = db.session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(NotificationPreference).values(
        user_id=user.id, topic=topic, frequency=frequency, updated_at=now)
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["user_id", "topic"], set_={"frequency": frequency, "updated_at": now}))


def set_preferences(user, consent: bool, frequencies: dict[str, str], now=None) -> None:
    """Save consent to notification mail and a frequency per topic; every value is
    checked before anything is written."""
    now = now or utcnow()
    for topic, frequency in frequencies.items():
        if topic not in kinds.TOPICS:
            raise Invalid(_("Unknown kind of notification."), field=f"topic_{topic}")
        if frequency not in kinds.FREQUENCIES:
            raise Invalid(_("Choose one of the offered frequencies."), field=f"topic_{topic}")
    user.notify_email = bool(consent)
    for topic, frequency in frequencies.items():
        _set_frequency(user, topic, frequency, now)
    db.session.flush()


def unsubscribe(user, topic: str, now=None) -> None:
    """One click from a mail: no more mail of that topic ("all": no notification mail
    at all). Works without logging in (the link is signed, see mailing.py)."""
    now = now or utcnow()
    if topic == "all":
        user.notify_email = False
        db.session.flush()
        return
    if topic not in kinds.TOPICS:
        raise NotFound(_("This unsubscribe link is not valid."))
    _set_frequency(user, topic, "off", now)
    db.session.flush()


# -- writing notices ----------------------------------------------------------------------

def group_key(kind: str, link: str) -> str:
    return f"{kind}:{(link or '').split('#', 1)[0]}"[:120]


def notify(user, kind: str, text: str, link: str = "", *, now=None) -> Notification:
    """Tell `user` something in the inbox (`text` already in their language). Alike
    unread notices (kinds.KINDS grouped) become one with a count. Mail goes only to a
    member who consented, for this kind's topic: queued at once, or kept for their
    digest."""
    from ideas.notifications import mailing

    now = now or utcnow()
    kind = kind[:40]
    info = kinds.kind_info(kind)
    link = link[:300]
    mode = mail_mode(user, kind)
    key = group_key(kind, link) if info.grouped else None
    if key is not None:
        existing = db.session.scalar(select(Notification).where(
            Notification.user_id == user.id, Notification.group_key == key, Notification.read_at.is_(None)))
        if existing is not None:
            existing.count += 1
            existing.text, existing.link, existing.created_at = text, link, now
            if existing.mail_state == "none" and mode in kinds.DIGESTS:
                existing.mail_state = mode
            return existing
    idea_id, challenge_id = about(link)
    notification = Notification(user_id=user.id, kind=kind, text=text, link=link, created_at=now,
                                idea_id=idea_id, challenge_id=challenge_id, group_key=key, count=1,
                                mail_state=mode)
    db.session.add(notification)
    if mode == "instant":
        mailing.queue_instant(user, notification)
    return notification


def add_to_group(user_id: int, kind: str, text: str, link: str, *, idea_id=None, challenge_id=None,
                 now=None) -> None:
    """An in-app-only notice that groups with its unread twin, in one statement (an
    upsert on the unread group): what the vote path uses."""
    now = now or utcnow()
    key = group_key(kind, link)
    dialect = db.session.get_bind().dialect.name
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Notification).values(
        user_id=user_id, kind=kind, text=text, link=link, created_at=now, idea_id=idea_id,
        challenge_id=challenge_id, group_key=key, count=1, mail_state="none")
    db.session.execute(stmt.on_conflict_do_update(
        index_elements=["user_id", "group_key"],
        index_where=Notification.read_at.is_(None) & Notification.group_key.is_not(None),
        set_={"count": Notification.count + 1, "created_at": now, "text": text}))


def notice_text(kind: str, text: str, count: int = 1) -> str:
    """What a notice says, in the current language: grouped ones with their count."""
    if kind == "upvotes":
        return ngettext('%(num)d new up-vote on your idea "%(title)s"',
                        '%(num)d new up-votes on your idea "%(title)s"', count, title=text)
    if count > 1:
        return ngettext("%(text)s (and %(num)d more like it)", "%(text)s (and %(num)d more like it)",
                        count - 1, text=text)
    return text


# -- the inbox ------------------------------------------------------------------------------

def list_notifications(user, page: int = 1) -> Page:
    """The user's inbox, newest first: only notices about what they may still see."""
    query = (
        select(Notification).where(visible_notifications(user))
        .order_by(Notification.created_at.desc(), Notification.id.desc())
    )
    return paginate_offset(query, page, PER_PAGE, db.session)


def unread_count(user) -> int:
    """Unread notices (a group counts once), as the navigation shows them."""
    return db.session.scalar(
        select(func.count(Notification.id))
        .where(visible_notifications(user), Notification.read_at.is_(None))
    ) or 0


def mark_read(user, ids=None, now=None) -> int:
    """Mark the user's notifications read: the given ids, or all of them when ids is None.
    Other members' notifications are never touched. Returns how many changed."""
    now = now or utcnow()
    own = Notification.user_id == user.id if getattr(user, "is_authenticated", False) else None
    if own is None:
        return 0
    stmt = update(Notification).where(own, Notification.read_at.is_(None))
    if ids is not None:
        ids = sorted({int(i) for i in ids})
        if not ids:
            return 0
        found = db.session.scalar(select(func.count(Notification.id)).where(
            visible_notifications(user), Notification.id.in_(ids))) or 0
        if found != len(ids):  # someone else's, or none at all: as if it did not exist
            raise NotFound(_("We could not find that notification."))
        stmt = stmt.where(Notification.id.in_(ids))
    result = db.session.execute(stmt.values(read_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0
