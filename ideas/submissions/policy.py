"""Who may see an idea and what they may do to it: the one place these rules live.

Authorship: the author and every co-author are "authors" (they see their idea in any
status, edit it, and never vote on or compare it); only the lead author (`author_id`)
withdraws it. Visibility: the challenge must be visible to the user; public ideas
(statuses.PUBLIC, not hidden) to everyone who sees the challenge, the others to their
authors and to the challenge's staff. What members may do depends on the challenge's
phase (phases.allows) and the idea's status (the statuses table).

Every rule comes twice from the same definitions: as a SQL clause for listings,
search, feeds and exports (`listed`, `visible_ideas`, `authored_by`) and as a
predicate for one idea (`can_view_idea`, `refusal`, `check`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select, true

from ideas.challenges import phases
from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage, can_view, managed_challenges, visible_challenges
from ideas.core.errors import NotAllowed, NotFound
from ideas.extensions import db
from ideas.submissions import statuses
from ideas.submissions.models import Idea, IdeaCoauthor

ACTIONS = ("view", "vote", "compare", "comment", "edit", "withdraw", "moderate")


def authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _verified(user) -> bool:
    return authenticated(user) and getattr(user, "is_verified", False)


# -- SQL clauses ---------------------------------------------------------------

def listed():
    """A WHERE clause over Idea: the ideas everyone who sees the challenge sees in its
    lists (public status, not hidden); `challenges.idea_count` counts these."""
    return and_(Idea.hidden_at.is_(None), Idea.status.in_(statuses.PUBLIC))


def authored_by(user):
    """A WHERE clause over Idea: the ideas the user wrote or co-authors."""
    if not authenticated(user):
        return false()
    # A non-correlated IN: the member's few co-authored ideas are read once per query,
    # not looked up for every row the list's index walk passes.
    coauthored = Idea.id.in_(select(IdeaCoauthor.idea_id).where(IdeaCoauthor.user_id == user.id))
    return or_(Idea.author_id == user.id, coauthored)


def visible_ideas(user):
    """A WHERE clause over Idea for listings, search, feeds and exports: exactly the
    ideas `can_view_idea` lets the user see (merged ones aside, which redirect)."""
    visible_challenge_ids = select(Challenge.id).where(visible_challenges(user))
    if not authenticated(user):
        return and_(Idea.challenge_id.in_(visible_challenge_ids), listed())
    managed = managed_challenges(user)
    shown = or_(listed(), authored_by(user))
    if managed is not None:
        shown = or_(shown, true() if managed is True
                    else Idea.challenge_id.in_(select(Challenge.id).where(managed)))
    return and_(Idea.challenge_id.in_(visible_challenge_ids), shown)


# -- predicates for one idea -----------------------------------------------------

def is_lead_author(user, idea: Idea) -> bool:
    return authenticated(user) and idea.author_id == user.id


def is_author(user, idea: Idea) -> bool:
    """The author or one of the co-authors (one query when not the lead author)."""
    if not authenticated(user):
        return False
    if idea.author_id == user.id:
        return True
    if "coauthors" in idea.__dict__:  # already loaded: no query
        return any(c.user_id == user.id for c in idea.coauthors)
    return db.session.scalar(select(IdeaCoauthor.user_id).where(
        IdeaCoauthor.idea_id == idea.id, IdeaCoauthor.user_id == user.id)) is not None


def can_view_idea(user, idea: Idea) -> bool:
    """True when the user may know the idea exists (else: 404)."""
    if not can_view(user, idea.challenge):
        return False
    if idea.hidden_at is None and statuses.is_public(idea.status):
        return True
    return is_author(user, idea) or can_manage(user, idea.challenge)


def can_moderate(user, idea: Idea) -> bool:
    return authenticated(user) and can_manage(user, idea.challenge)


def _phase_refusal(idea: Idea, action: str) -> str | None:
    return None if phases.allows(idea.challenge.phase, action) else phases.refusal(action)


def refusal(user, idea: Idea, action: str) -> str | None:
    """Why the user may not do `action` (see ACTIONS) to an idea they can see, translated;
    None when they may. Callers check `can_view_idea` first (unseen ideas are a 404)."""
    if action == "view":
        return None if can_view_idea(user, idea) else _("We could not find that idea.")
    if action == "moderate":
        return None if can_moderate(user, idea) else _("Only the challenge's staff can do this.")
    if action in ("vote", "compare"):
        if not authenticated(user):
            return _("Log in to vote.") if action == "vote" else _("Log in to compare ideas.")
        if (why := _phase_refusal(idea, action)):
            return why
        if idea.hidden_at is not None or idea.status not in statuses.VOTABLE:
            return _("This idea is not open for votes.")
        if not _verified(user):
            return _("Please confirm your email address to vote.")
        if is_author(user, idea):
            return _("You cannot vote on your own idea.") if action == "vote" \
                else _("You cannot judge your own idea.")
        return None
    if action == "comment":
        if not authenticated(user):
            return _("Log in to join the discussion.")
        if not _verified(user):
            return _("Please confirm your email address to comment.")
        if (why := _phase_refusal(idea, action)):
            return why
        if idea.status not in statuses.COMMENTABLE:
            return _("This idea is closed for comments.")
        return None
    if action == "edit":
        if not is_author(user, idea):
            return _("Only the idea's authors can edit it.")
        if (why := _phase_refusal(idea, action)):
            return why
        if idea.status != statuses.INITIAL or idea.hidden_at is not None:
            return _("This idea can no longer be edited.")
        return None
    if action == "withdraw":
        if not is_lead_author(user, idea):
            return _("Only the idea's author can withdraw it.")
        if (why := _phase_refusal(idea, action)):
            return why
        if idea.status not in statuses.WITHDRAWABLE:
            return _("This idea can no longer be withdrawn.")
        return None
    raise ValueError(f"unknown action {action!r}")


def can(user, idea: Idea, action: str) -> bool:
    return refusal(user, idea, action) is None


def check(user, idea: Idea, action: str) -> None:
    """Raise NotFound when the user may not know the idea exists, NotAllowed (403) when
    they may see it but not do `action`; return when they may."""
    if not can_view_idea(user, idea):
        raise NotFound(_("We could not find that idea."))
    why = refusal(user, idea, action)
    if why is not None:
        raise NotAllowed(why)


def row_vote_check(user, challenge: Challenge):
    """For list rows (plain rows, not ideas): a predicate telling whether the user's vote
    buttons are enabled, decided without a query per row. The same rule as
    refusal(..., "vote"), except that co-authorship is not known here: a co-author's
    vote is still refused when cast."""
    open_here = _verified(user) and phases.allows(challenge.phase, "vote")
    user_id = user.id if authenticated(user) else None

    def may_vote(row) -> bool:
        return bool(open_here and row.hidden_at is None and row.status in statuses.VOTABLE
                    and row.author_id != user_id)

    return may_vote


def can_compare_in(user, challenge: Challenge) -> str | None:
    """Why the user may not compare ideas in this challenge at all, or None."""
    if not authenticated(user):
        return _("Log in to compare ideas.")
    if not _verified(user):
        return _("Please log in with a confirmed email address to compare ideas.")
    if not phases.allows(challenge.phase, "compare"):
        return phases.refusal("compare")
    return None
