"""Notification mail: a notice mailed at once, the daily and weekly digests, and the
one-click unsubscribe link every such mail carries.

Every message goes through the outbox (ideas/core/mail.py), queued in the current
transaction and delivered after the commit by `flask mail send`. It carries the
List-Unsubscribe and List-Unsubscribe-Post headers of RFC 8058: a mail client's
"unsubscribe" button POSTs to the signed link, which works without logging in.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app, render_template
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select, update

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.core.links import path_to
from ideas.core.mail import queue_mail
from ideas.extensions import db
from ideas.notifications import kinds
from ideas.notifications.models import Notification
from ideas.notifications.policy import about_visible
from ideas.submissions.models import Idea

UNSUBSCRIBE_SALT = "notifications.unsubscribe"
DIGEST_LIMIT = 200  # notices in one digest; older ones beyond it are summarized by count


# -- the signed unsubscribe link ----------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user, topic: str) -> str:
    """A token for "no more mail of this topic" ("all": no notification mail), bound to
    the member's address: it stops working if the address changes."""
    return _serializer().dumps({"uid": user.id, "topic": topic, "to": user.email})


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The member and topic of a valid token; None for a forged or stale one."""
    try:
        data = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int):
        return None
    topic = data.get("topic")
    if topic != "all" and topic not in kinds.TOPICS:
        return None
    user = db.session.get(User, data["uid"])
    if user is None or user.email != data.get("to"):
        return None
    return user, topic


def _base() -> str:
    return (current_app.config.get("SERVER_NAME_FOR_MAIL") or "").rstrip("/")


def absolute(path: str) -> str:
    return f"{_base()}{path}" if path.startswith("/") else path


def unsubscribe_url(user, topic: str) -> str:
    return absolute(path_to("notifications.unsubscribe", token=unsubscribe_token(user, topic)))


def _headers(user, topic: str) -> dict[str, str]:
    return {"List-Unsubscribe": f"<{unsubscribe_url(user, topic)}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


# -- at once --------------------------------------------------------------------------------

def queue_instant(user, notification: Notification) -> None:
    """Queue one notice as a mail of its own, in the member's language."""
    from ideas.notifications.services import notice_text

    topic = kinds.topic_of(notification.kind) or "all"
    with force_locale(user.locale or "en"):
        site = current_app.config.get("SITE_NAME", "Ideas")
        text = notice_text(notification.kind, notification.text, notification.count or 1)
        subject = _("%(site)s: %(text)s", site=site, text=text)
        body = render_template(
            "notifications/mail/instant.txt", text=text, url=absolute(notification.link) if notification.link else "",
            topic_label=_(kinds.TOPICS.get(topic, "")) if topic != "all" else "",
            unsubscribe=unsubscribe_url(user, topic), settings=absolute(path_to("notifications.settings")))
    queue_mail(user.email, subject[:250], body, kind="notification", headers=_headers(user, topic))


# -- digests --------------------------------------------------------------------------------

@dataclass
class DigestReport:
    members: int = 0  # mails queued
    notices: int = 0  # notices in them
    dropped: int = 0  # notices no longer visible to their member, or no longer consented to
    per_member: dict = field(default_factory=dict)


def _pending_members(frequency: str, after: int, batch: int) -> list[int]:
    return list(db.session.scalars(
        select(Notification.user_id).where(Notification.mail_state == frequency, Notification.user_id > after)
        .group_by(Notification.user_id).order_by(Notification.user_id).limit(batch)))


def _still_wanted(user, notification: Notification, frequency: str) -> bool:
    from ideas.notifications.services import frequency_for

    topic = kinds.topic_of(notification.kind)
    return topic is not None and frequency_for(user, topic) != "off"


def digest(frequency: str = "daily", now: datetime | None = None, *, batch: int = 200) -> DigestReport:
    """Queue each member's digest of the notices waiting for it: only members with
    something new, grouped by challenge, most important first, in their language.
    Notices about what the member may no longer see are dropped unmentioned. Members
    are read `batch` at a time; the caller commits."""
    if frequency not in kinds.DIGESTS:
        raise ValueError(f"unknown digest {frequency!r}")
    now = now or utcnow()
    report = DigestReport()
    after = 0
    while True:
        member_ids = _pending_members(frequency, after, batch)
        if not member_ids:
            return report
        after = member_ids[-1]
        users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(member_ids)))}
        for user_id in member_ids:
            _digest_for(users[user_id], frequency, now, report)
        db.session.flush()


