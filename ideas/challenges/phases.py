"""The challenge phase table: the one place that says which moves are allowed.

Pure module (no app, no database). A challenge moves forward one step at a time;
voting may be skipped (submission -> review), and any published phase may close.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from ideas.core.errors import InvalidTransition

PHASES = ("draft", "submission", "voting", "review", "refinement", "prototyping", "closed")

LABELS = {
    "draft": _l("Draft"),
    "submission": _l("Submitting ideas"),
    "voting": _l("Voting"),
    "review": _l("Review"),
    "refinement": _l("Refinement"),
    "prototyping": _l("Prototyping"),
    "closed": _l("Closed"),
}

EXPLANATIONS = {
    "draft": _l("The challenge is being prepared by the company and is not public yet."),
    "submission": _l("Share your ideas now. You can also comment on and vote for the ideas of others."),
    "voting": _l("New ideas are closed. Vote for the ideas you believe in and help improve them with comments."),
    "review": _l("The company and its judges are reviewing the ideas and building the shortlist."),
    "refinement": _l("Shortlisted ideas are refined together with their authors in focus groups."),
    "prototyping": _l("The selected ideas are being turned into prototypes and tested with members."),
    "closed": _l("The challenge is over. Every idea has its outcome; see the results below."),
}

# One colour and one icon per phase, distinct, shown wherever a phase badge is
# (templates/_macros/badges.html); text-bg-teal is defined in static/css/app.css.
BADGE_CLASSES = {
    "draft": "text-bg-secondary",
    "submission": "text-bg-success",
    "voting": "text-bg-primary",
    "review": "text-bg-warning",
    "refinement": "text-bg-info",
    "prototyping": "text-bg-teal",
    "closed": "text-bg-dark",
}
ICONS = {
    "draft": "pencil-square",
    "submission": "lightbulb",
    "voting": "hand-thumbs-up",
    "review": "search",
    "refinement": "people",
    "prototyping": "tools",
    "closed": "flag-fill",
}


def _build_moves() -> dict[str, tuple[str, ...]]:
    moves: dict[str, list[str]] = {phase: [] for phase in PHASES}
    for current, following in zip(PHASES, PHASES[1:], strict=False):
        moves[current].append(following)
    moves["submission"].append("review")  # skipping the voting phase
    for phase in PHASES[1:-1]:  # every published phase may close early
        if "closed" not in moves[phase]:
            moves[phase].append("closed")
    return {phase: tuple(targets) for phase, targets in moves.items()}


MOVES = _build_moves()


def label(phase: str) -> str:
    """The translated name of a phase."""
    return str(LABELS.get(phase, phase))


def explanation(phase: str) -> str:
    """A short "what happens now" text for the phase."""
    return str(EXPLANATIONS.get(phase, ""))


def allowed_moves(phase: str) -> tuple[str, ...]:
    """The phases a challenge in `phase` may move to, the normal next step first."""
    return MOVES.get(phase, ())


def next_phase(phase: str) -> str | None:
    """The normal next step (what the scheduler moves to), or None at the end."""
    moves = allowed_moves(phase)
    return moves[0] if moves else None


def check_move(from_phase: str, to_phase: str) -> None:
    """Raise InvalidTransition unless the table allows from_phase -> to_phase."""
    if to_phase not in PHASES:
        raise InvalidTransition(_("“%(phase)s” is not a phase.", phase=to_phase), field="to_phase")
    if to_phase not in allowed_moves(from_phase):
        raise InvalidTransition(
            _("A challenge cannot move from “%(a)s” to “%(b)s”.", a=label(from_phase), b=label(to_phase)),
            field="to_phase",
        )


# What members may do to ideas in each phase: the one table every service, view and
# template asks (through `allows`). Staff moderation is not phase-bound.
ACTIONS = ("submit", "edit", "withdraw", "vote", "compare", "comment")
ALLOWED: dict[str, frozenset[str]] = {
    "draft": frozenset(),
    "submission": frozenset(ACTIONS),
    "voting": frozenset({"withdraw", "vote", "compare", "comment"}),
    "review": frozenset({"withdraw", "comment"}),
    "refinement": frozenset({"comment"}),
    "prototyping": frozenset({"comment"}),
    "closed": frozenset(),
}

REFUSALS = {
    "submit": _l("Submissions are closed for this challenge."),
    "edit": _l("Ideas can no longer be edited in this challenge."),
    "withdraw": _l("Ideas can no longer be withdrawn in this challenge."),
    "vote": _l("Voting is closed in this challenge."),
    "compare": _l("Comparing ideas is closed in this challenge."),
    "comment": _l("The discussion is closed in this challenge."),
}


def allows(phase: str, action: str) -> bool:
    """Whether members may `action` (one of ACTIONS) in a challenge in `phase`."""
    if action not in ACTIONS:
        raise ValueError(f"unknown action {action!r}")
    return action in ALLOWED.get(phase, frozenset())


def phases_allowing(action: str) -> tuple[str, ...]:
    """The phases in which `action` is allowed, in table order (for SQL filters)."""
    return tuple(phase for phase in PHASES if allows(phase, action))


def refusal(action: str) -> str:
    """Why `action` is refused in a phase that does not allow it (translated)."""
    return str(REFUSALS[action])


def accepts_ideas(phase: str) -> bool:
    """New ideas are accepted only during the submission phase."""
    return allows(phase, "submit")


def voting_open(phase: str) -> bool:
    """Members vote during the submission and voting phases."""
    return allows(phase, "vote")


def is_published(phase: str) -> bool:
    return phase != "draft"


def timeline(current: str, reached: dict, plans: dict, left: dict | None = None) -> list[dict]:
    """The published phases as the timeline shows them: each with its state ("done",
    "current", "skipped" or "upcoming") and the dates that are true for it: when it
    began for the phases reached (`reached`: phase -> first time the challenge entered
    it) and, for those done, when it ended (`left`: phase -> last time it was left); the
    planned (start, end) for those still ahead (`plans`: phase -> (start, end))."""
    left = left or {}
    order = PHASES[1:]
    now_index = order.index(current) if current in order else -1
    rows = []
    for index, phase in enumerate(order):
        if phase == current:
            state = "current"
        elif phase in reached:
            state = "done"
        elif index < now_index or current == "closed":
            state = "skipped"
        else:
            state = "upcoming"
        start, end = plans.get(phase, (None, None))
        rows.append({"phase": phase, "state": state, "since": reached.get(phase),
                     "until": left.get(phase) if state == "done" else None,
                     "planned_start": start if state == "upcoming" else None,
                     "planned_end": end if state in ("upcoming", "current") else None})
    return rows
