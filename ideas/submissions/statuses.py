"""The idea-status table: the one place that says what each status of an idea means.

Pure module (no database): which statuses are public (listed and counted), open for
votes and comparisons, open for comments, withdrawable, shortlistable, declinable,
mergeable or a merge target, which count as an outcome, how they rank among a
challenge's results, and their labels, badge colours and icons (one each, distinct). Every rule elsewhere (SQL
filters, predicates, templates) reads these sets; no other status list exists.

    submitted -> shortlisted -> selected -> prototyped -> winner
        \\-> declined (with feedback)   \\-> withdrawn / merged
"""

from __future__ import annotations

from dataclasses import dataclass

from ideas.core.i18n import translations


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional no-op marker)
    return message


@dataclass(frozen=True)
class Status:
    label: str  # message id, translated when shown
    style: str  # colour of the badge: a Bootstrap colour or one of static/css/app.css (text-bg-*)
    icon: str  # Bootstrap Icons name shown in the badge
    public: bool = True  # listed, counted, visible to whoever sees the challenge
    votable: bool = False  # takes votes and "which is better?" comparisons (in a voting phase)
    commentable: bool = True  # takes comments (in a phase that allows them)
    withdrawable: bool = False  # the author may take it back (in a phase that allows it)
    shortlistable: bool = False
    declinable: bool = False
    mergeable: bool = False  # may be merged into another idea as a duplicate
    merge_target: bool = True  # another idea may be merged into it
    outcome: bool = True  # the author has an answer (everything but "submitted")
    result_rank: int | None = None  # place among the challenge's results (0 first)


STATUSES: dict[str, Status] = {
    "submitted": Status(N_("Submitted"), "secondary", "send", votable=True, withdrawable=True, shortlistable=True,
                        declinable=True, mergeable=True, outcome=False),
    "shortlisted": Status(N_("Shortlisted"), "info", "star-fill", votable=True, withdrawable=True, declinable=True,
                          mergeable=True, result_rank=3),
    "selected": Status(N_("Selected"), "primary", "check2-circle", votable=True, result_rank=2),
    "prototyped": Status(N_("Prototyped"), "teal", "tools", votable=True, result_rank=1),
    "winner": Status(N_("Winner"), "success", "trophy-fill", votable=True, result_rank=0),
    "declined": Status(N_("Declined"), "warning", "x-circle"),
    "withdrawn": Status(N_("Withdrawn"), "light", "arrow-return-left", public=False, commentable=False, merge_target=False),
    "merged": Status(N_("Merged"), "plum", "sign-merge-left", public=False, commentable=False, merge_target=False),
}

ALL = tuple(STATUSES)
INITIAL = "submitted"


def _having(flag: str) -> tuple[str, ...]:
    return tuple(name for name, status in STATUSES.items() if getattr(status, flag))


PUBLIC = _having("public")
VOTABLE = _having("votable")
COMMENTABLE = _having("commentable")
WITHDRAWABLE = _having("withdrawable")
SHORTLISTABLE = _having("shortlistable")
DECLINABLE = _having("declinable")
MERGEABLE = _having("mergeable")
MERGE_TARGETS = _having("merge_target")
UNDECIDED = tuple(name for name, status in STATUSES.items() if not status.outcome)
RESULTS = tuple(sorted((n for n, s in STATUSES.items() if s.result_rank is not None),
                       key=lambda n: STATUSES[n].result_rank))
# What an undecided idea becomes when its challenge closes with one reason for the rest.
CLOSING_OUTCOME = "declined"


def is_public(status: str) -> bool:
    return status in PUBLIC


def label(status: str) -> str:
    """The status's name in the reader's language."""
    known = STATUSES.get(status)
    return translations().ugettext(known.label) if known is not None else status


def style(status: str) -> str:
    known = STATUSES.get(status)
    return known.style if known is not None else "secondary"


def icon(status: str) -> str:
    known = STATUSES.get(status)
    return known.icon if known is not None else "question-circle"
