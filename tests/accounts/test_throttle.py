"""Login throttling: per account and per address, shared by every worker (the database,
or Redis), the owner told once, a correct password refused while throttled, and the
client address taken from X-Forwarded-For only behind trusted proxies."""

from __future__ import annotations

import os
import uuid
from datetime import timedelta

import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from ideas import create_app
from ideas.accounts import services, throttle
from ideas.accounts.models import LoginFailure
from ideas.core.db import utcnow
from ideas.core.mail import OutboxMessage
from ideas.extensions import db as _db
from ideas.notifications.models import Notification
from tests.conftest import BrowserClient, FreshRequestClient
from tests.factories import DEFAULT_PASSWORD

WRONG = "not the password at all"
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _login(client, email, password, address="127.0.0.1", forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/login", {"email": email, "password": password}, form_page="/login",
                       environ_base={"REMOTE_ADDR": address}, headers=headers)


def _fail(client, email, times, address="127.0.0.1"):
    return [_login(client, email, WRONG, address).status_code for _ in range(times)]


# --- per account --------------------------------------------------------------------------

def test_account_is_throttled_after_ten_failures_even_from_many_addresses(client, db, make):
    owner = make.user()
    db.session.commit()
    statuses = [_login(client, owner.email, WRONG, f"127.0.0.{1 + i % 2}").status_code for i in range(10)]
    assert statuses == [422] * 10  # each of these was checked

    response = _login(client, owner.email, DEFAULT_PASSWORD, "127.0.0.3")  # right password, new address
    assert response.status_code == 429
    html = response.get_data(as_text=True)
    assert "Too many failed attempts to log in to this account" in html
    assert "even the correct password is not accepted" in html
    assert 0 < int(response.headers["Retry-After"]) <= 15 * 60
    assert 'name="email"' in html  # the login form is still there
    assert "session" not in (client.get("/settings").headers.get("Location") or "x")  # not logged in
    assert client.get("/settings").status_code == 302


def test_the_tenth_failure_says_the_account_is_now_paused(client, db, make):
    owner = make.user()
    db.session.commit()
    _fail(client, owner.email, 9)
    response = _login(client, owner.email, WRONG)
    assert response.status_code == 422
    assert "Try again in 15 minutes" in response.get_data(as_text=True)


def test_a_throttled_attempt_does_not_check_the_password(client, db, make, monkeypatch):
    owner = make.user()
    db.session.commit()
    _fail(client, owner.email, 10)
    checked = []
    monkeypatch.setattr(services, "check_credentials", lambda *a: checked.append(a))
    assert _login(client, owner.email, DEFAULT_PASSWORD).status_code == 429
    assert checked == []


def test_unknown_emails_are_throttled_alike(client, db):
    assert _fail(client, "nobody@example.org", 11)[-1] == 429


def test_success_clears_only_its_own_account(client, db, make):
    member = make.user()
    db.session.commit()
    _fail(client, member.email, 9)
    client.login(member)
    client.logout()
    assert _fail(client, member.email, 9) == [422] * 9  # the count started again

    # ... but not the address's count: 9 + 9 failures + 32 on other accounts = 50 from one address
    for n in range(4):
        _fail(client, f"guess{n}@example.org", 8)
    response = _login(client, member.email, DEFAULT_PASSWORD)
    assert response.status_code == 429
    assert "from your network" in response.get_data(as_text=True)


# --- per address -----------------------------------------------------------------------------

def test_one_address_does_not_lock_other_owners_out(client, db, make):
    victim = make.user()
    db.session.commit()
    for n in range(10):  # 50 failures, 5 on each of ten accounts: no account limit reached
        _fail(client, f"guess{n}@example.org", 5, "198.51.100.7")
    response = _login(client, victim.email, DEFAULT_PASSWORD, "198.51.100.7")
    assert response.status_code == 429 and "from your network" in response.get_data(as_text=True)
    # The owner, from their own address, logs in at once.
    assert _login(client, victim.email, DEFAULT_PASSWORD, "203.0.113.20").status_code == 303


