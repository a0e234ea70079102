"""Stateless app servers: with REDIS_URL set, rate limits live in Redis, so a limit
reached through one app instance (one worker) holds in another."""

from __future__ import annotations

import os
import uuid

import pytest

from ideas import create_app
from ideas.extensions import db as _db
from ideas.extensions import limiter
from tests.conftest import BrowserClient

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_or_skip():
    redis = pytest.importorskip("redis")
    try:
        client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
        client.ping()
    except Exception as exc:  # noqa: BLE001 - any failure means: no Redis here
        pytest.skip(f"Redis not reachable at {REDIS_URL} ({exc}); skipping the shared rate-limit test")
    return client


def _worker(tmp_path, prefix):
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'shared.sqlite3'}",
        "RATELIMIT_ENABLED": True,
        "RATELIMIT_STORAGE_URI": REDIS_URL,
        "RATELIMIT_KEY_PREFIX": prefix,
    })
    return app


def test_auth_form_limit_is_shared_between_workers(tmp_path, monkeypatch):
    redis_client = _redis_or_skip()
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    prefix = f"test-{uuid.uuid4().hex}"
    first = _worker(tmp_path, prefix)
    with first.app_context():
        _db.create_all()
    try:
        with first.app_context():
            client = BrowserClient(first.test_client())
            statuses = [
                client.post("/reset", {"email": "nobody@example.org"}, form_page="/reset").status_code
                for _ in range(10)
            ]
        assert 429 not in statuses
        assert any(prefix in key.decode() for key in redis_client.scan_iter(f"*{prefix}*"))

        second = _worker(tmp_path, prefix)  # another worker process would build the same app
        with second.app_context():
            client = BrowserClient(second.test_client())
            response = client.post("/reset", {"email": "nobody@example.org"}, form_page="/reset")
        assert response.status_code == 429
    finally:
        for key in redis_client.scan_iter(f"*{prefix}*"):
            redis_client.delete(key)
        limiter.enabled = False
