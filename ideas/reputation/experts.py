"""Expert status per category: each member's record read from the ledger and the
moderation facts, the daily review that grants and lapses it by the rules
(rules.py), staff's grants and revocations with their reasons, and who the experts
of a category are (for the badge beside names, the idea page and focus groups).

Services add and flush; they never commit.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from flask import g, has_request_context
from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import event, func, select, union_all

from ideas.accounts.models import User
from ideas.challenges.categories import CATEGORIES, category_label
from ideas.core import events
from ideas.core.db import utcnow
from ideas.core.errors import Invalid, NotAllowed, NotFound
from ideas.extensions import cache, db
from ideas.reputation import policy, rules
from ideas.reputation.models import ExpertStatus, ExpertStatusChange, PointEntry
from ideas.submissions.models import Comment, Idea

OUTCOME_RULES = tuple(r for r, rule in rules.RULES.items() if rule.outcome)
MAX_REASON = 1000


# -- records ---------------------------------------------------------------------------

def _points_by_category(now: datetime, user_ids=None):
    query = (select(PointEntry.user_id, PointEntry.category, func.sum(PointEntry.points))
             .where(PointEntry.category.is_not(None), PointEntry.at >= rules.window_start(now))
             .group_by(PointEntry.user_id, PointEntry.category))
    if user_ids is not None:
        query = query.where(PointEntry.user_id.in_(user_ids))
    return {(u, c): int(p or 0) for u, c, p in db.session.execute(query)}


def _outcomes_by_category(user_ids=None):
    query = (select(PointEntry.user_id, PointEntry.category, func.count(func.distinct(PointEntry.idea_id)))
             .where(PointEntry.category.is_not(None), PointEntry.reason.in_(OUTCOME_RULES))
             .group_by(PointEntry.user_id, PointEntry.category))
    if user_ids is not None:
        query = query.where(PointEntry.user_id.in_(user_ids))
    return {(u, c): int(n) for u, c, n in db.session.execute(query)}


def _hidden_recently(now: datetime, user_ids=None) -> dict[int, int]:
    """Ideas and comments of each member hidden by moderators within the clean window."""
    since = rules.clean_since(now)
    ideas = select(Idea.author_id.label("uid")).where(Idea.hidden_at >= since)
    comments = select(Comment.author_id.label("uid")).where(Comment.hidden_at >= since)
    if user_ids is not None:
        ideas = ideas.where(Idea.author_id.in_(user_ids))
        comments = comments.where(Comment.author_id.in_(user_ids))
    both = union_all(ideas, comments).subquery()
    return {u: int(n) for u, n in db.session.execute(select(both.c.uid, func.count()).group_by(both.c.uid))}


def category_records(user_id: int, now: datetime | None = None) -> list[rules.CategoryRecord]:
    """The member's record in every category they have points or an outcome in (three queries)."""
    now = now or utcnow()
    points = _points_by_category(now, [user_id])
    outcomes = _outcomes_by_category([user_id])
    hidden = _hidden_recently(now, [user_id]).get(user_id, 0)
    categories = sorted({c for _u, c in points} | {c for _u, c in outcomes})
    return [rules.CategoryRecord(c, points.get((user_id, c), 0), outcomes.get((user_id, c), 0), hidden)
            for c in categories]


def category_record(user_id: int, category: str, now: datetime | None = None) -> rules.CategoryRecord:
    for record in category_records(user_id, now):
        if record.category == category:
            return record
    now = now or utcnow()
    return rules.CategoryRecord(category, 0, 0, _hidden_recently(now, [user_id]).get(user_id, 0))


# -- changing status -------------------------------------------------------------------

_CHANGED = "reputation.experts_changed"


def _status(user_id: int, category: str) -> ExpertStatus | None:
    return db.session.scalar(select(ExpertStatus).where(ExpertStatus.user_id == user_id,
                                                        ExpertStatus.category == category))


def _apply(status: ExpertStatus | None, user_id: int, category: str, action: str, *, now: datetime,
           actor=None, reason: str = "", override: str | None | type = ..., record=None) -> ExpertStatus:
    """Write one change of status (granted, lapsed, revoked) with its history line, and
    announce it."""
    if status is None:
        status = ExpertStatus(user_id=user_id, category=category, held=False)
        db.session.add(status)
    was_held = status.held
    status.held = action == "granted"
    status.since = now if status.held and not was_held else (status.since if status.held else None)
    status.reviewed_at = now
    if override is not ...:
        status.override = override
    db.session.add(ExpertStatusChange(user_id=user_id, category=category, action=action,
                                      actor_id=actor.id if actor is not None else None, reason=reason, at=now))
    db.session.flush()
    db.session.info[_CHANGED] = True
    if status.held != was_held:
        events.expert_status_changed.send(status, user_id=user_id, category=category, held=status.held,
                                          action=action, reason=reason, actor=actor)
    return status