def test_spoofed_forwarded_for_is_ignored_by_default(client, db, make):
    owner = make.user()
    db.session.commit()
    for n in range(10):
        for i in range(5):
            _login(client, f"guess{n}@example.org", WRONG, "192.0.2.1", forwarded_for=f"10.9.{n}.{i}")
    keys = set(db.session.scalars(select(LoginFailure.key).where(LoginFailure.key.like("ip:%"))))
    assert keys == {"ip:192.0.2.1"}
    assert _login(client, owner.email, DEFAULT_PASSWORD, "192.0.2.1",
                  forwarded_for="10.200.0.1").status_code == 429


def test_forwarded_for_is_honoured_with_trusted_proxies(tmp_path, monkeypatch, db, make):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance2"))
    owner = make.user()
    db.session.commit()
    email = owner.email
    db.session.close()  # no transaction (and no SQLite write lock) left open by this session
    app = create_app({"TESTING": True, "SECRET_KEY": "test-secret", "TRUSTED_PROXIES": 1,
                      "SQLALCHEMY_DATABASE_URI": str(_db.engine.url.render_as_string(hide_password=False)),
                      "SQLALCHEMY_ENGINE_OPTIONS": {}, "RATELIMIT_ENABLED": False})
    app.test_client_class = FreshRequestClient
    with app.app_context():
        client = BrowserClient(app.test_client())
        for n in range(10):
            for i in range(5):  # 50 failures through one balancer, from 50 client addresses
                _login(client, f"guess{n}@example.org", WRONG, "10.0.0.5", forwarded_for=f"203.0.113.{n * 5 + i}")
        keys = set(_db.session.scalars(select(LoginFailure.key).where(LoginFailure.key.like("ip:%"))))
        assert "ip:203.0.113.0" in keys and "ip:10.0.0.5" not in keys and len(keys) == 50
        # The balancer's address is not throttled: another client behind it logs in.
        response = _login(client, email, DEFAULT_PASSWORD, "10.0.0.5", forwarded_for="203.0.113.99")
        assert response.status_code == 303
        _db.session.remove()
        _db.engine.dispose()


# --- the owner is told, once per window ------------------------------------------------------------

def test_owner_is_told_once_per_throttle_window(client, db, make):
    owner = make.user(locale="cs")
    other = make.user()
    db.session.commit()
    _fail(client, owner.email, 10, "198.51.100.1")
    _fail(client, owner.email, 5, "198.51.100.2")  # refused while throttled
    mails = db.session.scalars(select(OutboxMessage).where(OutboxMessage.to_address == owner.email)).all()
    assert len(mails) == 1
    assert mails[0].kind == "account"  # sent whatever the notification preferences
    assert "/reset" in mails[0].body_text
    notices = db.session.scalars(select(Notification).where(Notification.user_id == owner.id)).all()
    assert [n.kind for n in notices] == ["security"]
    assert db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == other.id)) == 0
    client.login(other)
    assert client.get("/notifications/").status_code == 200


def test_told_again_in_a_later_window(app, db, make):
    owner = make.user()
    db.session.commit()
    t0 = utcnow()
    with app.test_request_context():
        for i in range(10):
            throttle.record_failure(owner.email, "192.0.2.9", now=t0 + timedelta(seconds=i))
        assert throttle.check(owner.email, "192.0.2.50", now=t0 + timedelta(minutes=14)).scope == "account"
        later = t0 + timedelta(minutes=15, seconds=10)
        assert throttle.check(owner.email, "192.0.2.50", now=later) is None  # the window moved on
        for i in range(10):
            throttle.record_failure(owner.email, "192.0.2.9", now=later + timedelta(seconds=i))
        db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 2
    assert db.session.scalar(select(func.count()).select_from(Notification)) == 2


