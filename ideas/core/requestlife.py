"""Per-request plumbing: language and time zone, write intent for SQLite, and the
SQL query counter that tests and the benchmark read (header X-SQL-Queries)."""

from __future__ import annotations

from flask import Flask, current_app, g, has_request_context, request
from flask_login import current_user
from sqlalchemy import event

from ideas.core.db import write_intent
from ideas.extensions import db

READ_METHODS = {"GET", "HEAD", "OPTIONS"}
LANG_COOKIE = "lang"


def select_locale() -> str:
    """The member's language, else the `lang` cookie, else the browser's preference."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    forced = getattr(g, "force_locale", None)
    if forced in languages:
        return forced
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    cookie = request.cookies.get(LANG_COOKIE)
    if cookie in languages:
        return cookie
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def select_timezone() -> str:
    if has_request_context() and current_user and current_user.is_authenticated:
        return current_user.timezone or "UTC"
    return "UTC"


def init_app(app: Flask) -> None:
    @app.before_request
    def _write_intent():
        g._write_token = write_intent.set(request.method not in READ_METHODS)

    @app.teardown_request
    def _reset_write_intent(_exc):
        token = g.pop("_write_token", None)
        if token is not None:
            write_intent.reset(token)

    if app.config.get("COUNT_QUERIES"):
        _install_query_counter(app)


def _install_query_counter(app: Flask) -> None:

    with app.app_context():
        engine = db.engine

    @event.listens_for(engine, "before_cursor_execute")
    def _count(*_args, **_kwargs):
        if has_request_context():
            g.sql_queries = g.get("sql_queries", 0) + 1

    @app.after_request
    def _report(response):
        response.headers["X-SQL-Queries"] = str(g.get("sql_queries", 0))
        return response
