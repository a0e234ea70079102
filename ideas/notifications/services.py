"""In-app notifications, and notification mail for members who consented to it."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select, update

from ideas.core.db import utcnow
from ideas.core.errors import NotFound
from ideas.core.mail import queue_mail
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db
from ideas.notifications.models import Notification
from ideas.notifications.policy import visible_notifications

PER_PAGE = 20


def notify(user, kind: str, text: str, link: str = "") -> Notification:
    """Tell `user` something in the inbox; mail it too only if they consented
    (`notify_email`). `text` is already in the recipient's language."""
    notification = Notification(user_id=user.id, kind=kind[:40], text=text, link=link[:300])
    db.session.add(notification)
    if user.notify_email and user.active and user.email:
        base = (current_app.config.get("SERVER_NAME_FOR_MAIL") or "").rstrip("/")
        url = f"{base}{link}" if link.startswith("/") else link
        with force_locale(user.locale or "en"):
            site = current_app.config.get("SITE_NAME", "Ideas")
            subject = _("%(site)s: %(text)s", site=site, text=text)
            footer = _("You receive this mail because you turned on notification mail in your settings.")
        body = f"{text}\n\n{url}\n\n-- \n{footer}\n" if url else f"{text}\n\n-- \n{footer}\n"
        queue_mail(user.email, subject[:250], body, kind="notification")
    return notification


def list_notifications(user, page: int = 1) -> Page:
    """The user's inbox, newest first."""
    query = (
        select(Notification).where(visible_notifications(user))
        .order_by(Notification.id.desc())
    )
    return paginate_offset(query, page, PER_PAGE, db.session)


def unread_count(user) -> int:
    from sqlalchemy import func

    return db.session.scalar(
        select(func.count(Notification.id))
        .where(visible_notifications(user), Notification.read_at.is_(None))
    ) or 0


def mark_read(user, ids=None, now=None) -> int:
    """Mark the user's notifications read: the given ids, or all of them when ids is None.
    Other members' notifications are never touched. Returns how many changed."""
    now = now or utcnow()
    stmt = update(Notification).where(visible_notifications(user), Notification.read_at.is_(None))
    if ids is not None:
        ids = sorted({int(i) for i in ids})
        if not ids:
            return 0
        own = db.session.scalar(select(func.count(Notification.id)).where(
            visible_notifications(user), Notification.id.in_(ids))) or 0
        if own != len(ids):  # someone else's, or none at all: as if it did not exist
            raise NotFound(_("We could not find that notification."))
        stmt = stmt.where(Notification.id.in_(ids))
    result = db.session.execute(stmt.values(read_at=now).execution_options(synchronize_session=False))
    return result.rowcount or 0
