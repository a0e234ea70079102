"""Charts of what happened over time: the numbers drawn are the rows counted, nothing
private is counted, and the queries do not grow with the data."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from ideas.core import charts
from ideas.core.db import utcnow
from ideas.extensions import cache
from ideas.submissions import activity
from ideas.submissions.models import Comment, Idea, Vote

# -- pure bucketing ---------------------------------------------------------------------


def test_periods_are_days_then_weeks_then_months_and_never_too_many():
    day = date(2026, 3, 4)
    short = charts.periods(day, day + timedelta(days=9))
    assert [p.unit for p in short] == ["day"] * 10 and short[0].start == day
    weeks = charts.periods(day, day + timedelta(days=120))
    assert {p.unit for p in weeks} == {"week"} and weeks[0].start == date(2026, 3, 2)  # a Monday
    assert all((b.start - a.start).days == 7 for a, b in zip(weeks, weeks[1:], strict=False))
    months = charts.periods(day, day + timedelta(days=900))
    assert {p.unit for p in months} == {"month"} and months[0].start == date(2026, 3, 1)
    assert len(charts.periods(day, day + timedelta(days=9000))) == charts.MAX_PERIODS
    assert {p.unit for p in charts.periods(day, day + timedelta(days=3), unit="week")} == {"week"}


def test_bucket_counts_every_row_once_and_running_adds_up():
    spans = charts.periods(date(2026, 1, 5), date(2026, 1, 25), unit="week")
    rows = [(date(2026, 1, 5), 2), ("2026-01-11", 3), (date(2026, 1, 12), 1), ("2026-01-26", 4),
            (date(2025, 12, 1), 5)]
    values = charts.bucket(rows, spans)
    assert values == [2 + 3 + 5, 1, 4] and sum(values) == sum(n for _d, n in rows)
    assert charts.running(values) == [10, 11, 15]


def test_the_same_numbers_draw_the_same_chart_without_scripts():
    labels, series = ("a", "b"), (("Up", (1, 2)),)
    first = charts.line_chart("Votes", labels, series)
    assert charts.line_chart("Votes", labels, series) is first
    assert first.startswith("<svg ") and "<script" not in first and 'aria-label="Votes"' in first


# -- an idea's votes ----------------------------------------------------------------------


def _vote(db, idea, voter, value, at):
    db.session.add(Vote(idea_id=idea.id, challenge_id=idea.challenge_id, user_id=voter.id, value=value,
                        created_at=at, updated_at=at))


def test_vote_history_matches_the_votes(app, db, make):
    now = utcnow()
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, created_at=now - timedelta(days=20))
    db.session.flush()
    plan = [(1, 19), (1, 19), (-1, 15), (1, 10), (1, 2), (-1, 2), (1, 0)]
    for value, days_ago in plan:
        _vote(db, idea, make.user(), value, now - timedelta(days=days_ago, hours=1))
    db.session.commit()
    with app.test_request_context():
        history = activity.vote_history(idea, now=now)
    assert history["unit"] == "day" and len(history["rows"]) == 21
    ups = sum(r[1] for r in history["rows"])
    downs = sum(r[2] for r in history["rows"])
    assert (ups, downs) == (5, 2) == (history["up"], history["down"])
    rows_in_db = db.session.execute(select(Vote.value, func.count()).where(Vote.idea_id == idea.id)
                                    .group_by(Vote.value)).all()
    assert dict(rows_in_db) == {1: ups, -1: downs}
    assert history["rows"][-1][3:] == (5, 2)  # the running totals end at the counts
    assert history["rows"][1][1] == 2  # both votes of 19 days ago in that day's row


def test_no_votes_no_chart(app, db, make):
    idea = make.idea(make.challenge(phase="voting"))
    db.session.commit()
    with app.test_request_context():
        assert activity.vote_history(idea) is None


def test_the_idea_page_shows_the_chart_and_its_table_with_the_same_queries(client, db, make):
    challenge = make.challenge(phase="voting")
    idea = make.idea(challenge, title="Charted", created_at=utcnow() - timedelta(days=6))
    db.session.flush()
    for n in range(2):
        _vote(db, idea, make.user(), 1, utcnow() - timedelta(days=n))
    db.session.commit()
    url = f"/ideas/{idea.id}-{idea.slug}"
    client.get(url)  # the test's session shares the app's: the first request reloads what the commit expired
    first = client.get(url)
    html = first.get_data(as_text=True)
    assert "Votes over time" in html and "<svg " in html and "The numbers" in html
    assert "2 up, 0 down" in html
    for n in range(25):
        _vote(db, idea, make.user(), -1 if n % 3 else 1, utcnow() - timedelta(days=n % 6, hours=n))
    db.session.commit()
    client.get(url)
    again = client.get(url)
    assert again.headers["X-SQL-Queries"] == first.headers["X-SQL-Queries"]


# -- a challenge's participation ----------------------------------------------------------


def test_participation_counts_listed_ideas_their_votes_and_visible_comments(app, db, make):
    now = datetime(2026, 5, 29, 12, 0)
    challenge = make.challenge(phase="voting")
    challenge.published_at = now - timedelta(days=30)
    shown = make.idea(challenge, created_at=now - timedelta(days=28))
    other = make.idea(challenge, created_at=now - timedelta(days=10))
    hidden = make.idea(challenge, created_at=now - timedelta(days=20), hidden_at=now)
    withdrawn = make.idea(challenge, created_at=now - timedelta(days=20), status="withdrawn")
    db.session.flush()
    for idea, days in ((shown, 27), (shown, 3), (other, 9), (hidden, 19), (withdrawn, 18)):
        _vote(db, idea, make.user(), 1, now - timedelta(days=days))
    people = make.user()
    for idea, days, extra in ((shown, 26, {}), (other, 2, {}), (other, 2, {"deleted_at": now}),
                              (other, 1, {"hidden_at": now}), (hidden, 15, {})):
        db.session.add(Comment(idea_id=idea.id, author_id=people.id, body="x",
                               created_at=now - timedelta(days=days), **extra))
    db.session.commit()
    with app.test_request_context():
        result = activity.participation(challenge, now=now)
    assert result["unit"] == "week"
    assert result["totals"] == {"ideas": 2, "votes": 3, "comments": 2}
    assert sum(r[1] for r in result["rows"]) == 2 and sum(r[2] for r in result["rows"]) == 3
    listed = db.session.scalar(select(func.count()).select_from(Idea).where(
        Idea.challenge_id == challenge.id, Idea.hidden_at.is_(None), Idea.status == "submitted"))
    assert listed == result["totals"]["ideas"]


def test_the_challenge_page_shows_participation_with_a_constant_number_of_queries(client, db, make):
    challenge = make.challenge(phase="voting")
    challenge.published_at = utcnow() - timedelta(days=40)
    idea = make.idea(challenge, created_at=utcnow() - timedelta(days=35))
    db.session.flush()
    _vote(db, idea, make.user(), 1, utcnow() - timedelta(days=30))
    db.session.commit()
    url = f"/challenges/{challenge.id}-{challenge.slug}"
    client.get(url)  # the first request after a commit reloads what it expired
    first = client.get(url)
    html = first.get_data(as_text=True)
    assert "in all 1 idea, 1 vote and 0 comments" in html
    assert "Participation" in html and "Week of" in html and "<svg " in html
    for n in range(12):
        extra = make.idea(challenge, created_at=utcnow() - timedelta(days=n * 3))
        db.session.flush()
        _vote(db, extra, make.user(), 1, utcnow() - timedelta(days=n * 2))
        db.session.add(Comment(idea_id=extra.id, author_id=idea.author_id, body="y",
                               created_at=utcnow() - timedelta(days=n)))
    db.session.commit()
    cache.clear()  # the rows are kept for half an hour: read them again
    client.get(url)
    again = client.get(url)
    assert "in all 13 ideas, 13 votes and 12 comments" in again.get_data(as_text=True)
    assert again.headers["X-SQL-Queries"] == first.headers["X-SQL-Queries"]


def test_a_draft_shows_no_participation(app, db, make):
    challenge = make.challenge(phase="draft")
    db.session.commit()
    with app.test_request_context():
        assert activity.participation(challenge) is None
