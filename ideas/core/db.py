"""The declarative base and the SQLite connection settings."""

from __future__ import annotations

import functools
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime

from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, scoped_session

# Stable constraint names, so Alembic can find and alter them on every backend.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """Now in UTC, naive: the database stores UTC without a zone on every backend."""
    return datetime.now(UTC).replace(tzinfo=None)


# Whether the current unit of work may write. Requests that only read (GET, HEAD)
# set it to False so that their transactions begin DEFERRED and never queue behind
# writers; everything else (POST views, commands, tests) begins IMMEDIATE.
write_intent: ContextVar[bool] = ContextVar("write_intent", default=True)


@contextmanager
def reading() -> Iterator[None]:
    """Within the block, transactions begin DEFERRED: reads never queue behind writers."""
    token = write_intent.set(False)
    try:
        yield
    finally:
        write_intent.reset(token)


def reads_first(view):
    """A view decorator (put it above `login_required`): the view reads, the logged-in
    user included, in DEFERRED transactions, and writes only inside `writing()`."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        with reading():
            return view(*args, **kwargs)

    return wrapper


def _end_keeping_objects(session: Session) -> None:
    """Commit the session's transaction without expiring what it loaded."""
    expire = session.expire_on_commit
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = expire


@contextmanager
def writing(session: Session | scoped_session) -> Iterator[None]:
    """Run the block as one short write transaction of its own.

    The session's current (read) transaction ends first, keeping the objects it
    loaded: on SQLite a read transaction cannot safely become a write one, and a
    write transaction holds the database's single write lock, so it should hold it
    only for the statements that write. The block's first statement begins the
    transaction (BEGIN IMMEDIATE on SQLite); the end of the block commits, again
    without expiring the session's objects (the block sets what it changed on
    them); an exception rolls back. Whatever was read before the block may have
    changed meanwhile: re-check inside the block what correctness depends on.
    Flush nothing before the block: it would be written by the read transaction.
    """
    real = session() if isinstance(session, scoped_session) else session
    _end_keeping_objects(real)
    token = write_intent.set(True)
    try:
        yield
        _end_keeping_objects(real)
    except BaseException:
        real.rollback()
        raise
    finally:
        write_intent.reset(token)


def configure_sqlite(engine: Engine, busy_timeout_ms: int) -> None:
    """WAL, foreign keys, a busy timeout, and BEGIN IMMEDIATE for every transaction.

    pysqlite's own transaction handling is switched off so that SQLAlchemy's BEGIN
    is the one that runs: a deferred read that later upgrades to a write fails at
    once with "database is locked" whatever the timeout, an immediate one waits.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write_intent.get() else "BEGIN")
