"""The prototypes' status tables: the one place that says which moves are allowed.

Pure module (no database).

    concept -> design -> building -> testing -> launched
       any of the first four -> stopped; testing -> building (another iteration)

Launched and stopped are final. A tester's sign-up is pending (asked; staff confirm it
when the iteration's test is "confirm"), confirmed (holds one of the places), waiting
(on the waiting list, once the places are taken) or withdrawn.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideas.core.errors import InvalidTransition

STATUSES = ("concept", "design", "building", "testing", "launched", "stopped")
INITIAL = "concept"
FINAL = ("launched", "stopped")

LABELS = {
    "concept": _l("Concept"),
    "design": _l("Design"),
    "building": _l("Building"),
    "testing": _l("Testing"),
    "launched": _l("Launched"),
    "stopped": _l("Stopped"),
}
STYLES = {"concept": "secondary", "design": "info", "building": "primary", "testing": "warning",
          "launched": "success", "stopped": "dark"}

MOVES: dict[str, tuple[str, ...]] = {
    "concept": ("design", "building", "stopped"),
    "design": ("building", "stopped"),
    "building": ("testing", "stopped"),
    "testing": ("launched", "building", "stopped"),
    "launched": (),
    "stopped": (),
}

VISIBILITIES = ("public", "group")
VISIBILITY_LABELS = {"public": _l("Public"), "group": _l("Only its focus group")}

SIGNUP_MODES = ("confirm", "first_come")
SIGNUP_MODE_LABELS = {"confirm": _l("Staff confirm each tester"), "first_come": _l("First come, first served")}
SIGNUP_STATUSES = ("pending", "confirmed", "waiting", "withdrawn")
HOLDS_PLACE = ("confirmed",)  # counted against the places (Iteration.held_places)
SIGNUP_LABELS = {"pending": _l("Waiting for confirmation"), "confirmed": _l("Confirmed"),
                 "waiting": _l("On the waiting list"), "withdrawn": _l("Withdrawn")}


def label(status: str) -> str:
    return str(LABELS.get(status, status))


def style(status: str) -> str:
    return STYLES.get(status, "secondary")


def allowed_moves(status: str) -> tuple[str, ...]:
    return MOVES.get(status, ())


def check_move(from_status: str, to_status: str) -> None:
    """Raise InvalidTransition unless the table allows from_status -> to_status."""
    if to_status not in STATUSES:
        raise InvalidTransition(_("“%(status)s” is not a prototype status.", status=to_status), field="status")
    if to_status not in allowed_moves(from_status):
        raise InvalidTransition(_("A prototype cannot move from “%(a)s” to “%(b)s”.",
                                  a=label(from_status), b=label(to_status)), field="status")


def signup_label(status: str) -> str:
    return str(SIGNUP_LABELS.get(status, status))
