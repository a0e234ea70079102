"""What reputation shows: a member's standing (points, level and what the next one
needs, badges, expert categories, recent points), the leaderboards, and the crowd's
and the experts' votes on an idea side by side. Each a fixed number of queries
whatever the size of the ledger."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import case, exists, func, or_, select

from ideas.accounts.models import User
from ideas.challenges.categories import category_label
from ideas.challenges.models import Challenge
from ideas.core.db import utcnow
from ideas.extensions import cache, db
from ideas.reputation import experts, policy, rules
from ideas.reputation.models import PointEntry
from ideas.submissions import ranking
from ideas.submissions.models import Idea, Vote
from ideas.submissions.policy import visible_ideas

LEADERBOARD_SIZE = 20
LEADERBOARD_MAX_AGE = 120  # seconds in the shared cache
RECENT = 10


def total_points(user_id: int) -> int:
    return int(db.session.scalar(select(func.coalesce(func.sum(PointEntry.points), 0))
                                 .where(PointEntry.user_id == user_id)) or 0)


def member_stats(user_id: int) -> rules.MemberStats:
    """Net count of each rule's entries (a reversal counts minus one) and expert categories."""
    sign = case((PointEntry.points > 0, 1), (PointEntry.points < 0, -1), else_=0)
    counts: dict[str, int] = {}
    for reason, n in db.session.execute(select(PointEntry.reason, func.sum(sign))
                                        .where(PointEntry.user_id == user_id).group_by(PointEntry.reason)):
        rule = rules.family(reason)
        counts[rule] = counts.get(rule, 0) + int(n or 0)
    return rules.MemberStats(counts, experts.expert_categories(user_id))


def need_text(need: rules.Need) -> str:
    """What one missing requirement says, translated."""
    label = category_label(need.category) if need.category else None
    if need.what == "points":
        return ngettext("%(num)d more point", "%(num)d more points", need.amount)
    if need.what == "points_in_category":
        if label:
            return ngettext("%(num)d more point in %(category)s", "%(num)d more points in %(category)s",
                            need.amount, category=label)
        return ngettext("%(num)d points in one category", "%(num)d points in one category", need.amount)
    if need.what == "outcome_in_category":
        return _("an idea shortlisted in %(category)s", category=label) if label else \
            _("an idea shortlisted in that category")
    if need.what == "clean_record":
        return _("90 days without content hidden by moderators")
    return need.what


@dataclass
class RecentPoint:
    at: datetime  # the latest of the group
    reason: str
    points: int  # summed over the group
    idea: Idea | None
    count: int = 1  # alike entries in a row (up-votes on one idea), shown as one line


def recent_points(viewer, member_id: int, limit: int = RECENT, scan: int = 100) -> list[RecentPoint]:
    """The member's latest points that the viewer may see itemized, alike ones in a row
    (the same reason on the same idea) as one line: nothing from a challenge or idea the
    viewer may not see (invite-only, hidden, a draft). One query of at most `scan` rows."""
    challenge_ok = or_(PointEntry.challenge_id.is_(None), PointEntry.challenge_id.in_(policy.visible_challenge_ids(viewer)))
    idea_ok = or_(PointEntry.idea_id.is_(None), exists(
        select(Idea.id).where(Idea.id == PointEntry.idea_id, visible_ideas(viewer)).correlate(PointEntry)))
    rows = db.session.execute(
        select(PointEntry.at, PointEntry.reason, PointEntry.points, Idea)
        .outerjoin(Idea, Idea.id == PointEntry.idea_id)
        .where(PointEntry.user_id == member_id, challenge_ok, idea_ok)
        .order_by(PointEntry.at.desc(), PointEntry.id.desc()).limit(scan)).all()
    lines: list[RecentPoint] = []
    for at, reason, points, idea in rows:
        last = lines[-1] if lines else None
        if last is not None and last.reason == reason and (last.idea is idea):
            last.points += points
            last.count += 1
            continue
        if len(lines) == limit:
            break
        lines.append(RecentPoint(at, reason, points, idea))
    return lines


