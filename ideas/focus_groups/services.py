"""Focus group services: create a group for selected ideas, invite members, accept the
confidentiality agreement and join, leave or be removed, change the agreement, write
the synthesis, archive. Plain functions with an explicit actor and `now`; they check
every input before writing, add and flush, send events, raise the domain errors of
ideas.core.errors, and never commit.

The board (board.py), sessions (meetings.py), feedback rounds (feedback.py) and the
candidate suggestions (candidates.py) live beside this file; who sees what is policy.py's.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import selectinload

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, InvalidTransition, NotAllowed, NotFound
from ideas.core.pagination import Page, paginate_offset
from ideas.extensions import db
from ideas.focus_groups import policy, statuses
from ideas.focus_groups.models import (
    Agreement,
    AgreementAcceptance,
    FocusGroup,
    FocusGroupIdea,
    Membership,
)
from ideas.submissions.models import Idea

MAX_TITLE = 160
MAX_TEXT = 20000
MAX_SIZE = 500
MAX_IDEAS = 20
# The ideas a group may be made for: selected, or carried on since.
GROUP_IDEA_STATUSES = ("selected", "prototyped", "winner")
OPEN_PHASES = ("submission", "voting", "review", "refinement", "prototyping")


def require_staff(actor, challenge: Challenge) -> None:
    if not policy.is_staff(actor, challenge):
        raise NotAllowed(_("Only the challenge's staff can do this."))


def require_inside(actor, group: FocusGroup) -> None:
    """The actor sees inside the group (else: as if it did not exist)."""
    if not policy.can_see_inside(actor, group):
        raise NotFound(_("We could not find that focus group."))


def require_writable(actor, group: FocusGroup) -> None:
    """Inside, and the group takes new content (not archived, a confirmed email)."""
    require_inside(actor, group)
    why = policy.post_refusal(actor, group)
    if why:
        raise InvalidTransition(why) if group.archived_at is not None else NotAllowed(why)


def clean_text(value, field: str, *, required: bool = False, limit: int = MAX_TEXT,
               message: str | None = None) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Invalid(message or _("This field is required."), field=field)
    if len(value) > limit:
        raise Invalid(ngettext("Please write at most %(num)d character.", "Please write at most %(num)d characters.", limit), field=field)
    return value


def _date(value, field: str) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value or "").strip())
    except ValueError:
        raise Invalid(_("Enter a date such as 2027-03-01."), field=field) from None


def _size(value) -> int:
    try:
        size = int(str(value if value is not None else "").strip())
    except ValueError:
        raise Invalid(_("Enter a whole number of members."), field="size_limit") from None
    if not 1 <= size <= MAX_SIZE:
        raise Invalid(ngettext("A group has between 1 and %(num)d member.", "A group has between 1 and %(num)d members.", MAX_SIZE), field="size_limit")
    return size


def _dates(starts_on, ends_on) -> tuple[date, date]:
    start, end = _date(starts_on, "starts_on"), _date(ends_on, "ends_on")
    if end < start:
        raise Invalid(_("The group cannot end before it starts."), field="ends_on")
    return start, end


def selectable_ideas(challenge: Challenge) -> list[Idea]:
    """The challenge's ideas a group may be made for (selected or carried on since)."""
    return list(db.session.scalars(select(Idea).where(
        Idea.challenge_id == challenge.id, Idea.status.in_(GROUP_IDEA_STATUSES), Idea.hidden_at.is_(None))
        .order_by(Idea.id)))


def _group_ideas(challenge: Challenge, idea_ids) -> list[Idea]:
    try:
        ids = sorted({int(i) for i in (idea_ids or ())})
    except (TypeError, ValueError):
        raise Invalid(_("Choose the ideas from the list."), field="ideas") from None
    if not ids:
        raise Invalid(_("Choose at least one selected idea."), field="ideas")
    if len(ids) > MAX_IDEAS:
        raise Invalid(ngettext("A group refines at most %(num)d idea.", "A group refines at most %(num)d ideas.", MAX_IDEAS), field="ideas")
    found = {i.id: i for i in selectable_ideas(challenge) if i.id in ids}
    if len(found) != len(ids):
        raise Invalid(_("Only the challenge's selected ideas can go to a focus group."), field="ideas")
    return [found[i] for i in ids]