def _rules_reason(record: rules.CategoryRecord, granted: bool) -> str:
    """The history line of a decision by the rules (English: it is an audit record)."""
    if granted:
        return (f"By the rules: {record.points} points in {record.category} over 24 months, "
                f"{record.outcomes} idea(s) shortlisted or better, nothing hidden in 90 days.")
    missing = ", ".join(n.what for n in rules.expert_needs(record))
    return f"By the rules: no longer met ({missing})."


def review_member(user_id: int, category: str | None, now: datetime | None = None) -> str:
    """Apply the rules to one member in one category now; returns "grant", "lapse" or "keep"."""
    if not category:
        return "keep"
    now = now or utcnow()
    record = category_record(user_id, category, now)
    status = _status(user_id, category)
    decision = rules.review(rules.meets_expert_rules(record), bool(status and status.held),
                            status.override if status else None)
    if decision == "grant":
        _apply(status, user_id, category, "granted", now=now, reason=_rules_reason(record, True))
    elif decision == "lapse":
        _apply(status, user_id, category, "lapsed", now=now, reason=_rules_reason(record, False))
    elif status is not None:
        status.reviewed_at = now
    return decision


def review_categories_of(user_id: int, now: datetime | None = None) -> None:
    """Apply the rules to every category the member holds or earned points in (after
    something that may end their status, such as content hidden by moderators)."""
    now = now or utcnow()
    held = set(db.session.scalars(select(ExpertStatus.category).where(ExpertStatus.user_id == user_id,
                                                                      ExpertStatus.held.is_(True))))
    for category in held | {r.category for r in category_records(user_id, now)}:
        review_member(user_id, category, now)


def review_all(now: datetime | None = None, progress: Callable[[int], None] | None = None) -> dict[str, int]:
    """The daily review: every member with points in a category, and every status held,
    measured against the rules in a fixed number of queries; returns counts of grants,
    lapses and unchanged."""
    now = now or utcnow()
    points = _points_by_category(now)
    outcomes = _outcomes_by_category()
    hidden = _hidden_recently(now)
    statuses = {(s.user_id, s.category): s for s in db.session.scalars(select(ExpertStatus))}
    pairs = sorted(set(points) | set(outcomes) | set(statuses))
    counts = {"grant": 0, "lapse": 0, "keep": 0}
    for user_id, category in pairs:
        record = rules.CategoryRecord(category, points.get((user_id, category), 0),
                                      outcomes.get((user_id, category), 0), hidden.get(user_id, 0))
        status = statuses.get((user_id, category))
        decision = rules.review(rules.meets_expert_rules(record), bool(status and status.held),
                                status.override if status else None)
        if decision == "grant":
            _apply(status, user_id, category, "granted", now=now, reason=_rules_reason(record, True))
        elif decision == "lapse":
            _apply(status, user_id, category, "lapsed", now=now, reason=_rules_reason(record, False))
        elif status is not None:
            status.reviewed_at = now
        counts[decision] += 1
        if progress is not None:
            progress(1)
    db.session.flush()
    return counts


def _check_staff_change(actor, member: User, category: str, reason: str) -> str:
    if category not in CATEGORIES:
        raise Invalid(_("Choose one of the categories."), field="category")
    if not policy.can_manage_experts(actor, category):
        raise NotAllowed(_("Only site admins and the staff of companies with challenges in this category can "
                           "change expert status there."))
    if member is None or not member.active:
        raise NotFound(_("We could not find that member."))
    reason = (reason or "").strip()
    if len(reason) < 10:
        raise Invalid(ngettext("Please give a reason of at least %(num)d character; it is kept in the history.",
                                "Please give a reason of at least %(num)d characters; it is kept in the history.", 10),
                      field="reason")
    if len(reason) > MAX_REASON:
        raise Invalid(_("Please write at most %(n)d characters.", n=MAX_REASON), field="reason")
    return reason


def grant(actor, member: User, category: str, reason: str, now: datetime | None = None) -> ExpertStatus:
    """Staff or an admin grant expert status, whatever the rules say, until revoked."""
    reason = _check_staff_change(actor, member, category, reason)
    status = _status(member.id, category)
    if status is not None and status.held and status.override == "granted":
        raise Invalid(_("%(name)s is an expert in this category already.", name=member.display_name),
                      field="category")
    return _apply(status, member.id, category, "granted", now=now or utcnow(), actor=actor, reason=reason,
                  override="granted")


