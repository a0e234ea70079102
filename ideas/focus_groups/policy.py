"""Who may see what of a focus group, and of a prototype shown only to its group: the
one place these rules live (prototypes.policy reads its visibility rule from here).

- The staff of the challenge's company (or an admin: `can_manage`) see and run
  everything, without an agreement (the agreement is the company's).
- A member (membership status "member") sees inside only once they have accepted the
  group's current agreement; until then they see the agreement and nothing else.
- An invitee sees the invitation: the group's title, its challenge and the agreement.
- Everyone else, a member of another group of the same challenge, a former member
  (left, removed), someone who declined and the staff of another company included,
  learns nothing: 404 on every page and fragment, and no row in any list.

A prototype is public (whoever sees its challenge and idea) or shown only to its
focus group: then exactly to those who may see inside the group.

Each rule is a predicate for one thing and a SQL clause for lists, feeds, search,
the API and exports (`visible_groups`, `inside_group_ids`, `shared_clause`).
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select, true

from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_manage, can_view, managed_challenges, visible_challenges
from ideas.extensions import db
from ideas.focus_groups import statuses
from ideas.focus_groups.models import AgreementAcceptance, FocusGroup, Membership
from ideas.submissions.policy import authenticated

STAFF, INSIDE, AGREEMENT, INVITED = "staff", "inside", "agreement", "invited"


def is_staff(user, challenge: Challenge) -> bool:
    return authenticated(user) and can_manage(user, challenge)


def membership_of(user, group: FocusGroup) -> Membership | None:
    if not authenticated(user):
        return None
    return db.session.scalar(select(Membership).where(Membership.group_id == group.id,
                                                      Membership.user_id == user.id))


def has_accepted(user, group: FocusGroup, version: int | None = None) -> bool:
    """The user accepted this version (default: the current one) of the agreement."""
    if not authenticated(user):
        return False
    version = group.agreement_version if version is None else version
    return db.session.scalar(select(AgreementAcceptance.id).where(
        AgreementAcceptance.group_id == group.id, AgreementAcceptance.user_id == user.id,
        AgreementAcceptance.version == version)) is not None


def access(user, group: FocusGroup) -> str | None:
    """What the user may see of the group: STAFF (everything), INSIDE (a member who
    accepted the current agreement), AGREEMENT (a member who must accept it first),
    INVITED (the invitation), or None (nothing: 404)."""
    if not authenticated(user):
        return None
    if is_staff(user, group.challenge):
        return STAFF
    if not can_view(user, group.challenge):
        return None
    row = membership_of(user, group)
    if row is None:
        return None
    if row.status == statuses.PENDING:
        return INVITED
    if row.status != statuses.INSIDE:
        return None
    return INSIDE if has_accepted(user, group) else AGREEMENT


def can_know(user, group: FocusGroup) -> bool:
    """The user may know the group exists (else 404)."""
    return access(user, group) is not None


def can_see_inside(user, group: FocusGroup) -> bool:
    return access(user, group) in (STAFF, INSIDE)


def post_refusal(user, group: FocusGroup) -> str | None:
    """Why the user may not write in the group (post, answer, sign up), or None.
    Callers check `can_see_inside` first."""
    if group.archived_at is not None:
        return _("This focus group is archived: it is read-only.")
    if not getattr(user, "is_verified", False):
        return _("Please confirm your email address first.")
    return None


# -- SQL clauses ---------------------------------------------------------------

def _managed_group_clause(user):
    managed = managed_challenges(user)
    if managed is None:
        return None
    if managed is True:
        return true()
    return FocusGroup.challenge_id.in_(select(Challenge.id).where(managed))


def visible_groups(user):
    """A WHERE clause over FocusGroup: the groups the user may know exist (staff: their
    challenges' groups; members and invitees: their own)."""
    if not authenticated(user):
        return false()
    mine = FocusGroup.id.in_(select(Membership.group_id).where(
        Membership.user_id == user.id, Membership.status.in_((statuses.INSIDE, statuses.PENDING))))
    managed = _managed_group_clause(user)
    return mine if managed is None else or_(managed, mine)


def _accepted_member_group_ids(user):
    return (select(Membership.group_id)
            .join(FocusGroup, FocusGroup.id == Membership.group_id)
            .join(AgreementAcceptance, and_(AgreementAcceptance.group_id == Membership.group_id,
                                            AgreementAcceptance.user_id == Membership.user_id,
                                            AgreementAcceptance.version == FocusGroup.agreement_version))
            .where(Membership.user_id == user.id, Membership.status == statuses.INSIDE))


def inside_group_ids(user):
    """A SELECT of the ids of the groups whose inside the user sees: managed ones, and
    those where they are a member who accepted the current agreement."""
    if not authenticated(user):
        return select(FocusGroup.id).where(false())
    managed = _managed_group_clause(user)
    members = FocusGroup.id.in_(_accepted_member_group_ids(user))
    return select(FocusGroup.id).where(members if managed is None else or_(managed, members))


def readers(group: FocusGroup) -> list[int]:
    """The members (not staff) who see inside the group now: whom its news may reach."""
    return list(db.session.scalars(
        select(Membership.user_id).join(AgreementAcceptance, and_(
            AgreementAcceptance.group_id == Membership.group_id, AgreementAcceptance.user_id == Membership.user_id,
            AgreementAcceptance.version == group.agreement_version))
        .where(Membership.group_id == group.id, Membership.status == statuses.INSIDE)
        .order_by(Membership.user_id)))


# -- things shown to the public or only to a group (prototypes) ----------------

def can_see_shared(user, challenge: Challenge, visibility: str, group_id: int | None,
                   idea_visible: bool = True) -> bool:
    """A thing of `challenge` that is "public" (seen with its challenge and idea) or
    "group" (seen exactly by those who see inside group `group_id`)."""
    if is_staff(user, challenge):
        return True
    if not can_view(user, challenge):
        return False
    if visibility == "public":
        return idea_visible
    if group_id is None or not authenticated(user):
        return False
    group = db.session.get(FocusGroup, group_id)
    return group is not None and access(user, group) == INSIDE


def shared_clause(user, *, visibility, group_id, challenge_id):
    """The SQL form of `can_see_shared`, over the given columns (the caller also
    filters by the idea's visibility)."""
    seen_challenges = select(Challenge.id).where(visible_challenges(user))
    public = and_(visibility == "public", challenge_id.in_(seen_challenges))
    if not authenticated(user):
        return public
    managed = managed_challenges(user)
    in_group = and_(visibility == "group", group_id.in_(inside_group_ids(user)),
                    challenge_id.in_(seen_challenges))
    shown = or_(public, in_group)
    if managed is True:
        return true()
    if managed is not None:
        shown = or_(shown, challenge_id.in_(select(Challenge.id).where(managed)))
    return shown