# -- the group --------------------------------------------------------------------

def create_group(actor, challenge: Challenge, *, title: str, purpose: str, agreement: str, size_limit,
                 starts_on, ends_on, idea_ids, now=None) -> FocusGroup:
    """Staff create a group for one or more selected ideas of a published, open
    challenge, with its purpose, agreement (version 1), size limit and dates."""
    require_staff(actor, challenge)
    if challenge.phase not in OPEN_PHASES:
        raise InvalidTransition(_("Focus groups are made while a challenge is open, not once it is closed."))
    title = clean_text(title, "title", required=True, limit=MAX_TITLE, message=_("Give the group a name."))
    purpose = clean_text(purpose, "purpose", required=True, message=_("Say what the group is for."))
    agreement = clean_text(agreement, "agreement", required=True,
                           message=_("Write the confidentiality agreement members accept."))
    size = _size(size_limit)
    start, end = _dates(starts_on, ends_on)
    ideas = _group_ideas(challenge, idea_ids)
    now = now or utcnow()
    group = FocusGroup(challenge_id=challenge.id, title=title, purpose=purpose, size_limit=size,
                       starts_on=start, ends_on=end, agreement_version=1, created_by_id=actor.id,
                       created_at=now, updated_at=now)
    db.session.add(group)
    db.session.flush()
    for idea in ideas:
        group.ideas.append(FocusGroupIdea(idea_id=idea.id))
    db.session.add(Agreement(group_id=group.id, version=1, text=agreement, created_by_id=actor.id, created_at=now))
    db.session.flush()
    return group


def edit_group(actor, group: FocusGroup, *, title: str, purpose: str, size_limit, starts_on, ends_on,
               now=None) -> FocusGroup:
    """Staff change the name, purpose, size limit (never below the members in it) and dates."""
    require_staff(actor, group.challenge)
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived: it is read-only."))
    title = clean_text(title, "title", required=True, limit=MAX_TITLE, message=_("Give the group a name."))
    purpose = clean_text(purpose, "purpose", required=True, message=_("Say what the group is for."))
    size = _size(size_limit)
    if size < group.member_count:
        raise Invalid(ngettext("The group has %(num)d member already: the limit cannot be lower.",
                                "The group has %(num)d members already: the limit cannot be lower.", group.member_count),
                      field="size_limit")
    start, end = _dates(starts_on, ends_on)
    group.title, group.purpose, group.size_limit = title, purpose, size
    group.starts_on, group.ends_on = start, end
    group.updated_at = now or utcnow()
    db.session.flush()
    return group


def current_agreement(group: FocusGroup) -> Agreement:
    return db.session.scalar(select(Agreement).where(Agreement.group_id == group.id,
                                                     Agreement.version == group.agreement_version))


def change_agreement(actor, group: FocusGroup, text: str, now=None) -> Agreement:
    """A new version of the agreement: every member accepts it again before their next
    visit inside. The same text again changes nothing."""
    require_staff(actor, group.challenge)
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived: it is read-only."))
    text = clean_text(text, "agreement", required=True,
                      message=_("Write the confidentiality agreement members accept."))
    current = current_agreement(group)
    if current is not None and current.text == text:
        return current
    now = now or utcnow()
    group.agreement_version += 1
    agreement = Agreement(group_id=group.id, version=group.agreement_version, text=text,
                          created_by_id=actor.id, created_at=now)
    db.session.add(agreement)
    group.updated_at = now
    db.session.flush()
    return agreement


def archive(actor, group: FocusGroup, now=None) -> FocusGroup:
    """The group becomes read-only; its members still see it."""
    require_staff(actor, group.challenge)
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived already."))
    group.archived_at = now or utcnow()
    db.session.flush()
    return group


def write_synthesis(actor, group: FocusGroup, text: str, public: bool = False, now=None) -> FocusGroup:
    """What the group found, shown on its ideas' pages to whoever sees the group, and to
    everyone when `public`."""
    require_staff(actor, group.challenge)
    text = clean_text(text, "synthesis")
    if public and not text:
        raise Invalid(_("Write the synthesis before publishing it."), field="synthesis")
    group.synthesis = text
    group.synthesis_public = bool(public) and bool(text)
    group.synthesis_at = now or utcnow()
    group.synthesis_by_id = actor.id
    db.session.flush()
    return group


