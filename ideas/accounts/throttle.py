"""Login throttling: failed logins are limited per account and per client address.

Limits (sliding windows, failures only; a successful login is never counted):

- per account (the email typed, known or not, so the limit reveals nobody):
  10 failures in 15 minutes (the burst), and 100 in an hour (ASVS 2.2.1's ceiling;
  with the burst limit at most 40 an hour get through, the ceiling guards a looser burst);
- per client address: 50 failures in 15 minutes, and 100 in an hour (an office or a
  mobile network shares one address, so its burst is looser).

While a limit holds, the login is refused before the password is checked: even the
right password is not accepted until the time shown. A refused attempt is not counted
again, so the throttle ends on time. A successful login clears its own account's
failures, never the address's: logging into an account of one's own cannot reset
the count of guesses at others. One address's failures throttle that address and the
accounts it guessed at, not other accounts' owners elsewhere.

The counts live where every worker and machine sees them: Redis (sorted sets) when
REDIS_URL is set, else the database (`login_failures`), so gunicorn workers on one
machine agree. The owner of a throttled account is told once per throttle window:
an account mail through the outbox (always sent) and an in-app notice (the
`login_throttled` event).
"""

from __future__ import annotations

import math
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale, ngettext
from sqlalchemy import delete, func, select

from ideas.accounts.models import LoginFailure, User
from ideas.accounts.services import queue_throttle_mail
from ideas.core import events
from ideas.core.db import utcnow
from ideas.extensions import db

ACCOUNT_LIMITS = ((10, 15 * 60), (100, 3600))  # (failures, seconds)
ADDRESS_LIMITS = ((50, 15 * 60), (100, 3600))
KEEP_SECONDS = 3600  # the longest window: older failures no longer matter


@dataclass(frozen=True)
class Throttled:
    """A limit that holds: whose ("account" or "address"), and until when (UTC)."""

    scope: str
    until: datetime

    def minutes(self, now: datetime) -> int:
        return max(1, math.ceil((self.until - now).total_seconds() / 60))

    def seconds(self, now: datetime) -> int:
        return max(1, math.ceil((self.until - now).total_seconds()))

    def message(self, now: datetime) -> str:
        minutes = self.minutes(now)
        if self.scope == "account":
            return ngettext("Too many failed attempts to log in to this account. Try again in %(num)d minute; "
                            "until then even the correct password is not accepted.",
                            "Too many failed attempts to log in to this account. Try again in %(num)d minutes; "
                            "until then even the correct password is not accepted.", minutes)
        return ngettext("Too many failed log-in attempts from your network. Try again in %(num)d minute; "
                        "until then even the correct password is not accepted.",
                        "Too many failed log-in attempts from your network. Try again in %(num)d minutes; "
                        "until then even the correct password is not accepted.", minutes)


# --- storage: the same three operations on Redis and on the database -----------------------

class DatabaseCounter:
    """Failures as rows; every worker using the database shares them. The caller
    decides the transaction (writes go inside `writing()`)."""

    def add(self, key: str, now: datetime) -> None:
        db.session.execute(delete(LoginFailure).where(
            LoginFailure.key == key, LoginFailure.at < now - timedelta(seconds=KEEP_SECONDS)))
        db.session.add(LoginFailure(key=key, at=now))
        db.session.flush()

    def times(self, key: str, now: datetime, seconds: int) -> list[datetime]:
        """The times of `key`'s failures in the last `seconds`, oldest first."""
        return list(db.session.scalars(
            select(LoginFailure.at)
            .where(LoginFailure.key == key, LoginFailure.at > now - timedelta(seconds=seconds))
            .order_by(LoginFailure.at)
        ))

    def count(self, key: str, now: datetime, seconds: int) -> int:
        return db.session.scalar(select(func.count()).select_from(LoginFailure).where(
            LoginFailure.key == key, LoginFailure.at > now - timedelta(seconds=seconds))) or 0

    def clear(self, key: str) -> None:
        db.session.execute(delete(LoginFailure).where(LoginFailure.key == key))

    def mark_once(self, key: str, now: datetime, seconds: int) -> bool:
        """True the first time in `seconds` (then a marker row is kept)."""
        if self.count(key, now, seconds):
            return False
        self.add(key, now)
        return True


