"""Settings from the environment, with safe defaults.

Nothing here needs to be set for `make run`: the database is SQLite in `instance/`,
the secret key is generated once into `instance/secret_key`, mail without SMTP is kept
locally (printed on the console and shown at /admin/mailbox).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def _bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _secret_key(instance_path: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in instance/."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = instance_path / "secret_key"
    if not path.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def load_config(instance_path: Path) -> dict:
    """The app's configuration as a dict, read from the environment."""
    instance_path = Path(instance_path)
    database_url = os.environ.get(
        "DATABASE_URL", f"sqlite:///{instance_path / 'ideas.sqlite3'}"
    )
    return {
        "SECRET_KEY": _secret_key(instance_path),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": not database_url.startswith("sqlite")},
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        # The shared cache (the pairwise ranking table): in-process by default, in Redis
        # when REDIS_URL is set, so that every worker and machine sees one table and one
        # invalidation.
        "CACHE_TYPE": "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache",
        "CACHE_REDIS_URL": os.environ.get("REDIS_URL"),
        "CACHE_KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "ideas:"),
        "CACHE_DEFAULT_TIMEOUT": int(os.environ.get("CACHE_DEFAULT_TIMEOUT", 300)),
        "CACHE_THRESHOLD": int(os.environ.get("CACHE_THRESHOLD", 500)),  # SimpleCache: entries
        # Rendered idea rows and comments, per process (ideas/core/fragments.py)
        "FRAGMENT_CACHE_SIZE": int(os.environ.get("FRAGMENT_CACHE_SIZE", 5000)),
        "RATELIMIT_ENABLED": _bool("RATELIMIT_ENABLED", True),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Failed logins per account and per address (ideas/accounts/throttle.py), counted
        # in Redis when REDIS_URL is set, else in the database.
        "LOGIN_THROTTLE_ENABLED": _bool("LOGIN_THROTTLE_ENABLED", True),
        "LOGIN_THROTTLE_PREFIX": os.environ.get("LOGIN_THROTTLE_PREFIX", "ideas:login:"),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", 30 * 1024 * 1024)),
        "UPLOAD_MAX_BYTES": int(os.environ.get("UPLOAD_MAX_BYTES", 5 * 1024 * 1024)),
        "UPLOAD_MAX_PIXELS": int(os.environ.get("UPLOAD_MAX_PIXELS", 40_000_000)),
        "UPLOAD_FOLDER": str(instance_path / "uploads"),
        "SITE_NAME": os.environ.get("SITE_NAME", "Ideas Commons"),
        "SERVER_NAME_FOR_MAIL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", 25)),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_USE_TLS": _bool("MAIL_USE_TLS"),
        "MAIL_USE_SSL": _bool("MAIL_USE_SSL"),
        # Without MAIL_SERVER: keep (print) the mail a request queued right after it,
        # instead of waiting for `flask mail send` (development; off in tests).
        "MAIL_LOCAL_AFTER_REQUEST": _bool("MAIL_LOCAL_AFTER_REQUEST", True),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "Ideas Commons <noreply@localhost>"),
        "EMAIL_TOKEN_MAX_AGE": int(os.environ.get("EMAIL_TOKEN_MAX_AGE", 2 * 24 * 3600)),
        "RESET_TOKEN_MAX_AGE": int(os.environ.get("RESET_TOKEN_MAX_AGE", 3600)),
        "REMEMBER_COOKIE_DURATION": 30 * 24 * 3600,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_SECURE": _bool("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "HSTS_MAX_AGE": int(os.environ.get("HSTS_MAX_AGE", 365 * 24 * 3600)),
        # Proxies in front of the app whose X-Forwarded-For/-Proto are believed (hops);
        # 0 = none, so a client cannot choose the address that login throttling counts.
        "TRUSTED_PROXIES": int(os.environ.get("TRUSTED_PROXIES", 0)),
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_DEFAULT_TIMEZONE": "UTC",
        "LANGUAGES": ["en", "cs", "ru", "zh"],
        "BOOTSTRAP_SERVE_LOCAL": True,
        "COUNT_QUERIES": _bool("COUNT_QUERIES"),
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", 15000)),
        # Search (ideas/search): "whoosh" (an index in instance/) or "postgres" (a table in
        # the PostgreSQL database, for several machines); sentence embeddings for similar ideas.
        "SEARCH_BACKEND": os.environ.get("SEARCH_BACKEND", "whoosh"),
        "SEARCH_INDEX_DIR": os.environ.get("SEARCH_INDEX_DIR", str(instance_path / "search-index")),
        "SEARCH_EMBEDDINGS": _bool("SEARCH_EMBEDDINGS", True),
        "SEARCH_APPLY_AFTER_REQUEST": _bool("SEARCH_APPLY_AFTER_REQUEST", True),
    }
