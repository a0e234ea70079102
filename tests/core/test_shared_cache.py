"""The shared caches behind Flask-Caching: the pairwise ranking table is dropped when
what it shows changes, idea-row fragments are bounded, and with Redis two app
instances (two workers, two machines) share both the entries and the invalidation."""

from __future__ import annotations

import uuid

import pytest

from ideas import create_app
from ideas.core.db import utcnow
from ideas.extensions import cache, fragment_cache
from ideas.extensions import db as _db
from ideas.submissions import moderation, pairwise
from ideas.submissions.pairwise import record_pick
from tests.conftest import TEST_DATABASE_URL, _reset_schema
from tests.factories import Factories

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def computed(monkeypatch):
    """How many times the ranking was computed (a cache miss each)."""
    calls = []
    real = pairwise.bradley_terry
    monkeypatch.setattr(pairwise, "bradley_terry", lambda challenge: calls.append(challenge.id) or real(challenge))
    return calls


def _ranked(db, make, judges: int = 3):
    staff = make.user()
    challenge = make.challenge(make.company(staff=[staff]))
    best, middle, worst = make.idea(challenge), make.idea(challenge), make.idea(challenge)
    for _ in range(judges):
        judge = make.user()
        record_pick(judge, challenge, best, middle, best)
        record_pick(judge, challenge, middle, worst, middle)
    db.session.commit()
    return staff, challenge, (best, middle, worst)


def _ids(table):
    return [row.id for row in table["rows"]]


def test_the_table_is_kept_and_a_recorded_comparison_shows_up_at_once(db, make, computed):
    _staff, challenge, (best, middle, worst) = _ranked(db, make)
    assert _ids(pairwise.ranking_table(challenge)) == [best.id, middle.id, worst.id]
    assert pairwise.ranking_table(challenge)["total"] == 6
    assert len(computed) == 1  # the second view was served from the cache

    for _ in range(8):  # worst now beats everyone
        judge = make.user()
        record_pick(judge, challenge, worst, best, worst)
        record_pick(judge, challenge, worst, middle, worst)
    db.session.commit()
    table = pairwise.ranking_table(challenge)
    assert table["total"] == 22 and _ids(table)[0] == worst.id
    assert len(computed) == 2


def test_a_hidden_idea_leaves_the_table_at_once(db, make, computed):
    staff, challenge, (best, _middle, _worst) = _ranked(db, make)
    assert best.id in _ids(pairwise.ranking_table(challenge))
    moderation.hide_idea(staff, best, "Spam")
    db.session.commit()
    assert best.id not in _ids(pairwise.ranking_table(challenge))


def test_changes_the_counts_do_not_show_still_drop_the_table(db, make, computed):
    """A declined or renamed idea keeps the number of comparisons and of listed ideas:
    only the explicit invalidation after the commit can tell."""
    staff, challenge, (best, middle, _worst) = _ranked(db, make)
    pairwise.ranking_table(challenge)
    middle.title = "Renamed by its author"
    db.session.commit()
    assert [r.title for r in pairwise.ranking_table(challenge)["rows"]][1] == "Renamed by its author"

    moderation.decline(staff, best, "Thank you: this one repeats an idea we already build.")
    db.session.commit()
    assert best.id not in _ids(pairwise.ranking_table(challenge))
    assert len(computed) == 3


def test_a_rolled_back_change_keeps_the_table(db, make, computed):
    _staff, challenge, (_best, middle, _worst) = _ranked(db, make)
    pairwise.ranking_table(challenge)
    middle.title = "Never saved"
    db.session.flush()
    db.session.rollback()
    pairwise.ranking_table(challenge)
    assert len(computed) == 1


def test_a_worker_that_missed_the_drop_still_does_not_show_a_hidden_idea(db, make, computed):
    """With the in-process cache each worker holds its own table: one that did not see
    the commit must still not serve the hidden idea (the listed count differs)."""
    staff, challenge, (best, _middle, _worst) = _ranked(db, make)
    old = pairwise.ranking_table(challenge)
    moderation.hide_idea(staff, best, "Spam")
    db.session.commit()
    cache.set(pairwise._ranking_key(challenge.id), old)  # as another worker still has it
    assert best.id not in _ids(pairwise.ranking_table(challenge))