# -- invitations and membership ------------------------------------------------------

def _find_user(who) -> User:
    if isinstance(who, User):
        return who
    who = (str(who or "")).strip()
    if not who:
        raise Invalid(_("Enter the member's username or email address."), field="member")
    user = db.session.scalar(select(User).where(or_(User.username == who, User.email == who.lower())))
    if user is None or not user.active:
        raise Invalid(_("No member has that username or email address."), field="member")
    return user


def invite(actor, group: FocusGroup, who, reason: str = "", now=None) -> Membership:
    """Invite a member (a User, a username or an email); someone invited already or in
    the group may not be invited, someone who declined, left or was removed may be."""
    require_staff(actor, group.challenge)
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived: it is read-only."))
    user = _find_user(who)
    reason = clean_text(reason, "reason", limit=300)
    if policy.is_staff(user, group.challenge):
        raise Invalid(_("%(name)s runs this challenge and sees the group already.", name=user.display_name),
                      field="member")
    if not can_view(user, group.challenge):
        raise Invalid(_("%(name)s cannot see this invite-only challenge: invite them to the challenge first.",
                        name=user.display_name), field="member")
    row = db.session.scalar(select(Membership).where(Membership.group_id == group.id,
                                                     Membership.user_id == user.id))
    if row is not None and not statuses.may_invite(row.status):
        message = (_("%(name)s is in the group already.", name=user.display_name) if row.status == statuses.INSIDE
                   else _("%(name)s is invited already.", name=user.display_name))
        raise Invalid(message, field="member")
    now = now or utcnow()
    if row is None:
        row = Membership(group_id=group.id, user_id=user.id)
        db.session.add(row)
    row.status = statuses.PENDING
    row.reason = reason
    row.invited_by_id = actor.id
    row.invited_at = now
    row.responded_at = row.joined_at = row.left_at = None
    row.removed_by_id = None
    db.session.flush()
    events.focus_group_invited.send(group, group=group, membership=row, user=user, actor=actor)
    return row


def _accept_version(group: FocusGroup, version) -> Agreement:
    try:
        version = int(version)
    except (TypeError, ValueError):
        version = -1
    if version != group.agreement_version:
        raise InvalidTransition(_("The agreement changed while you were reading it: please read the new version."),
                                field="agree")
    return current_agreement(group)


def _record_acceptance(user, group: FocusGroup, agreement: Agreement, now) -> AgreementAcceptance:
    acceptance = AgreementAcceptance(group_id=group.id, user_id=user.id, version=agreement.version,
                                     agreement_id=agreement.id, accepted_at=now)
    db.session.add(acceptance)
    return acceptance


def respond(user, group: FocusGroup, accept: bool, *, agreed: bool = False, version=None,
            now=None) -> Membership:
    """The invitee declines, or accepts: joining means accepting the agreement (the
    version they read, recorded with the time), and a place under the size limit."""
    row = policy.membership_of(user, group)
    if row is None or row.status != statuses.PENDING or not can_view(user, group.challenge):
        raise NotFound(_("We could not find that invitation."))
    now = now or utcnow()
    if not accept:
        row.status = "declined"
        row.responded_at = now
        db.session.flush()
        return row
    if group.archived_at is not None:
        raise InvalidTransition(_("This focus group is archived: it takes no new members."))
    if not agreed:
        raise Invalid(_("Accept the confidentiality agreement to join."), field="agree")
    agreement = _accept_version(group, version)
    # The place is taken by a conditional UPDATE: two invitees accepting the last place
    # at once cannot both get it.
    taken = db.session.execute(
        update(FocusGroup).where(FocusGroup.id == group.id, FocusGroup.member_count < FocusGroup.size_limit)
        .values(member_count=FocusGroup.member_count + 1).execution_options(synchronize_session=False))
    if taken.rowcount != 1:
        raise Invalid(_("The group is full: every place is taken."), field="agree")
    db.session.refresh(group, ["member_count"])
    row.status = statuses.INSIDE
    row.responded_at = row.joined_at = now
    if not policy.has_accepted(user, group, agreement.version):
        _record_acceptance(user, group, agreement, now)
    db.session.flush()
    events.focus_group_joined.send(group, group=group, membership=row, user=user)
    return row


