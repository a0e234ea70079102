"""The notification kinds table: for each kind, the topic a member consents to mail
about, how important it is in a digest, and whether alike ones are grouped.

Pure module (no database, no Flask). A kind not listed falls under the first prefix
that matches (judging_..., focus_group_..., prototype_... are invitations and
sessions), else under decisions on my ideas.
"""

from __future__ import annotations

from dataclasses import dataclass


def N_(message: str) -> str:  # noqa: N802 (gettext's conventional no-op marker)
    return message


# topic -> label. Consent to mail is given per topic; each is mailed at once, in the
# daily digest or the weekly one, or not at all.
TOPICS: dict[str, str] = {
    "replies": N_("Replies, comments and mentions"),
    "decisions": N_("Decisions on my ideas"),
    "invitations": N_("Judging and focus-group invitations and sessions"),
    "followed": N_("New challenges of companies I follow, and news of what I follow"),
    "expert": N_("Expert status"),
    "moderation": N_("Reports to moderate (staff)"),
}
FREQUENCIES: dict[str, str] = {
    "instant": N_("At once"),
    "daily": N_("Daily digest"),
    "weekly": N_("Weekly digest"),
    "off": N_("No mail"),
}
DEFAULT_FREQUENCY = "daily"
DIGESTS = ("daily", "weekly")


@dataclass(frozen=True)
class Kind:
    topic: str | None  # None: in the app only, never mailed
    importance: int = 1  # 0 first in a digest
    grouped: bool = False  # alike unread ones become one ("12 new up-votes on your idea")
    icon: str = "🔔"


KINDS: dict[str, Kind] = {
    "mention": Kind("replies", 1, icon="@"),
    "reply": Kind("replies", 1, grouped=True, icon="💬"),
    "comment": Kind("replies", 1, grouped=True, icon="💬"),
    "coauthor": Kind("replies", 0, icon="👥"),
    "idea_shortlisted": Kind("decisions", 0, icon="⭐"),
    "idea_winner": Kind("decisions", 0, icon="🏆"),
    "idea_declined": Kind("decisions", 0),
    "challenge_closed": Kind("decisions", 0),
    "idea_hidden": Kind("decisions", 0, icon="🛡"),
    "comment_hidden": Kind("decisions", 0, icon="🛡"),
    "idea_merged": Kind("decisions", 0, icon="🔀"),
    "vote_moved": Kind("decisions", 1, icon="🔀"),
    "vote_returned": Kind("decisions", 1, icon="🔀"),
    "merge_undone": Kind("decisions", 1, icon="🔀"),
    "upvotes": Kind(None, 3, grouped=True, icon="▲"),
    "report": Kind("moderation", 1, grouped=True, icon="⚑"),
    "security": Kind(None, 0, icon="🔒"),  # account mail is sent on its own
    "expert_granted": Kind("expert", 0, icon="★"),
    "expert_lapsed": Kind("expert", 0, icon="★"),
    "expert_revoked": Kind("expert", 0, icon="★"),
    "followed_challenge": Kind("followed", 2, icon="📣"),
    "followed_phase": Kind("followed", 2, grouped=True, icon="📣"),
    "followed_decision": Kind("followed", 2, icon="📣"),
    "followed_comment": Kind("followed", 3, grouped=True, icon="💬"),
}
PREFIXES: tuple[tuple[str, Kind], ...] = (
    ("judging", Kind("invitations", 0, icon="⚖️")),
    ("focus_group", Kind("invitations", 0, icon="🗣")),
    ("prototype", Kind("invitations", 0, icon="🧪")),
    ("idea_", Kind("decisions", 0)),
    ("expert", Kind("expert", 0, icon="★")),
    ("followed", Kind("followed", 2, icon="📣")),
)
DEFAULT_KIND = Kind("decisions", 1)


def kind_info(kind: str) -> Kind:
    """The row of the table for a kind (by name, by prefix, or the default)."""
    if kind in KINDS:
        return KINDS[kind]
    for prefix, info in PREFIXES:
        if kind.startswith(prefix):
            return info
    return DEFAULT_KIND


def topic_of(kind: str) -> str | None:
    return kind_info(kind).topic


def mail_mode(consented: bool, topic: str | None, frequency: str | None) -> str:
    """How a notice of this topic reaches a member by mail: "instant", "daily",
    "weekly" or "none" (no consent, switched off, or an in-app-only kind)."""
    if not consented or topic is None:
        return "none"
    frequency = frequency or DEFAULT_FREQUENCY
    return frequency if frequency in ("instant", "daily", "weekly") else "none"


def digest_order(items, *, challenge_of, kind_of, newest_of):
    """Items grouped by challenge, most important first: groups in the order of their
    most important (then newest) item, items within a group likewise. Returns a list
    of (challenge, [items])."""
    groups: dict = {}
    for item in items:
        groups.setdefault(challenge_of(item), []).append(item)

    def rank(item):
        return (kind_info(kind_of(item)).importance, -newest_of(item).timestamp())

    ordered = [(key, sorted(members, key=rank)) for key, members in groups.items()]
    ordered.sort(key=lambda pair: (rank(pair[1][0]), pair[0] is None))
    return ordered
