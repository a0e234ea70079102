"""Who may see and do what with prototypes. Visibility is focus_groups.policy's rule
(one privacy policy for both): a public prototype is seen with its challenge and its
idea, a group-only one exactly by those who see inside its focus group, and staff of
the challenge's company see all. A tester's feedback is read by staff and by the
tester who wrote it; everyone who sees the prototype sees the scores per iteration."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, or_, select, true

from ideas.challenges.models import Challenge
from ideas.challenges.policy import managed_challenges
from ideas.focus_groups import policy as group_policy
from ideas.prototypes.models import Prototype, TestFeedback
from ideas.submissions.models import Idea
from ideas.submissions.policy import authenticated

is_staff = group_policy.is_staff


def can_view(user, prototype: Prototype) -> bool:
    """True when the user may know the prototype exists (else 404)."""
    return group_policy.can_see_shared(user, prototype.challenge, prototype.visibility, prototype.focus_group_id,
                                       idea_visible=prototype.idea.hidden_at is None)


def visible_prototypes(user):
    """A WHERE clause over Prototype for every list: exactly what `can_view` allows."""
    shared = group_policy.shared_clause(user, visibility=Prototype.visibility, group_id=Prototype.focus_group_id,
                                        challenge_id=Prototype.challenge_id)
    shown_idea = Prototype.idea_id.in_(select(Idea.id).where(Idea.hidden_at.is_(None)))
    managed = managed_challenges(user)
    if managed is True:
        return true()
    if managed is None:
        return and_(shared, shown_idea)
    return or_(Prototype.challenge_id.in_(select(Challenge.id).where(managed)), and_(shared, shown_idea))


def can_read_feedback(user, feedback: TestFeedback, prototype: Prototype) -> bool:
    return is_staff(user, prototype.challenge) or (authenticated(user) and feedback.tester_id == user.id)


def signup_refusal(user, prototype: Prototype) -> str | None:
    """Why the user may not sign up to test at all (callers check `can_view` first)."""
    if not authenticated(user):
        return _("Log in to sign up as a tester.")
    if not getattr(user, "is_verified", False):
        return _("Please confirm your email address first.")
    if is_staff(user, prototype.challenge):
        return _("You run this challenge: testers are its members.")
    return None
