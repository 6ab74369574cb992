"""Engines for SQLite (the embedded default) and PostgreSQL, chosen by the database URL."""

import threading
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.pool import StaticPool

from patron.config import Settings
from patron.store._dialect import lock_timeout_sql
from patron.store._json import json_deserializer, json_serializer

__all__ = ["Engine", "WriterQueue", "make_engine", "writer_queue"]

# A connection whose next transaction must take the write lock at BEGIN (see UnitOfWork).
WRITE_INTENT = "patron_write_intent"


class WriterQueue:
    """SQLite: this process's writers wait here, blocked, for their turn at BEGIN IMMEDIATE.

    SQLite has one write lock per database, and a writer that finds it taken polls with
    sleeps of up to 100 ms, so under load the lock sits free while waiters sleep and the
    unlucky ones wait seconds. Queueing a process's writers on a lock that wakes the next one
    at once keeps SQLite's lock busy. The database's lock still serialises writers of every
    process; this queue holds no state between requests and serialises nothing SQLite did not.
    """

    def __init__(self, timeout_seconds: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout_seconds

    def acquire(self) -> bool:
        """False when the wait passed the lock timeout."""
        return self._lock.acquire(timeout=self._timeout)

    def release(self) -> None:
        self._lock.release()


_WRITER_QUEUES: "WeakKeyDictionary[Engine, WriterQueue]" = WeakKeyDictionary()


def writer_queue(engine: Engine) -> WriterQueue | None:
    """The queue of the SQLite engine's writers; None on PostgreSQL, whose writers lock rows."""
    return _WRITER_QUEUES.get(engine)


def make_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    if url.get_backend_name() == "sqlite":
        return _sqlite_engine(settings)
    if url.get_backend_name() == "postgresql":
        return _postgresql_engine(settings)
    raise ValueError(f"unsupported database URL {settings.database_url!r}: use sqlite:/// or postgresql://")


def _sqlite_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url)
    in_memory = url.database in (None, "", ":memory:")
    options: dict[str, Any] = {
        "connect_args": {"timeout": settings.lock_timeout_seconds},
        "json_serializer": json_serializer,
        "json_deserializer": json_deserializer,
    }
    if in_memory:
        options |= {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
    else:
        options |= {"pool_size": settings.pool_size, "max_overflow": settings.pool_size}
    engine = create_engine(url, **options)
    _WRITER_QUEUES[engine] = WriterQueue(settings.lock_timeout_seconds)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from the sqlite3 module, so BEGIN is ours to write.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not in_memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA synchronous={settings.sqlite_synchronous}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(settings.lock_timeout_seconds * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # A writer takes SQLite's write lock up front: a read-then-write transaction that
        # upgraded later could fail with SQLITE_BUSY instead of waiting its turn.
        immediate = connection.info.pop(WRITE_INTENT, False)
        # Straight to the driver: BEGIN needs none of SQLAlchemy's statement handling.
        connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


def _postgresql_engine(settings: Settings) -> Engine:
    url = make_url(settings.database_url).set(drivername="postgresql+psycopg")
    engine = create_engine(
        url,
        pool_size=settings.pool_size,
        max_overflow=settings.pool_size,
        pool_pre_ping=True,
        json_serializer=json_serializer,
        json_deserializer=json_deserializer,
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # Row locks wait at most this long; then the request answers 409 instead of hanging.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(lock_timeout_sql(settings.lock_timeout_seconds))
            cursor.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.commit()

    return engine
