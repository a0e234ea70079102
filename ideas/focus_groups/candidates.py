"""Whom staff might invite to a focus group, each with the reasons shown:

- the authors and co-authors of the group's ideas;
- experts in the challenge's category: the `experts_in_category` provider (filled by
  the reputation module once expert status exists); until then, members with
  shortlisted (or further carried) ideas in challenges of that category;
- the judges who scored the group's ideas highest (submitted scorecards only);
- the challenge's most active contributors (ideas and comments).

People already invited or in the group, the challenge's staff, inactive accounts and
members who cannot see the challenge are never suggested.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from flask import current_app
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import func, select

from ideas.accounts.models import User
from ideas.challenges.models import Challenge
from ideas.challenges.policy import can_view
from ideas.core.i18n import number
from ideas.core.providers import Provider
from ideas.extensions import db
from ideas.focus_groups import policy, statuses
from ideas.focus_groups.models import FocusGroup, Membership
from ideas.focus_groups.services import group_ideas, require_staff
from ideas.judging.services import submitted_totals
from ideas.submissions.models import Comment, Idea, IdeaCoauthor

# (category, limit) -> [(user_id, reason shown to staff)], best first. create_app fills it
# with `shortlisted_in_category` until the reputation module provides expert status.
experts_in_category = Provider(
    "focus_groups.experts_in_category",
    "(category: str, limit: int) -> list[tuple[int, str]]: the category's experts, each with the reason")

CARRIED_ON = ("shortlisted", "selected", "prototyped", "winner")
PER_SOURCE = 8


@dataclass
class Candidate:
    user: User
    reasons: list[str] = field(default_factory=list)


def shortlisted_in_category(category: str, limit: int = PER_SOURCE) -> list[tuple[int, str]]:
    """The fallback for experts: members with the most shortlisted (or further carried)
    ideas in challenges of the category."""
    rows = db.session.execute(
        select(Idea.author_id, func.count(Idea.id).label("n"))
        .join(Challenge, Challenge.id == Idea.challenge_id)
        .where(Challenge.category == category, Idea.status.in_(CARRIED_ON), Idea.hidden_at.is_(None))
        .group_by(Idea.author_id).order_by(func.count(Idea.id).desc(), Idea.author_id).limit(limit)).all()
    return [(user_id, ngettext("%(num)d shortlisted idea in this category",
                               "%(num)d shortlisted ideas in this category", n)) for user_id, n in rows]


def _experts(category: str) -> list[tuple[int, str]]:
    if experts_in_category.is_filled(current_app):
        return [(uid, why or _("expert in this category")) for uid, why in experts_in_category(category, PER_SOURCE)]
    return shortlisted_in_category(category)


def _authors(ideas: list[Idea]) -> list[tuple[int, str]]:
    found = [(i.author_id, _("author of “%(title)s”", title=i.title)) for i in ideas]
    titles = {i.id: i.title for i in ideas}
    if ideas:
        for user_id, idea_id in db.session.execute(select(IdeaCoauthor.user_id, IdeaCoauthor.idea_id).where(
                IdeaCoauthor.idea_id.in_(list(titles))).order_by(IdeaCoauthor.idea_id, IdeaCoauthor.user_id)):
            found.append((user_id, _("co-author of “%(title)s”", title=titles[idea_id])))
    return found


def _top_judges(challenge: Challenge, ideas: list[Idea]) -> list[tuple[int, str]]:
    """For each idea of the group, the judge who gave it the highest total."""
    totals = submitted_totals(challenge)
    found = []
    for idea in ideas:
        scored = [(total, judge) for (judge, idea_id), total in totals.items() if idea_id == idea.id]
        if not scored:
            continue
        best = max(total for total, _judge in scored)
        for total, judge in sorted(scored, key=lambda s: s[1]):
            if total == best:
                found.append((judge, _("judge who scored “%(title)s” highest (%(score)s)", title=idea.title,
                                       score=number(total, 1))))
    return found


def _most_active(challenge: Challenge) -> list[tuple[int, str]]:
    ideas = dict(db.session.execute(
        select(Idea.author_id, func.count(Idea.id)).where(Idea.challenge_id == challenge.id, Idea.hidden_at.is_(None))
        .group_by(Idea.author_id)).all())
    comments = dict(db.session.execute(
        select(Comment.author_id, func.count(Comment.id)).join(Idea, Idea.id == Comment.idea_id)
        .where(Idea.challenge_id == challenge.id, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None))
        .group_by(Comment.author_id)).all())
    activity = defaultdict(int)
    for user_id, n in ideas.items():
        activity[user_id] += 3 * n  # an idea weighs more than a comment
    for user_id, n in comments.items():
        activity[user_id] += n
    best = sorted(activity, key=lambda u: (-activity[u], u))[:PER_SOURCE]
    return [(u, _("active in the challenge: %(ideas)s, %(comments)s",
                  ideas=ngettext("%(num)d idea", "%(num)d ideas", ideas.get(u, 0)),
                  comments=ngettext("%(num)d comment", "%(num)d comments", comments.get(u, 0)))) for u in best]


def suggest(actor, group: FocusGroup) -> list[Candidate]:
    """The suggestions for the group, each person once with all their reasons, in the
    order of the sources above (staff only)."""
    require_staff(actor, group.challenge)
    challenge = group.challenge
    ideas = group_ideas(group)
    pairs = _authors(ideas) + _experts(challenge.category) + _top_judges(challenge, ideas) + _most_active(challenge)
    taken = set(db.session.scalars(select(Membership.user_id).where(
        Membership.group_id == group.id, Membership.status.in_((statuses.INSIDE, statuses.PENDING)))))
    ids = list(dict.fromkeys(uid for uid, _why in pairs if uid not in taken))
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_(ids)))} if ids else {}
    found: dict[int, Candidate] = {}
    for uid, why in pairs:
        user = users.get(uid)
        if user is None or not user.active:
            continue
        if uid not in found:
            if policy.is_staff(user, challenge) or not can_view(user, challenge):
                users.pop(uid)
                continue
            found[uid] = Candidate(user)
        if why not in found[uid].reasons:
            found[uid].reasons.append(why)
    return list(found.values())