def standing(viewer, member: User, now: datetime | None = None) -> dict:
    """What a profile shows of reputation (template: reputation/_profile_panel.html)."""
    now = now or utcnow()
    total = total_points(member.id)
    stats = member_stats(member.id)
    records = experts.category_records(member.id, now)
    level = rules.standing(total, stats.expert_categories, records)
    is_me = policy.authenticated(viewer) and viewer.id == member.id
    managed = policy.managed_categories(viewer) if policy.authenticated(viewer) else set()
    categories = [c for c in _category_codes() if managed is None or c in managed]
    may_manage = bool(categories) and not is_me
    return {
        "total": total,
        "level": level.level,
        "next_level": level.next_level,
        "needs": [need_text(n) for n in level.needs],
        "progress": _progress(total, level, records),
        "badges": rules.badges_for(stats),
        "expert_categories": [(c, category_label(c)) for c in stats.expert_categories],
        "records": [(r, category_label(r.category)) for r in records if r.points > 0 or r.outcomes],
        "recent": recent_points(viewer, member.id),
        "is_me": is_me,
        "manage_categories": [(c, category_label(c)) for c in categories] if may_manage else [],
        "history": experts.history(member.id, 10) if (is_me or may_manage) else [],
        "expert_points": rules.EXPERT_POINTS,
    }


def _category_codes() -> list[str]:
    from ideas.challenges.categories import CATEGORIES

    return list(CATEGORIES)


def _progress(total: int, level: rules.Standing, records=()) -> int:
    """Percent of the way to the next level: by points, and past promoter by the points
    of the category closest to expert status."""
    if level.next_level is None:
        return 100
    low, high = level.level.min_points, level.next_level.min_points
    if high > low:
        return max(0, min(100, round(100 * (total - low) / (high - low))))
    best = max((r.points for r in records), default=0)
    return max(0, min(99, round(100 * best / rules.EXPERT_POINTS)))


# -- leaderboards ----------------------------------------------------------------------------

@dataclass(frozen=True)
class Ranked:
    rank: int
    user_id: int
    username: str
    display_name: str
    avatar: str | None
    points: int


def leaderboard(period: str = "all", challenge_id: int | None = None, *, now: datetime | None = None,
                limit: int = LEADERBOARD_SIZE) -> list[Ranked]:
    """The members with most points in the period (week, month, all time), overall or in
    one challenge: one grouped query on a covering index, joined to the members shown;
    kept in the shared cache for a couple of minutes. Ties go to the member who joined first."""
    period = period if period in rules.PERIODS else "all"
    key = f"reputation:board:{challenge_id or 'all'}:{period}:{limit}"
    found = cache.get(key)
    if found is not None:
        return found
    now = now or utcnow()
    since = rules.period_start(period, now)
    total = func.sum(PointEntry.points).label("total")
    query = select(PointEntry.user_id, total).group_by(PointEntry.user_id)
    if since is not None:
        query = query.where(PointEntry.at >= since)
    if challenge_id is not None:
        query = query.where(PointEntry.challenge_id == challenge_id)
    board = query.having(func.sum(PointEntry.points) > 0).subquery()
    rows = db.session.execute(
        select(User.id, User.username, User.display_name, User.avatar, board.c.total)
        .join(board, board.c.user_id == User.id).where(User.active.is_(True))
        .order_by(board.c.total.desc(), User.id).limit(limit)).all()
    found = [Ranked(n, *row) for n, row in enumerate(rows, start=1)]
    cache.set(key, found, timeout=LEADERBOARD_MAX_AGE)
    return found


# -- the idea page ---------------------------------------------------------------------------

def idea_votes(idea: Idea) -> dict:
    """The crowd's votes and the experts' (of the challenge's category) side by side:
    counts, share of up-votes and the Wilson score of each. One query (none when the
    category has no expert)."""
    challenge = idea.challenge if "challenge" in idea.__dict__ else db.session.get(Challenge, idea.challenge_id)
    ids = experts.expert_ids(challenge.category)
    up = down = 0
    if ids:
        counts = dict(db.session.execute(
            select(Vote.value, func.count()).where(Vote.idea_id == idea.id, Vote.user_id.in_(ids))
            .group_by(Vote.value)).all())
        up, down = counts.get(1, 0), counts.get(-1, 0)
    crowd_up, crowd_down = max(0, idea.up_votes - up), max(0, idea.down_votes - down)

    def side(u: int, d: int) -> dict:
        n = u + d
        return {"up": u, "down": d, "votes": n, "share": round(100 * u / n) if n else None,
                "score": round(100 * ranking.wilson_lower_bound(u, d)) if n else None}

    return {"crowd": side(crowd_up, crowd_down), "experts": side(up, down), "expert_count": len(ids),
            "category": category_label(challenge.category)}


def idea_community(viewer, idea: Idea) -> dict:
    """The idea page's community box (template: reputation/_idea_panel.html)."""
    return {"votes": idea_votes(idea)}
