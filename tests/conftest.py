"""Fixtures: an app on a fresh database (SQLite file, or PostgreSQL when
TEST_DATABASE_URL is set), a session, and a test client that fetches CSRF tokens
from forms as a browser does (CSRF stays on)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import g
from flask.testing import FlaskClient
from sqlalchemy import text

from ideas import create_app
from ideas.extensions import db as _db
from tests.factories import Factories

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL")
CATALOGS = Path(__file__).resolve().parents[1] / "ideas" / "translations"


@pytest.fixture(scope="session", autouse=True)
def compiled_catalogs():
    """`make test` compiles the catalogs first; a plain `pytest` after editing a .po
    file gets them compiled here, so the app never serves a stale translation."""
    for po in CATALOGS.glob("*/LC_MESSAGES/messages.po"):
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with po.open("rb") as source:
                catalog = read_po(source, locale=po.parent.parent.name)
            partial = mo.with_suffix(f".{os.getpid()}.tmp")
            with partial.open("wb") as target:
                write_mo(target, catalog)
            os.replace(partial, mo)  # another test run may be reading it


class FreshRequestClient(FlaskClient):
    """The app fixture keeps one app context pushed for the whole test, and Flask
    reuses it for requests, so `g` (logged-in user, query counter) would leak from
    one request to the next. A server starts every request with an empty `g`."""

    def open(self, *args, **kwargs):
        g.__dict__.clear()
        return super().open(*args, **kwargs)


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("INSTANCE_PATH", str(tmp_path / "instance"))
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("MAIL_SERVER", raising=False)
    url = TEST_DATABASE_URL or f"sqlite:///{tmp_path / 'test.sqlite3'}"
    app = create_app({
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "SQLALCHEMY_DATABASE_URI": url,
        "SQLALCHEMY_ENGINE_OPTIONS": {},
        "RATELIMIT_ENABLED": False,
        "COUNT_QUERIES": True,
        "SERVER_NAME_FOR_MAIL": "http://localhost",
    })
    app.test_client_class = FreshRequestClient
    with app.app_context():
        _reset_schema()
        yield app
        _db.session.remove()
        if TEST_DATABASE_URL:
            _reset_schema(create=False)
        _db.engine.dispose()


def _reset_schema(create: bool = True) -> None:
    if _db.engine.dialect.name == "postgresql":
        with _db.engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    if create:
        _db.create_all()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def make(db):
    """Factories: make.user(), make.company(), make.challenge(), make.idea(), ..."""
    return Factories(db)


_CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|<meta name="csrf-token" content="([^"]+)"')


class BrowserClient:
    """Wraps the Flask test client: `post` reads a CSRF token from the page first."""

    def __init__(self, client):
        self.client = client

    def __getattr__(self, name):
        return getattr(self.client, name)

    def csrf_token(self, page: str = "/") -> str:
        html = self.client.get(page).get_data(as_text=True)
        match = _CSRF_RE.search(html)
        assert match, f"no CSRF token on {page}"
        return match.group(1) or match.group(2)

    def post(self, url, data=None, *, form_page: str | None = None, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf and "csrf_token" not in data:
            data["csrf_token"] = self.csrf_token(form_page or url)
        return self.client.post(url, data=data, **kwargs)

    def login(self, user, password: str = "correct horse battery"):
        response = self.post("/login", {"email": user.email, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        return response

    def logout(self):
        return self.post("/logout", form_page="/")


@pytest.fixture
def client(app):
    return BrowserClient(app.test_client())