def test_hourly_ceiling_per_address(app, db):
    t0 = utcnow()
    with app.test_request_context():
        for i in range(100):  # 100 in an hour, never 50 in 15 minutes
            throttle.record_failure(f"g{i}@example.org", "192.0.2.77", now=t0 + timedelta(seconds=i * 35))
        held = throttle.check("someone@example.org", "192.0.2.77", now=t0 + timedelta(seconds=100 * 35))
        assert held is not None and held.scope == "address"
        assert held.until == t0 + timedelta(hours=1)


def test_old_failures_are_deleted_as_new_ones_arrive(app, db):
    t0 = utcnow() - timedelta(hours=3)
    with app.test_request_context():
        throttle.record_failure("a@example.org", "192.0.2.1", now=t0)
        throttle.record_failure("a@example.org", "192.0.2.1", now=t0 + timedelta(hours=2))
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 2


# --- shared by workers -------------------------------------------------------------------------------

def _worker(tmp_path, **config):
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "SQLALCHEMY_ENGINE_OPTIONS": {}, **config,
    })
    app.test_client_class = FreshRequestClient
    return app


@pytest.fixture
def cheap_hashes(monkeypatch):
    hasher = PasswordHasher(time_cost=1, memory_cost=4096, parallelism=1)
    monkeypatch.setattr(services, "_hasher", hasher)


def _two_workers(tmp_path, monkeypatch, **config):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    first, second = _worker(tmp_path, **config), _worker(tmp_path, **config)
    with first.app_context():
        _db.create_all()
        _db.session.add(services_user := _make_owner())
        _db.session.commit()
        email = services_user.email
    return first, second, email


def _make_owner():
    from ideas.accounts.models import User

    return User(email="owner@example.org", username="owner", display_name="Owner",
                password_hash=services.hash_password(DEFAULT_PASSWORD), email_verified_at=utcnow())


def _run(app, fn):
    with app.app_context():
        try:
            return fn(BrowserClient(app.test_client()))
        finally:
            _db.session.remove()


def test_database_counts_are_shared_between_workers(tmp_path, monkeypatch, cheap_hashes):
    first, second, email = _two_workers(tmp_path, monkeypatch)
    assert _run(first, lambda c: _fail(c, email, 6, "127.0.0.1")) == [422] * 6
    assert _run(second, lambda c: _fail(c, email, 4, "127.0.0.2")) == [422] * 4
    response_status = _run(first, lambda c: _login(c, email, DEFAULT_PASSWORD, "127.0.0.3").status_code)
    assert response_status == 429
    with first.app_context():
        assert _db.session.scalar(select(func.count()).select_from(LoginFailure)
                                  .where(LoginFailure.key == "acct:" + email)) == 10
        _db.engine.dispose()
    with second.app_context():
        _db.engine.dispose()


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means: no Redis here
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({exc}); skipping the Redis-backed throttle test")
    return client


def test_redis_counts_are_shared_between_workers(tmp_path, monkeypatch, cheap_hashes):
    redis_client = _redis_or_skip()
    prefix = f"test-throttle-{uuid.uuid4().hex}:"
    first, second, email = _two_workers(tmp_path, monkeypatch, REDIS_URL=REDIS_URL, LOGIN_THROTTLE_PREFIX=prefix)
    try:
        assert _run(first, lambda c: _fail(c, email, 6, "127.0.0.1")) == [422] * 6
        assert _run(second, lambda c: _fail(c, email, 4, "127.0.0.2")) == [422] * 4
        assert _run(second, lambda c: _login(c, email, DEFAULT_PASSWORD, "127.0.0.3").status_code) == 429
        assert redis_client.zcard(f"{prefix}acct:{email}") == 10
        assert redis_client.exists(f"{prefix}notice:{email}")
        with first.app_context():
            assert _db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0  # all in Redis
            assert _db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 1
    finally:
        for key in redis_client.scan_iter(f"{prefix}*"):
            redis_client.delete(key)
        for app in (first, second):
            with app.app_context():
                _db.engine.dispose()
