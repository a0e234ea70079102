"""The rules of reputation, written once: what each contribution is worth, the levels,
when a member is an expert in a category, and the milestone badges.

Pure module (no database, no Flask): the ledger, the daily review, the profile and
the tests all read these tables.

    newcomer -> contributor -> promoter -> expert (expert status in a category)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional no-op marker)
    return message


# -- points --------------------------------------------------------------------------

@dataclass(frozen=True)
class Rule:
    """What one contribution earns. `reversal` is the reason written when the fact
    behind it goes away (a vote taken back); a rule without one never goes away by
    itself (a shortlisting stays in the idea's history)."""

    points: int
    label: str
    reversal: str | None = None
    outcome: bool = False  # an outcome of an idea (shortlisted or better): counts for expert status


# reason -> rule. A new kind of contribution is one line here and one line in
# reputation/handlers.py (AWARDS), plus where it comes from for the rebuild (ledger.FACTS).
RULES: dict[str, Rule] = {
    "idea_submitted": Rule(5, N_("Idea submitted"), reversal="idea_withdrawn"),
    "upvote_received": Rule(1, N_("Up-vote received"), reversal="upvote_taken_back"),
    "comment_helpful": Rule(3, N_("Comment marked helpful"), reversal="helpful_taken_back"),
    "idea_shortlisted": Rule(10, N_("Idea shortlisted"), outcome=True),
    "idea_selected": Rule(20, N_("Idea selected"), outcome=True),
    "idea_prototyped": Rule(30, N_("Idea prototyped"), outcome=True),
    "idea_winner": Rule(50, N_("Idea won"), outcome=True),
    "focus_group_feedback": Rule(5, N_("Focus-group feedback given")),
    "test_feedback": Rule(5, N_("Prototype test feedback given")),
    "judging_scorecard": Rule(2, N_("Scorecard submitted")),
    "judging_completed": Rule(10, N_("Judging completed")),
}

# The status an idea reaches -> the reason it earns.
OUTCOME_REASONS = {"shortlisted": "idea_shortlisted", "selected": "idea_selected",
                   "prototyped": "idea_prototyped", "winner": "idea_winner"}

REVERSALS: dict[str, str] = {
    rule.reversal or f"{reason}_reversed": reason for reason, rule in RULES.items()
}
REVERSAL_LABELS = {
    "idea_withdrawn": N_("Idea withdrawn"),
    "upvote_taken_back": N_("Up-vote taken back"),
    "helpful_taken_back": N_("No longer marked helpful"),
}


def family(reason: str) -> str:
    """The rule a ledger reason belongs to: itself, or the rule it reverses."""
    return REVERSALS.get(reason, reason)


def reversal_of(reason: str) -> str:
    """The reason written when `reason`'s points are taken back."""
    return RULES[reason].reversal or f"{reason}_reversed"


def reasons_of(families: Iterable[str]) -> tuple[str, ...]:
    """Every ledger reason of these rules (the rule and its reversal)."""
    out: list[str] = []
    for name in families:
        out += [name, reversal_of(name)]
    return tuple(out)


def reason_label(reason: str) -> str:
    """The message id of a ledger reason's label (translate it where shown)."""
    if reason in RULES:
        return RULES[reason].label
    return REVERSAL_LABELS.get(reason, RULES[family(reason)].label if family(reason) in RULES else reason)


# -- levels --------------------------------------------------------------------------

@dataclass(frozen=True)
class Level:
    code: str
    label: str
    min_points: int
    needs_expertise: bool = False


LEVELS: tuple[Level, ...] = (
    Level("newcomer", N_("Newcomer"), 0),
    Level("contributor", N_("Contributor"), 20),
    Level("promoter", N_("Promoter"), 70),
    Level("expert", N_("Expert"), 70, needs_expertise=True),
)
LEVEL_CODES = tuple(level.code for level in LEVELS)


@dataclass(frozen=True)
class Need:
    """One thing still missing for the next step: `what` is a code the page words
    (points, points_in_category, outcome_in_category, clean_record), `amount` how much."""

    what: str
    amount: int = 0
    category: str | None = None


@dataclass(frozen=True)
class Standing:
    level: Level
    next_level: Level | None
    needs: tuple[Need, ...] = ()


# -- expert status -------------------------------------------------------------------

EXPERT_POINTS = 60  # points in the category ...
EXPERT_WINDOW = timedelta(days=730)  # ... over the last 24 months
EXPERT_MIN_OUTCOMES = 1  # at least one idea there shortlisted (or better), ever
CLEAN_WINDOW = timedelta(days=90)  # and nothing of theirs hidden by moderators in 90 days


@dataclass(frozen=True)
class CategoryRecord:
    """A member's record in one category, as the expert rules read it."""

    category: str
    points: int  # within EXPERT_WINDOW
    outcomes: int  # ideas shortlisted or better, ever
    hidden_recently: int  # ideas or comments hidden within CLEAN_WINDOW, anywhere


def window_start(now: datetime) -> datetime:
    return now - EXPERT_WINDOW


def clean_since(now: datetime) -> datetime:
    return now - CLEAN_WINDOW


def expert_needs(record: CategoryRecord) -> tuple[Need, ...]:
    """What the record still lacks for expert status in its category (empty: it meets the rules)."""
    needs = []
    if record.points < EXPERT_POINTS:
        needs.append(Need("points_in_category", EXPERT_POINTS - record.points, record.category))
    if record.outcomes < EXPERT_MIN_OUTCOMES:
        needs.append(Need("outcome_in_category", EXPERT_MIN_OUTCOMES - record.outcomes, record.category))
    if record.hidden_recently:
        needs.append(Need("clean_record", record.hidden_recently, record.category))
    return tuple(needs)


def meets_expert_rules(record: CategoryRecord) -> bool:
    return not expert_needs(record)


OVERRIDES = ("granted", "revoked")


def review(meets: bool, held: bool, override: str | None) -> str:
    """What the daily review does to one member's status in one category:
    "grant", "lapse" or "keep". Staff's word (override) stands over the rules until
    staff change it."""
    if override == "granted":
        return "keep" if held else "grant"
    if override == "revoked":
        return "lapse" if held else "keep"
    if meets and not held:
        return "grant"
    if held and not meets:
        return "lapse"
    return "keep"


def standing(total_points: int, expert_categories: Iterable[str],
             records: Iterable[CategoryRecord] = ()) -> Standing:
    """The member's level and what is needed for the next one. Past promoter, the
    next step is expert status: the category closest to it is the one suggested."""
    experts = tuple(expert_categories)
    reached = [lv for lv in LEVELS if total_points >= lv.min_points and (not lv.needs_expertise or experts)]
    level = reached[-1]
    index = LEVELS.index(level)
    if index == len(LEVELS) - 1:
        return Standing(level, None)
    following = LEVELS[index + 1]
    needs: list[Need] = []
    if total_points < following.min_points:
        needs.append(Need("points", following.min_points - total_points))
    if following.needs_expertise:
        best = _closest(records)
        if best is None:
            needs.append(Need("points_in_category", EXPERT_POINTS))
            needs.append(Need("outcome_in_category", EXPERT_MIN_OUTCOMES))
        else:
            needs += expert_needs(best)
    return Standing(level, following, tuple(needs))


def _closest(records: Iterable[CategoryRecord]) -> CategoryRecord | None:
    """The category where the member is nearest expert status (fewest needs, most points)."""
    ranked = sorted(records, key=lambda r: (len(expert_needs(r)), -r.points, r.category))
    return ranked[0] if ranked else None


# -- badges --------------------------------------------------------------------------

@dataclass(frozen=True)
class Badge:
    code: str
    label: str
    description: str
    icon: str
    reason: str  # the rule counted ("expert": expert categories)
    at_least: int = 1


BADGES: tuple[Badge, ...] = (
    Badge("first_idea", N_("First idea"), N_("Submitted a first idea."), "💡", "idea_submitted"),
    Badge("ten_ideas", N_("Ten ideas"), N_("Submitted ten ideas."), "🔟", "idea_submitted", 10),
    Badge("first_shortlist", N_("First shortlist"), N_("An idea made a shortlist."), "📋", "idea_shortlisted"),
    Badge("winner", N_("Winner"), N_("An idea won a challenge."), "🏆", "idea_winner"),
    Badge("helpful", N_("Helpful voice"), N_("A comment was marked helpful."), "🤝", "comment_helpful"),
    Badge("crowd_favourite", N_("Crowd favourite"), N_("Received fifty up-votes."), "🔥", "upvote_received", 50),
    Badge("judge", N_("Judge"), N_("Completed the judging of a challenge."), "⚖️", "judging_completed"),
    Badge("focus_group_member", N_("Focus-group member"), N_("Gave feedback in a focus group."), "🗣",
          "focus_group_feedback"),
    Badge("tester", N_("Tester"), N_("Tested a prototype and gave feedback."), "🧪", "test_feedback"),
    Badge("expert", N_("Expert"), N_("Holds expert status in a category."), "★", "expert"),
)


@dataclass(frozen=True)
class MemberStats:
    """How many of each contribution a member holds (net of reversals), and their
    expert categories."""

    counts: Mapping[str, int] = field(default_factory=dict)
    expert_categories: tuple[str, ...] = ()


def badges_for(stats: MemberStats) -> tuple[Badge, ...]:
    """The milestone badges the stats earn, in the table's order."""
    def count(reason: str) -> int:
        return len(stats.expert_categories) if reason == "expert" else int(stats.counts.get(reason, 0))

    return tuple(b for b in BADGES if count(b.reason) >= b.at_least)


# -- leaderboards --------------------------------------------------------------------

PERIODS = {"week": timedelta(days=7), "month": timedelta(days=30), "all": None}
PERIOD_LABELS = {"week": N_("This week"), "month": N_("This month"), "all": N_("All time")}


def period_start(period: str, now: datetime) -> datetime | None:
    """The start of a leaderboard period (None: all time); unknown periods are all time."""
    span = PERIODS.get(period)
    return now - span if span is not None else None
