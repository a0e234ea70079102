"""Following challenges, ideas, companies and members, and the notices followers get:
a followed company's new challenge, a followed challenge's next phase, a decision on
a followed idea, new comments on it (grouped). A follower hears only of what they may
see: an invite-only challenge reaches only those invited and its staff, a hidden idea
nobody who follows it.

Services add and flush; they never commit. Receivers write in the transaction of the
fact, in each follower's language.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import or_, select
from sqlalchemy.dialects import postgresql, sqlite

from ideas.accounts.models import User
from ideas.challenges import phases
from ideas.challenges.models import Challenge, ChallengeInvite
from ideas.challenges.policy import can_view
from ideas.companies.models import Company, CompanyMember
from ideas.core import events
from ideas.core.errors import Invalid, NotFound
from ideas.core.links import path_to
from ideas.extensions import db
from ideas.notifications.models import FOLLOW_KINDS, Follow
from ideas.notifications.services import notify
from ideas.submissions import statuses
from ideas.submissions.models import Idea
from ideas.submissions.policy import can_view_idea


def _authenticated(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False)


def _kind(kind: str) -> str:
    if kind not in FOLLOW_KINDS:
        raise Invalid(_("You can follow challenges, ideas, companies and members."), field="kind")
    return kind


def target(user, kind: str, target_id: int):
    """The thing to follow, or NotFound when it does not exist or `user` may not see it."""
    kind = _kind(kind)
    model = {"challenge": Challenge, "idea": Idea, "company": Company, "member": User}[kind]
    thing = db.session.get(model, target_id) if isinstance(target_id, int) else None
    visible = thing is not None and {
        "challenge": lambda: can_view(user, thing),
        "idea": lambda: can_view_idea(user, thing),
        "company": lambda: True,
        "member": lambda: thing.active,
    }[kind]()
    if not visible:
        raise NotFound(_("We could not find what you want to follow."))
    return thing


def follow(user, kind: str, target_id: int, now=None) -> None:
    """Follow something one may see (following it again changes nothing)."""
    if not _authenticated(user):
        raise NotFound(_("We could not find what you want to follow."))
    target(user, kind, target_id)
    if kind == "member" and target_id == user.id:
        raise Invalid(_("You cannot follow yourself."), field="kind")
    dialect = db.session.get_bind().dialect.name
    values = {"user_id": user.id, "target_kind": kind, "target_id": target_id}
    if now is not None:
        values["created_at"] = now
    stmt = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(Follow).values(**values)
    db.session.execute(stmt.on_conflict_do_nothing(index_elements=["user_id", "target_kind", "target_id"]))


def unfollow(user, kind: str, target_id: int) -> None:
    _kind(kind)
    if not _authenticated(user):
        return
    db.session.execute(Follow.__table__.delete().where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == target_id))


def is_following(user, kind: str, target_id: int) -> bool:
    if not _authenticated(user):
        return False
    return db.session.scalar(select(Follow.id).where(
        Follow.user_id == user.id, Follow.target_kind == kind, Follow.target_id == target_id)) is not None


def followed_ids(user, kind: str):
    """A subquery: the ids of the things of `kind` the user follows."""
    return select(Follow.target_id).where(Follow.user_id == user.id, Follow.target_kind == kind)


def following(user) -> dict[str, int]:
    """How many things of each kind the user follows."""
    from sqlalchemy import func

    if not _authenticated(user):
        return {}
    return dict(db.session.execute(select(Follow.target_kind, func.count()).where(Follow.user_id == user.id)
                                   .group_by(Follow.target_kind)).all())


# -- who of the followers may see it -----------------------------------------------------

def _may_see_challenge(challenge: Challenge):
    """A WHERE clause over User: who may see the challenge (the rule of
    challenges.policy.visible_challenges, for many members at once)."""
    if challenge.phase != "draft" and challenge.visibility == "public":
        return True
    staff = User.id.in_(select(CompanyMember.user_id).where(CompanyMember.company_id == challenge.company_id))
    if challenge.phase == "draft":
        return or_(User.is_admin.is_(True), staff)
    invited = User.id.in_(select(ChallengeInvite.user_id).where(ChallengeInvite.challenge_id == challenge.id))
    return or_(User.is_admin.is_(True), staff, invited)


def followers(kind: str, target_id: int, challenge: Challenge, *, skip=()) -> list[User]:
    """The active followers of a thing who may see `challenge`, fewest queries (one)."""
    query = (select(User).join(Follow, Follow.user_id == User.id)
             .where(Follow.target_kind == kind, Follow.target_id == target_id, User.active.is_(True))
             .order_by(User.id))
    audience = _may_see_challenge(challenge)
    if audience is not True:
        query = query.where(audience)
    if skip:
        query = query.where(User.id.not_in(list(skip)))
    return list(db.session.scalars(query))


def _tell(users, kind: str, link: str, text: Callable[[], str]) -> None:
    for user in users:
        with force_locale(user.locale or "en"):
            message = text()
        notify(user, kind, message, link)


def _idea_path(idea: Idea) -> str:
    return path_to("submissions.show", idea_id=idea.id, slug=idea.slug)


def _challenge_path(challenge: Challenge) -> str:
    return path_to("challenges.show", challenge_id=challenge.id, slug=challenge.slug)


def _public(idea: Idea) -> bool:
    return idea.hidden_at is None and statuses.is_public(idea.status)


# -- receivers --------------------------------------------------------------------------------

def on_challenge_published(challenge, actor=None, **_kw):
    """A followed company's new challenge (an invite-only one only to those invited)."""
    company = challenge.company or db.session.get(Company, challenge.company_id)
    title, name = challenge.title, company.name
    _tell(followers("company", company.id, challenge, skip=[actor.id] if actor is not None else ()),
          "followed_challenge", _challenge_path(challenge),
          lambda: _('%(company)s, which you follow, opened a new challenge: "%(title)s".', company=name, title=title))