def revoke(actor, member: User, category: str, reason: str, now: datetime | None = None) -> ExpertStatus:
    """Staff or an admin revoke expert status; the rules do not give it back until
    staff grant it again."""
    reason = _check_staff_change(actor, member, category, reason)
    status = _status(member.id, category)
    if status is None or (not status.held and status.override == "revoked"):
        raise Invalid(_("%(name)s holds no expert status in this category.", name=member.display_name),
                      field="category")
    return _apply(status, member.id, category, "revoked", now=now or utcnow(), actor=actor, reason=reason,
                  override="revoked")


def history(member_id: int, limit: int = 50) -> list[ExpertStatusChange]:
    return list(db.session.scalars(
        select(ExpertStatusChange).where(ExpertStatusChange.user_id == member_id)
        .order_by(ExpertStatusChange.at.desc(), ExpertStatusChange.id.desc()).limit(limit)))


# -- who the experts are ---------------------------------------------------------------

MAP_KEY = "reputation:experts"
MAP_MAX_AGE = 60  # seconds; without Redis each process keeps its own copy this long


def expert_map() -> dict[int, tuple[str, ...]]:
    """Member id -> the categories they are an expert in: one query, then cached (shared
    with Redis) until a change of status is committed; memoized for the request."""
    if has_request_context() and "expert_map" in g:
        return g.expert_map
    found = cache.get(MAP_KEY)
    if found is None:
        by_user: dict[int, list[str]] = defaultdict(list)
        for user_id, category in db.session.execute(
                select(ExpertStatus.user_id, ExpertStatus.category).where(ExpertStatus.held.is_(True))
                .order_by(ExpertStatus.user_id, ExpertStatus.category)):
            by_user[user_id].append(category)
        found = {u: tuple(c) for u, c in by_user.items()}
        cache.set(MAP_KEY, found, timeout=MAP_MAX_AGE)
    if has_request_context():
        g.expert_map = found
    return found


def expert_categories(user_id: int) -> tuple[str, ...]:
    return expert_map().get(user_id, ())


def expert_ids(category: str) -> list[int]:
    return sorted(u for u, cats in expert_map().items() if category in cats)


def member_badges(user_id: int) -> Markup:
    """The expert badge beside a member's name, naming their categories (empty when none)."""
    categories = expert_categories(user_id)
    if not categories:
        return Markup("")
    names = ", ".join(category_label(c) for c in categories)
    title = _("Expert in %(categories)s", categories=names)
    return Markup('<span class="badge rounded-pill expert-badge ms-1" title="{title}">'
                  '<span aria-hidden="true">★</span> {label}<span class="visually-hidden">: {names}</span>'
                  '</span>').format(title=title, label=_("Expert"), names=escape(names))


def experts_in_category(category: str, limit: int = 10) -> list[tuple[int, str]]:
    """The experts of a category, strongest record first, each with why (translated):
    what focus groups and prototype tests suggest first. Two queries."""
    ids = expert_ids(category)
    if not ids or limit < 1:
        return []
    now = utcnow()
    points = {u: int(p or 0) for u, p in db.session.execute(
        select(PointEntry.user_id, func.sum(PointEntry.points))
        .where(PointEntry.user_id.in_(ids), PointEntry.category == category,
               PointEntry.at >= rules.window_start(now)).group_by(PointEntry.user_id))}
    outcomes = {u: int(n) for u, n in db.session.execute(
        select(PointEntry.user_id, func.count(func.distinct(PointEntry.idea_id)))
        .where(PointEntry.user_id.in_(ids), PointEntry.category == category,
               PointEntry.reason.in_(OUTCOME_RULES)).group_by(PointEntry.user_id))}
    ranked = sorted(ids, key=lambda u: (-points.get(u, 0), -outcomes.get(u, 0), u))[:limit]
    label = category_label(category)
    return [(u, _("Expert in %(category)s: %(points)s in 24 months, %(ideas)s",
                  category=label, points=ngettext("%(num)d point", "%(num)d points", points.get(u, 0)),
                  ideas=ngettext("%(num)d idea shortlisted or better", "%(num)d ideas shortlisted or better",
                                 outcomes.get(u, 0)))) for u in ranked]


def _forget_after_commit(session) -> None:
    if session.info.pop(_CHANGED, False):
        cache.delete(MAP_KEY)


def _discard_after_rollback(session) -> None:
    session.info.pop(_CHANGED, None)


def forget_changed_experts(session_events_target) -> None:
    """Drop the cached expert map after a commit that changed a status (from create_app)."""
    for name, listener in (("after_commit", _forget_after_commit), ("after_rollback", _discard_after_rollback)):
        if not event.contains(session_events_target, name, listener):
            event.listen(session_events_target, name, listener)