def _digest_for(user, frequency: str, now: datetime, report: DigestReport) -> None:
    from ideas.notifications.services import consented

    waiting = Notification.mail_state == frequency
    mine = Notification.user_id == user.id
    if not consented(user):
        report.dropped += _drop(select(Notification.id).where(mine, waiting))
        return
    visible = list(db.session.scalars(
        select(Notification).where(mine, waiting, about_visible(user))
        .order_by(Notification.created_at.desc(), Notification.id.desc()).limit(DIGEST_LIMIT)))
    wanted = [n for n in visible if _still_wanted(user, n, frequency)]
    shown_ids = [n.id for n in wanted]
    # Everything else waiting (not visible any more, switched off since): dropped unmentioned.
    dropped_query = select(Notification.id).where(mine, waiting)
    if shown_ids:
        dropped_query = dropped_query.where(Notification.id.not_in(shown_ids))
    if len(visible) < DIGEST_LIMIT:
        report.dropped += _drop(dropped_query)
    if not wanted:
        return
    groups = _groups(wanted)
    from ideas.notifications.services import notice_text

    with force_locale(user.locale or "en"):
        site = current_app.config.get("SITE_NAME", "Ideas")
        title = (_("Your daily digest") if frequency == "daily" else _("Your weekly digest"))
        subject = ngettext("%(site)s: %(title)s, %(num)d new notice", "%(site)s: %(title)s, %(num)d new notices",
                           len(wanted), site=site, title=title)
        context = {
            "user": user, "title": title, "site": site,
            "groups": [(heading, [(kinds.kind_info(n.kind).icon, notice_text(n.kind, n.text, n.count or 1),
                                   absolute(n.link) if n.link else "") for n in items])
                       for heading, items in groups],
            "unsubscribe": unsubscribe_url(user, "all"), "settings": absolute(path_to("notifications.settings")),
            "inbox": absolute(path_to("notifications.index")),
        }
        body = render_template("notifications/mail/digest.txt", **context)
        html = render_template("notifications/mail/digest.html", **context)
    queue_mail(user.email, subject[:250], body, body_html=html, kind="notification",
               headers=_headers(user, "all"))
    db.session.execute(update(Notification).where(Notification.id.in_(shown_ids))
                       .values(mail_state="digested").execution_options(synchronize_session=False))
    report.members += 1
    report.notices += len(wanted)
    report.per_member[user.id] = len(wanted)


def _drop(id_query) -> int:
    result = db.session.execute(update(Notification).where(Notification.id.in_(id_query.scalar_subquery()))
                                .values(mail_state="dropped").execution_options(synchronize_session=False))
    return result.rowcount or 0


def _groups(notices: list[Notification]) -> list[tuple[str, list[Notification]]]:
    """(heading, notices) per challenge, most important first; the challenge of a notice
    about an idea is the idea's. Two queries at most."""
    idea_ids = {n.idea_id for n in notices if n.idea_id and not n.challenge_id}
    idea_challenge = dict(db.session.execute(select(Idea.id, Idea.challenge_id).where(Idea.id.in_(idea_ids))).all()) \
        if idea_ids else {}

    def challenge_of(n: Notification):
        return n.challenge_id or idea_challenge.get(n.idea_id)

    challenge_ids = {c for c in map(challenge_of, notices) if c}
    titles = dict(db.session.execute(select(Challenge.id, Challenge.title).where(Challenge.id.in_(challenge_ids)))
                  .all()) if challenge_ids else {}
    ordered = kinds.digest_order(notices, challenge_of=challenge_of, kind_of=lambda n: n.kind,
                                 newest_of=lambda n: n.created_at)
    return [(titles.get(key) if key else _("Elsewhere on the site"), items) for key, items in ordered]
