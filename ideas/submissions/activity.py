"""What happened over time, for the charts: an idea's votes, a challenge's participation.

One aggregate query each (rows grouped by day in the database), so the cost does not
grow with the number of votes or comments, only with the number of days (a chart holds
at most core.charts.MAX_PERIODS periods). Only what everyone who sees the page may
count is counted: the current votes of the idea, and for a challenge its listed ideas
(public status, not hidden) with their votes and their visible comments. Votes are
counted by the day they were first cast; a vote taken back is no longer there.

A challenge's participation reads every vote of the challenge (grouped by day), which
at the benchmark's large size (546,000 votes in one challenge) took about 2 s on
SQLite: its rows are kept in the shared cache for PARTICIPATION_MAX_AGE, so the chart
may be that much behind, which weekly bars hardly show.
"""

from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import func, literal, select, union_all

from ideas.core import charts
from ideas.core.db import utcnow
from ideas.extensions import cache, db
from ideas.submissions.models import Comment, Idea, Vote
from ideas.submissions.policy import listed


def _day(column):
    return func.date(column)


def _today(now: datetime | None) -> date:
    return (now or utcnow()).date()


def vote_history(idea: Idea, now: datetime | None = None) -> dict | None:
    """The idea's up- and down-votes per period since it was submitted, and their
    running totals; None when it has no vote."""
    day = _day(Vote.created_at)
    rows = db.session.execute(
        select(day, Vote.value, func.count()).where(Vote.idea_id == idea.id).group_by(day, Vote.value)
    ).all()
    if not rows:
        return None
    last = max([charts.as_date(d) for d, _v, _n in rows] + [_today(now)])
    spans = charts.periods(idea.created_at.date(), last)
    up = charts.bucket([(d, n) for d, v, n in rows if v > 0], spans)
    down = charts.bucket([(d, n) for d, v, n in rows if v < 0], spans)
    labels = tuple(charts.label(p) for p in spans)
    up_total, down_total = charts.running(up), charts.running(down)
    svg = charts.line_chart(_("Votes over time"), labels,
                            ((_("Up-votes"), tuple(up_total)), (_("Down-votes"), tuple(down_total))))
    return {
        "svg": svg, "unit": spans[0].unit,
        "rows": [(labels[k], up[k], down[k], up_total[k], down_total[k]) for k in range(len(spans))],
        "up": up_total[-1], "down": down_total[-1],
    }


PARTICIPATION_MAX_AGE = 1800  # seconds


def _participation_rows(challenge_id: int) -> list[tuple[str, str, int]]:
    """(kind, ISO day, count) of the challenge's listed ideas, their votes and visible
    comments, from the shared cache or one query."""
    key = f"activity:participation:{challenge_id}"
    rows = cache.get(key)
    if rows is not None:
        return rows
    ideas_day, votes_day, comments_day = _day(Idea.created_at), _day(Vote.created_at), _day(Comment.created_at)
    in_challenge = (Idea.challenge_id == challenge_id) & listed()
    query = union_all(
        select(literal("ideas").label("kind"), ideas_day.label("day"), func.count().label("n"))
        .where(in_challenge).group_by(ideas_day),
        select(literal("votes"), votes_day, func.count()).join(Idea, Idea.id == Vote.idea_id)
        .where(Vote.challenge_id == challenge_id, in_challenge).group_by(votes_day),
        select(literal("comments"), comments_day, func.count()).join(Idea, Idea.id == Comment.idea_id)
        .where(in_challenge, Comment.deleted_at.is_(None), Comment.hidden_at.is_(None)).group_by(comments_day),
    )
    rows = [(kind, charts.as_date(day).isoformat(), int(n)) for kind, day, n in db.session.execute(query)]
    cache.set(key, rows, timeout=PARTICIPATION_MAX_AGE)
    return rows


def participation(challenge, now: datetime | None = None) -> dict | None:
    """New ideas, votes and comments per week of the challenge, from its publication to
    today (a closed challenge: to its last activity); None for a challenge not yet
    published or with nothing in it yet."""
    if challenge.published_at is None:
        return None
    rows = _participation_rows(challenge.id)
    if not rows:
        return None
    days = [charts.as_date(d) for _k, d, _n in rows]
    end = max(days + ([] if challenge.phase == "closed" else [_today(now)]))
    spans = charts.periods(challenge.published_at.date(), end, unit="week")
    series = {kind: charts.bucket([(d, n) for k, d, n in rows if k == kind], spans)
              for kind in ("ideas", "votes", "comments")}
    labels = tuple(charts.label(p) for p in spans)
    names = {"ideas": _("New ideas"), "votes": _("Votes"), "comments": _("Comments")}
    svg = charts.bar_chart(_("Participation per week"), labels,
                           tuple((names[k], tuple(v)) for k, v in series.items()))
    return {
        "svg": svg, "unit": spans[0].unit, "names": names,
        "rows": [(labels[k], series["ideas"][k], series["votes"][k], series["comments"][k])
                 for k in range(len(spans))],
        "totals": {k: sum(v) for k, v in series.items()},
    }