class RedisCounter:
    """Failures as sorted sets (score = time) in Redis, shared by all machines."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.redis = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        self.prefix = prefix

    def _k(self, key: str) -> str:
        return f"{self.prefix}{key}"

    @staticmethod
    def _ts(when: datetime) -> float:
        return (when - datetime(1970, 1, 1)).total_seconds()

    def add(self, key: str, now: datetime) -> None:
        k, ts = self._k(key), self._ts(now)
        pipe = self.redis.pipeline()
        pipe.zremrangebyscore(k, "-inf", ts - KEEP_SECONDS)
        pipe.zadd(k, {f"{ts:.6f}:{uuid.uuid4().hex[:8]}": ts})
        pipe.expire(k, KEEP_SECONDS + 60)
        pipe.execute()

    def times(self, key: str, now: datetime, seconds: int) -> list[datetime]:
        ts = self._ts(now)
        scores = self.redis.zrangebyscore(self._k(key), f"({ts - seconds}", "+inf", withscores=True)
        return [datetime(1970, 1, 1) + timedelta(seconds=score) for _member, score in scores]

    def count(self, key: str, now: datetime, seconds: int) -> int:
        ts = self._ts(now)
        return int(self.redis.zcount(self._k(key), f"({ts - seconds}", "+inf"))

    def clear(self, key: str) -> None:
        self.redis.delete(self._k(key))

    def mark_once(self, key: str, now: datetime, seconds: int) -> bool:
        return bool(self.redis.set(self._k(key), str(time.time()), nx=True, ex=seconds))


def counter():
    """The app's counter: Redis when REDIS_URL is set, else the database."""
    app = current_app
    store = app.extensions.get("login_throttle")
    if store is None:
        url = app.config.get("REDIS_URL")
        store = RedisCounter(url, app.config["LOGIN_THROTTLE_PREFIX"]) if url else DatabaseCounter()
        app.extensions["login_throttle"] = store
    return store


# --- the rules --------------------------------------------------------------------------------

def account_key(email: str) -> str:
    return "acct:" + (email or "").strip().lower()[:254]


def address_key(address: str | None) -> str:
    return "ip:" + (address or "unknown")[:64]


def _holds(store, key: str, limits, now: datetime) -> datetime | None:
    """Until when a limit on `key` holds, or None. A window with `limit` failures
    frees up when its oldest counted failure leaves the window."""
    until = None
    for limit, seconds in limits:
        times = store.times(key, now, seconds)
        if len(times) >= limit:
            free_at = times[len(times) - limit] + timedelta(seconds=seconds)
            until = max(until, free_at) if until else free_at
    return until


def check(email: str, address: str | None, *, now: datetime | None = None) -> Throttled | None:
    """The limit that refuses this login before any password is checked, or None."""
    if not current_app.config.get("LOGIN_THROTTLE_ENABLED", True):
        return None
    now = now or utcnow()
    store = counter()
    until = _holds(store, account_key(email), ACCOUNT_LIMITS, now)
    if until is not None:
        return Throttled("account", until)
    until = _holds(store, address_key(address), ADDRESS_LIMITS, now)
    if until is not None:
        return Throttled("address", until)
    return None


def record_failure(email: str, address: str | None, *, reset_link: str = "",
                   now: datetime | None = None) -> Throttled | None:
    """Count a failed login for the account and the address (inside the caller's write
    transaction). When this failure throttles the account, its owner is told, once per
    throttle window (the mail offers `reset_link`). Returns the limit that now holds."""
    if not current_app.config.get("LOGIN_THROTTLE_ENABLED", True):
        return None
    now = now or utcnow()
    store = counter()
    store.add(account_key(email), now)
    store.add(address_key(address), now)
    until = _holds(store, account_key(email), ACCOUNT_LIMITS, now)
    if until is not None:
        _tell_owner(store, email, until, reset_link, now)
        return Throttled("account", until)
    until = _holds(store, address_key(address), ADDRESS_LIMITS, now)
    return Throttled("address", until) if until is not None else None


def record_success(email: str) -> None:
    """A correct password outside any throttle: forget this account's failures only."""
    if current_app.config.get("LOGIN_THROTTLE_ENABLED", True):
        counter().clear(account_key(email))


def _tell_owner(store, email: str, until: datetime, reset_link: str, now: datetime) -> None:
    user = db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))
    if user is None or not user.active:
        return
    window = max(1, math.ceil((until - now).total_seconds()))
    if not store.mark_once("notice:" + user.email, now, window):
        return
    queue_throttle_mail(user, until, reset_link, now=now)
    with force_locale(user.locale or "en"):
        events.login_throttled.send(user, user=user, until=until)