def accept_agreement(user, group: FocusGroup, *, agreed: bool, version, now=None) -> AgreementAcceptance:
    """A member accepts the current version of a changed agreement before going inside."""
    if policy.access(user, group) not in (policy.AGREEMENT, policy.INSIDE):
        raise NotFound(_("We could not find that focus group."))
    if not agreed:
        raise Invalid(_("Accept the confidentiality agreement to go on."), field="agree")
    agreement = _accept_version(group, version)
    if policy.has_accepted(user, group, agreement.version):
        raise InvalidTransition(_("You accepted this version already."))
    acceptance = _record_acceptance(user, group, agreement, now or utcnow())
    db.session.flush()
    return acceptance


def _leave(row: Membership, group: FocusGroup, status: str, now, actor=None) -> None:
    if row.status == statuses.INSIDE:
        db.session.execute(update(FocusGroup).where(FocusGroup.id == group.id)
                           .values(member_count=FocusGroup.member_count - 1)
                           .execution_options(synchronize_session=False))
        db.session.refresh(group, ["member_count"])
    row.status = status
    row.left_at = now
    row.removed_by_id = actor.id if actor is not None else None
    db.session.flush()


def leave(user, group: FocusGroup, now=None) -> Membership:
    """A member leaves; from then on they see nothing of the group."""
    row = policy.membership_of(user, group)
    if row is None or row.status != statuses.INSIDE:
        raise NotFound(_("We could not find that focus group."))
    _leave(row, group, "left", now or utcnow())
    return row


def remove_member(actor, group: FocusGroup, membership: Membership, now=None) -> Membership:
    """Staff remove a member, or withdraw an invitation."""
    require_staff(actor, group.challenge)
    if membership.group_id != group.id or membership.status not in (statuses.INSIDE, statuses.PENDING):
        raise InvalidTransition(_("This person is not in the group."))
    _leave(membership, group, "removed", now or utcnow(), actor)
    return membership


# -- what pages show -------------------------------------------------------------------

def challenge_groups(user, challenge: Challenge) -> list[FocusGroup]:
    """The challenge's groups the user may know of."""
    return list(db.session.scalars(select(FocusGroup).where(
        FocusGroup.challenge_id == challenge.id, policy.visible_groups(user)).order_by(FocusGroup.id)))


def my_groups(user, page: int = 1) -> Page:
    """The groups a member is in or invited to, and the staff's groups, newest first."""
    query = (select(FocusGroup).where(policy.visible_groups(user))
             .options(selectinload(FocusGroup.challenge)).order_by(FocusGroup.id.desc()))
    return paginate_offset(query, page, 20, db.session)


def my_memberships(user, group_ids) -> dict[int, Membership]:
    if not policy.authenticated(user) or not group_ids:
        return {}
    return {m.group_id: m for m in db.session.scalars(select(Membership).where(
        Membership.user_id == user.id, Membership.group_id.in_(list(group_ids))))}


def members(group: FocusGroup, statuses_shown=(statuses.INSIDE,)) -> list[Membership]:
    return list(db.session.scalars(
        select(Membership).where(Membership.group_id == group.id, Membership.status.in_(statuses_shown))
        .options(selectinload(Membership.user)).order_by(Membership.joined_at, Membership.invited_at, Membership.id)))


def group_ideas(group: FocusGroup) -> list[Idea]:
    return list(db.session.scalars(select(Idea).join(FocusGroupIdea, FocusGroupIdea.idea_id == Idea.id)
                                   .where(FocusGroupIdea.group_id == group.id).order_by(Idea.id)))


def nav_entry(user) -> dict | None:
    """The navigation's "Focus groups" link, for members of a group, invitees and staff
    who run one (None: no link); one query."""
    if not policy.authenticated(user):
        return None
    invited = and_(Membership.group_id == FocusGroup.id, Membership.user_id == user.id,
                   Membership.status == statuses.PENDING)
    groups, pending = db.session.execute(
        select(func.count(FocusGroup.id), func.count(Membership.id)).select_from(FocusGroup)
        .outerjoin(Membership, invited).where(policy.visible_groups(user))).one()
    if not groups:
        return None
    return {"groups": groups, "invited": pending}