def test_fragments_are_reused_by_value_and_the_cache_stays_bounded(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://",
                      "FRAGMENT_CACHE_SIZE": 50})
    from ideas.core import fragments

    rendered = []
    real = fragments._render
    monkeypatch.setattr(fragments, "_render", lambda *a: rendered.append(a) or real(*a))
    values = {"id": 1, "title": "Steam", "slug": "steam", "status": "submitted", "hidden": False,
              "author_username": "ada", "author_name": "Ada", "created_at": utcnow(), "ago": "now",
              "summary": "s", "comments": 0, "tags": ()}
    with app.test_request_context("/"):
        first = fragments.fragment("submissions/_idea_row.html", "public_row", **values)
        assert fragments.fragment("submissions/_idea_row.html", "public_row", **values) == first
        assert len(rendered) == 1
        assert "Steam" in first and 'href="/ideas/1-steam"' in first
        keys = []
        for n in range(200):
            row = {**values, "id": n + 2, "title": f"Row {n}"}
            fragments.fragment("submissions/_idea_row.html", "public_row", **row)
            keys.append(fragments._key("submissions/_idea_row.html", "public_row", row))
        kept = sum(fragment_cache.has(key) for key in keys)
        assert 0 < kept <= 50  # FRAGMENT_CACHE_SIZE entries, not 200
    with app.test_request_context("/", base_url="http://example.org/platform/"):
        html = fragments.fragment("submissions/_idea_row.html", "public_row", **values)
        assert 'href="/platform/ideas/1-steam"' in html  # the URL root is part of the key


# -- Redis: two app instances ---------------------------------------------------

def _redis_or_skip():
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5, socket_timeout=0.5)
    try:
        client.ping()
    except redis.RedisError as exc:
        pytest.skip(f"Redis at 127.0.0.1:6379 does not answer ({exc}); the shared-cache test needs it")
    return client


@pytest.fixture
def two_apps(tmp_path, monkeypatch):
    """Two app instances on one database and one Redis, as two workers (or machines) are."""
    client = _redis_or_skip()
    prefix = f"ideas-test-{uuid.uuid4().hex[:8]}:"
    monkeypatch.setenv("REDIS_URL", REDIS_URL)
    monkeypatch.setenv("CACHE_KEY_PREFIX", prefix)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'shared.sqlite3'}"
    apps = []
    for name in ("a", "b"):
        monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / name))
        apps.append(create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": url,
                                "SQLALCHEMY_ENGINE_OPTIONS": {}, "RATELIMIT_ENABLED": False}))
    assert all(app.config["CACHE_TYPE"] == "RedisCache" for app in apps)
    with apps[0].app_context():
        _reset_schema()
    yield apps
    for app in apps:
        with app.app_context():
            _db.session.remove()
            if TEST_DATABASE_URL and app is apps[0]:
                _reset_schema(create=False)
            _db.engine.dispose()
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)


def test_redis_shares_the_table_and_its_invalidation_between_two_apps(two_apps, computed):
    first, second = two_apps
    with first.app_context():
        staff, challenge, (best, middle, worst) = _ranked(_db, Factories(_db))
        ids = (challenge.id, staff.id, best.id, middle.id)
        assert _ids(pairwise.ranking_table(challenge)) == [best.id, middle.id, worst.id]
    with second.app_context():
        challenge = _db.session.get(type(challenge), ids[0])
        pairwise.ranking_table(challenge)
        assert len(computed) == 1  # the second app used the first one's table
        idea = _db.session.get(type(middle), ids[3])
        idea.title = "Renamed on the other machine"
        _db.session.commit()
    with first.app_context():
        challenge = _db.session.get(type(challenge), ids[0])
        rows = pairwise.ranking_table(challenge)["rows"]
        assert rows[1].title == "Renamed on the other machine"  # dropped in Redis, for both
        assert len(computed) == 2
        from ideas.accounts.models import User

        moderation.hide_idea(_db.session.get(User, ids[1]), _db.session.get(type(middle), ids[2]), "Spam")
        _db.session.commit()
    with second.app_context():
        challenge = _db.session.get(type(challenge), ids[0])
        assert ids[2] not in _ids(pairwise.ranking_table(challenge))


def test_fragments_stay_in_each_process_with_redis(two_apps, monkeypatch):
    """Rows never go stale, and a round trip per row costs more than rendering it: each
    app instance keeps its own (ideas/core/fragments.py)."""
    from ideas.core import fragments

    rendered = []
    real = fragments._render
    monkeypatch.setattr(fragments, "_render", lambda *a: rendered.append(a) or real(*a))
    values = {"id": 5, "title": "Own row", "slug": "own-row", "status": "submitted", "hidden": False,
              "author_username": "ada", "author_name": "Ada", "created_at": utcnow(), "ago": "now",
              "summary": "s", "comments": 2, "tags": ("energy",)}
    htmls = []
    for app in two_apps:
        with app.test_request_context("/"):
            htmls.append(fragments.fragment("submissions/_idea_row.html", "public_row", **values))
            fragments.fragment("submissions/_idea_row.html", "public_row", **values)
    assert htmls[0] == htmls[1] and "Own row" in htmls[0]
    assert len(rendered) == 2  # once per app instance
