"""Who may find what: the index's access grants, derived from the modules' policies.

Every document carries `grants`, and a searcher holds grants; a document is a
candidate when the two share one. The grants mirror the modules' own rules
(challenges.policy.visible_challenges, submissions.policy.visible_ideas):

    staff:<company>           the company's staff see everything in its challenges
    public                    listed content of a published public challenge
    invite:<challenge>        listed content of a published invite-only challenge
    user:<id>                 an unlisted idea's authors (hidden, withdrawn, merged),
                              in a public challenge
    user:<id>@<challenge>     the same in an invite-only challenge (author and invited)

An admin searches without a filter. Whatever the index says, the hits a page shows
are checked again by each kind's own SQL policy (`visible_ids`), so a stale index
entry can never show a private thing.

The seam for later modules: a kind of document registers a `SearchKind` (how to read
its documents and check its hits), and a module with its own audience (a focus
group's members) registers a grant source returning the searcher's grants, e.g.
`group:<id>`, which its documents carry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from sqlalchemy import select

from ideas.challenges.models import Challenge, ChallengeInvite
from ideas.companies.models import CompanyMember
from ideas.submissions import statuses

GrantSource = Callable[[object], Iterable[str]]
_grant_sources: list[GrantSource] = []


def register_grant_source(source: GrantSource) -> None:
    """Add a function returning a searcher's extra grants (for a module's own audience)."""
    if source not in _grant_sources:
        _grant_sources.append(source)


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def challenge_audience(challenge) -> str | None:
    """The grant of a challenge's listed content: None for a draft (staff only)."""
    if challenge.phase == "draft":
        return None
    return "public" if challenge.visibility == "public" else f"invite:{challenge.id}"


def content_grants(challenge, *, listed: bool, author_ids: Iterable[int] = ()) -> list[str]:
    """The grants of an idea or comment in `challenge`: listed content goes to the
    challenge's audience, unlisted content to its authors (who must still see the
    challenge); the company's staff always."""
    grants = [f"staff:{challenge.company_id}"]
    audience = challenge_audience(challenge)
    if audience is None:
        return grants
    if listed:
        grants.append(audience)
    elif challenge.visibility == "public":
        grants.extend(f"user:{uid}" for uid in sorted(set(author_ids)))
    else:
        grants.extend(f"user:{uid}@{challenge.id}" for uid in sorted(set(author_ids)))
    return grants


def idea_listed(idea) -> bool:
    return idea.hidden_at is None and statuses.is_public(idea.status)


def user_grants(session, user) -> list[str] | None:
    """The searcher's grants; None for an admin (no filter)."""
    if not _authenticated(user):
        return ["public"]
    if getattr(user, "is_admin", False):
        return None
    grants = ["public", f"user:{user.id}"]
    grants.extend(f"staff:{cid}" for cid in session.scalars(
        select(CompanyMember.company_id).where(CompanyMember.user_id == user.id)))
    for challenge_id in session.scalars(
            select(ChallengeInvite.challenge_id).join(Challenge, Challenge.id == ChallengeInvite.challenge_id)
            .where(ChallengeInvite.user_id == user.id, Challenge.phase != "draft")):
        grants.extend((f"invite:{challenge_id}", f"user:{user.id}@{challenge_id}"))
    for source in _grant_sources:
        grants.extend(source(user))
    return grants