def on_challenge_phase_changed(challenge, from_phase=None, to_phase=None, actor=None, **_kw):
    if from_phase == "draft" or to_phase is None:
        return  # publication: on_challenge_published tells the company's followers
    title = challenge.title
    label = phases.label(to_phase)
    _tell(followers("challenge", challenge.id, challenge, skip=[actor.id] if actor is not None else ()),
          "followed_phase", _challenge_path(challenge),
          lambda: _('The challenge "%(title)s", which you follow, moved on: %(phase)s.', title=title,
                    phase=label.lower()))


def on_idea_status_changed(_sender, idea, to_status=None, closing=False, **_kw):
    to_status = to_status or idea.status
    if closing or to_status not in statuses.RESULTS + ("declined",) or not _public(idea):
        return
    challenge = idea.challenge
    people = {idea.author_id, *(c.user_id for c in idea.coauthors)}
    title, label = idea.title, statuses.label(to_status).lower()
    _tell(followers("idea", idea.id, challenge, skip=people), "followed_decision", _idea_path(idea),
          lambda: _('The idea "%(title)s", which you follow, is now %(status)s.', title=title, status=label))


def on_comment_posted(_sender, comment, **_kw):
    """New comments on a followed idea (grouped while unread); not to the commenter, nor
    to the idea's authors, who hear of it already."""
    idea = db.session.get(Idea, comment.idea_id)
    if not _public(idea):
        return
    skip = {comment.author_id, idea.author_id, *(c.user_id for c in idea.coauthors)}
    title = idea.title
    _tell(followers("idea", idea.id, idea.challenge, skip=skip), "followed_comment",
          f"{_idea_path(idea)}#comment-{comment.id}",
          lambda: _('New comment on "%(title)s", which you follow.', title=title))


_HANDLERS = (
    (events.challenge_published, on_challenge_published),
    (events.challenge_phase_changed, on_challenge_phase_changed),
    (events.idea_status_changed, on_idea_status_changed),
    (events.comment_posted, on_comment_posted),
)


def connect() -> None:
    for signal, handler in _HANDLERS:
        signal.connect(handler, weak=False)

