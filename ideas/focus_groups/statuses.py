"""The focus groups' status tables: the one place that says what each status means.

Pure module (no database). A membership starts "invited"; the invitee accepts
("member") or declines; a member leaves ("left") or staff remove them ("removed").
Only "member" is inside. Declined, left and removed people may be invited again;
an invited person or a member may not (they are in already).

    invited -> member -> left / removed
        \\-> declined          (declined, left, removed -> invited again)

A feedback round is open (members answer, once each) until staff close it.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

MEMBERSHIP = ("invited", "member", "declined", "left", "removed")
INSIDE = "member"
PENDING = "invited"
# Whom staff may invite (again): never someone invited already or inside.
INVITABLE_FROM = ("declined", "left", "removed")
FORMER = ("left", "removed")

MEMBERSHIP_LABELS = {
    "invited": _l("Invited"),
    "member": _l("Member"),
    "declined": _l("Declined"),
    "left": _l("Left"),
    "removed": _l("Removed"),
}

SESSION_MODES = ("online", "in_person")
SESSION_MODE_LABELS = {"online": _l("Online"), "in_person": _l("In person")}

ROUND_STATUSES = ("open", "closed")
ROUND_LABELS = {"open": _l("Open"), "closed": _l("Closed")}

QUESTION_KINDS = ("rating", "text")
QUESTION_LABELS = {"rating": _l("Rating"), "text": _l("Free text")}


def membership_label(status: str) -> str:
    return str(MEMBERSHIP_LABELS.get(status, status))


def may_invite(current: str | None) -> bool:
    """A person with this membership status (None: never invited) may be invited."""
    return current is None or current in INVITABLE_FROM
