"""The activity feed: what happened around the challenges, ideas, companies and
members a member follows, newest first, a page at a time.

Every fact worth a line is written as an Activity in its own transaction (receivers
below). Reading goes through the visibility policies in SQL (visible_challenges,
visible_ideas; hidden and deleted comments left out), so an invite-only challenge,
a hidden idea or a removed comment never shows in anyone's feed who may not see it.
A page is four queries whatever the size: the page, then the members, challenges
(with their companies) and ideas it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import and_, exists, or_, select

from ideas.accounts.models import User
from ideas.challenges import phases
from ideas.challenges.categories import category_label
from ideas.challenges.models import Challenge
from ideas.challenges.policy import visible_challenges
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.pagination import Page
from ideas.extensions import db
from ideas.notifications.follows import followed_ids
from ideas.notifications.models import Activity
from ideas.submissions import statuses
from ideas.submissions.models import Comment, Idea, IdeaDecision
from ideas.submissions.policy import visible_ideas

PER_PAGE = 20


def record(verb: str, *, actor_id=None, company_id=None, challenge_id=None, idea_id=None, comment_id=None,
           detail: str = "", at: datetime | None = None) -> Activity:
    activity = Activity(verb=verb, actor_id=actor_id, company_id=company_id, challenge_id=challenge_id,
                        idea_id=idea_id, comment_id=comment_id, detail=detail[:40], at=at or utcnow())
    db.session.add(activity)
    return activity


# -- receivers ------------------------------------------------------------------------------

def on_idea_submitted(idea, actor=None, **_kw):
    challenge = idea.challenge
    record("idea_submitted", actor_id=idea.author_id, company_id=challenge.company_id,
           challenge_id=challenge.id, idea_id=idea.id, at=idea.created_at)


def on_comment_posted(_sender, comment, **_kw):
    idea = db.session.get(Idea, comment.idea_id)
    record("commented", actor_id=comment.author_id, company_id=idea.challenge.company_id,
           challenge_id=idea.challenge_id, idea_id=idea.id, comment_id=comment.id, at=comment.created_at)


def on_idea_status_changed(_sender, idea, to_status=None, closing=False, **_kw):
    to_status = to_status or idea.status
    if closing or to_status not in statuses.RESULTS + ("declined",):
        return
    # The author is the one it happened to: their followers see it.
    record("idea_decided", actor_id=idea.author_id, company_id=idea.challenge.company_id,
           challenge_id=idea.challenge_id, idea_id=idea.id, detail=to_status)


def on_challenge_published(challenge, actor=None, **_kw):
    record("challenge_published", company_id=challenge.company_id, challenge_id=challenge.id,
           at=challenge.published_at)


def on_challenge_phase_changed(challenge, from_phase=None, to_phase=None, **_kw):
    if from_phase == "draft" or not to_phase:
        return
    record("phase_changed", company_id=challenge.company_id, challenge_id=challenge.id, detail=to_phase)


def on_expert_status_changed(_sender, user_id, category, held, **_kw):
    if held:
        record("became_expert", actor_id=user_id, detail=category)


_HANDLERS = (
    (events.idea_submitted, on_idea_submitted),
    (events.comment_posted, on_comment_posted),
    (events.idea_status_changed, on_idea_status_changed),
    (events.challenge_published, on_challenge_published),
    (events.challenge_phase_changed, on_challenge_phase_changed),
    (events.expert_status_changed, on_expert_status_changed),
)


def connect() -> None:
    for signal, handler in _HANDLERS:
        signal.connect(handler, weak=False)


def backfill() -> int:
    """Write the feed's history from the facts (ideas, comments, decisions, challenges
    and their phases), oldest first, into an empty activity table: for a site that
    had no feed yet, and the demo. Returns how many activities it wrote."""
    from sqlalchemy import func, insert, literal, null, union_all

    from ideas.challenges.models import PhaseTransition

    if db.session.scalar(select(func.count(Activity.id))):
        return 0
    text = Activity.__table__.c.detail.type
    none = null()
    parts = [
        select(literal("idea_submitted"), Idea.author_id, Challenge.company_id, Idea.challenge_id, Idea.id,
               none, literal("", text), Idea.created_at).join(Challenge, Challenge.id == Idea.challenge_id),
        select(literal("commented"), Comment.author_id, Challenge.company_id, Idea.challenge_id, Idea.id,
               Comment.id, literal("", text), Comment.created_at)
        .join(Idea, Idea.id == Comment.idea_id).join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Comment.deleted_at.is_(None)),
        select(literal("idea_decided"), Idea.author_id, Challenge.company_id, Idea.challenge_id, Idea.id,
               none, IdeaDecision.to_status, IdeaDecision.created_at)
        .join(Idea, Idea.id == IdeaDecision.idea_id).join(Challenge, Challenge.id == Idea.challenge_id)
        .where(IdeaDecision.to_status.in_(statuses.RESULTS + ("declined",))),
        select(literal("challenge_published"), none, Challenge.company_id, Challenge.id, none, none,
               literal("", text), Challenge.published_at)
        .where(Challenge.phase != "draft", Challenge.published_at.is_not(None)),
        select(literal("phase_changed"), none, Challenge.company_id, Challenge.id, none, none,
               PhaseTransition.to_phase, PhaseTransition.at)
        .join(Challenge, Challenge.id == PhaseTransition.challenge_id).where(PhaseTransition.from_phase != "draft"),
    ]
    history = union_all(*parts).subquery()
    columns = list(history.c)
    result = db.session.execute(insert(Activity).from_select(
        ["verb", "actor_id", "company_id", "challenge_id", "idea_id", "comment_id", "detail", "at"],
        select(*columns).order_by(columns[-1], columns[0])))
    return result.rowcount or 0


# -- reading ---------------------------------------------------------------------------------

def visible_activities(user):
    """A WHERE clause over Activity: what the user may see of it (correlated look-ups
    by primary key)."""
    challenge_ok = or_(Activity.challenge_id.is_(None), exists(select(Challenge.id).where(
        Challenge.id == Activity.challenge_id, visible_challenges(user))))
    idea_ok = or_(Activity.idea_id.is_(None), exists(select(Idea.id).where(
        Idea.id == Activity.idea_id, visible_ideas(user))))
    comment_ok = or_(Activity.comment_id.is_(None), exists(select(Comment.id).where(
        Comment.id == Activity.comment_id, Comment.hidden_at.is_(None), Comment.deleted_at.is_(None))))
    return and_(challenge_ok, idea_ok, comment_ok)


def followed_activities(user):
    """A WHERE clause over Activity: about something the user follows (not their own doing)."""
    return and_(
        or_(Activity.challenge_id.in_(followed_ids(user, "challenge")),
            Activity.idea_id.in_(followed_ids(user, "idea")),
            Activity.company_id.in_(followed_ids(user, "company")),
            Activity.actor_id.in_(followed_ids(user, "member"))),
        or_(Activity.actor_id.is_(None), Activity.actor_id != user.id))


@dataclass
class Line:
    """One feed line, ready to show: the text (in the viewer's language), where it leads."""

    id: int
    at: datetime
    icon: str
    text: str
    link: str | None
    actor: User | None


def feed_page(user, before: int | None = None, per_page: int = PER_PAGE) -> Page:
    """A page of the user's feed, newest first; `before`: the id the previous page ended
    at (keyset pagination: deep pages cost what the first costs)."""
    query = select(Activity).where(followed_activities(user), visible_activities(user))
    if before:
        query = query.where(Activity.id < before)
    rows = list(db.session.scalars(query.order_by(Activity.id.desc()).limit(per_page + 1)))
    shown = rows[:per_page]
    page = Page(items=_lines(shown), per_page=per_page, has_next=len(rows) > per_page, has_prev=bool(before))
    page.next_cursor = str(shown[-1].id) if page.has_next else None
    return page


def _lines(rows: list[Activity]) -> list[Line]:
    from ideas.core.links import path_to

    users = _by_id(User, {r.actor_id for r in rows})
    challenges = _by_id(Challenge, {r.challenge_id for r in rows})
    ideas = _by_id(Idea, {r.idea_id for r in rows})
    lines = []
    for r in rows:
        actor, challenge, idea = users.get(r.actor_id), challenges.get(r.challenge_id), ideas.get(r.idea_id)
        name = actor.display_name if actor else ""
        icon, link, text = "•", None, ""
        if idea is not None:
            link = path_to("submissions.show", idea_id=idea.id, slug=idea.slug)
        elif challenge is not None:
            link = path_to("challenges.show", challenge_id=challenge.id, slug=challenge.slug)
        if r.verb == "idea_submitted" and idea and challenge:
            icon, text = "💡", _('%(name)s submitted "%(idea)s" to "%(challenge)s".', name=name, idea=idea.title,
                                challenge=challenge.title)
        elif r.verb == "commented" and idea:
            icon, text = "💬", _('%(name)s commented on "%(idea)s".', name=name, idea=idea.title)
            link = f"{link}#comment-{r.comment_id}"
        elif r.verb == "idea_decided" and idea:
            icon = "🏆" if r.detail == "winner" else "⭐"
            text = _('"%(idea)s" by %(name)s is now %(status)s.', idea=idea.title, name=name,
                     status=statuses.label(r.detail).lower())
        elif r.verb == "challenge_published" and challenge:
            icon, text = "📣", _('%(company)s opened a new challenge: "%(challenge)s".',
                                company=challenge.company.name, challenge=challenge.title)
        elif r.verb == "phase_changed" and challenge:
            icon, text = "⏭", _('"%(challenge)s" moved on: %(phase)s.', challenge=challenge.title,
                                phase=phases.label(r.detail).lower())
        elif r.verb == "became_expert" and actor:
            icon, text = "★", _("%(name)s became an expert in %(category)s.", name=name,
                                category=category_label(r.detail))
            link = path_to("accounts.profile", username=actor.username)
        if text:
            lines.append(Line(r.id, r.at, icon, text, link, actor))
    return lines


def _by_id(model, ids) -> dict:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {row.id: row for row in db.session.scalars(select(model).where(model.id.in_(ids)))}
