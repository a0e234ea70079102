"""Site operator actions on accounts: grant or revoke admin rights, (de)activate.

An admin cannot deactivate themself nor drop their own admin rights, so the site
is never left without a way back in.
"""

from __future__ import annotations

from flask_babel import gettext as _

from ideas.accounts.models import User
from ideas.core.errors import Invalid, NotAllowed
from ideas.extensions import db


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
