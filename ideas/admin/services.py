"""Site operator actions on accounts: grant or revoke admin rights, (de)activate.

An admin cannot deactivate themself nor drop their own admin rights, so the site
is never left without a way back in.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from markupsafe import Markup, escape
from sqlalchemy import select

from ideas.accounts.models import User
from ideas.core.errors import Invalid, NotAllowed
from ideas.core.mail import OutboxMessage
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db

_LINK = re.compile(r"https?://[^\s<>\"']+")


def _require_admin(actor) -> None:
    if not (actor is not None and getattr(actor, "is_authenticated", False) and actor.is_admin):
        raise NotAllowed(_("Only site administrators can do that."))


def set_admin(actor, user: User, is_admin: bool) -> User:
    """Grant or revoke site admin rights (admins only, never your own)."""
    _require_admin(actor)
    if user.id == actor.id and not is_admin:
        raise Invalid(_("You cannot remove your own admin rights."))
    user.is_admin = is_admin
    db.session.flush()
    return user


def set_active(actor, user: User, active: bool) -> User:
    """Deactivate (cannot log in) or reactivate an account (admins only, never yourself)."""
    _require_admin(actor)
    if user.id == actor.id and not active:
        raise Invalid(_("You cannot deactivate your own account."))
    user.active = active
    db.session.flush()
    return user


def mailbox(page: int, per_page: int = 25) -> Page:
    """The outbox, newest first: what was sent, kept locally (no SMTP), failed or waits."""
    return paginate_offset(select(OutboxMessage).order_by(OutboxMessage.id.desc()), page, per_page,
                           db.session)


def linkify(text: str) -> Markup:
    """Plain mail text as HTML: escaped, with its http(s) links clickable."""
    out, last = [], 0
    for match in _LINK.finditer(text or ""):
        url = match.group(0).rstrip(".,;:!?)")
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{0}" rel="noreferrer">{0}</a>').format(url))
        last = match.start() + len(url)
    out.append(escape((text or "")[last:]))
    return Markup("").join(out)
