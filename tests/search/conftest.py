"""Every search test runs on both backends: Whoosh (on the suite's database) and
PostgreSQL full-text (on TEST_DATABASE_URL when it is PostgreSQL, else on a database
of its own at 127.0.0.1:5432, made when missing). Without a reachable PostgreSQL the
postgres cases are skipped, saying so."""

from __future__ import annotations

import os

import pytest
from sqlalchemy.engine import make_url

from ideas import create_app
from ideas.extensions import db as _db
from tests.conftest import TEST_DATABASE_URL, FreshRequestClient, _reset_schema

PG_URL = (TEST_DATABASE_URL if TEST_DATABASE_URL and TEST_DATABASE_URL.startswith("postgresql")
          else os.environ.get("SEARCH_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/ideas_search"))
_pg_state: dict[str, str | None] = {}


def _pg_unreachable() -> str | None:
    """Why PostgreSQL cannot be used (None when it can); creates the database once."""
    if "why" not in _pg_state:
        try:
            import psycopg

            url = make_url(PG_URL)
            params = {"host": url.host or "127.0.0.1", "port": url.port or 5432, "user": url.username or "postgres",
                      "connect_timeout": 3}
            if url.password:
                params["password"] = url.password
            with psycopg.connect(dbname="postgres", autocommit=True, **params) as conn:
                found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (url.database,)).fetchone()
                if not found:
                    conn.execute(f'CREATE DATABASE "{url.database}"')
            _pg_state["why"] = None
        except Exception as exc:  # noqa: BLE001
            _pg_state["why"] = f"PostgreSQL is not reachable at {PG_URL} ({exc.__class__.__name__}): " \
                               "the postgres search backend's tests are skipped"
    return _pg_state["why"]


class ClosingClient(FreshRequestClient):
    """Reads each answer whole and closes it, as a server does, so what runs after the
    response (applying the search queue) runs in the tests too. The tests keep one app
    context for every request, so the request's session outlives it: end its
    transaction first, as the end of a served request does."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        response.make_sequence()
        _db.session.commit()
        response.close()
        return response


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request):
    return request.param


@pytest.fixture
def app(search_backend, tmp_path, monkeypatch):
    if search_backend == "postgres":
        why = _pg_unreachable()
        if why:
            pytest.skip(why)
        url = PG_URL
    else:
        url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    for name in ("DATABASE_URL", "REDIS_URL", "MAIL_SERVER"):
        monkeypatch.delenv(name, raising=False)
    app = create_app({
        "TESTING": True, "SECRET_KEY": "test-secret", "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {}, "RATELIMIT_ENABLED": False, "COUNT_QUERIES": True,
        "SERVER_NAME_FOR_MAIL": "http://localhost", "SEARCH_BACKEND": search_backend,
        "SEARCH_INDEX_DIR": str(tmp_path / "instance" / "search-index"),
        "SEARCH_VECTOR_RECHECK_SECONDS": 0,
    })
    app.test_client_class = ClosingClient
    with app.app_context():
        _reset_schema()
        yield app
        _db.session.remove()
        if url.startswith("postgresql"):
            _reset_schema(create=False)
        _db.engine.dispose()
