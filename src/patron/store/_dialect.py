"""The one place that knows SQLite and PostgreSQL apart."""

import hashlib
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Table, text
from sqlalchemy.dialects import postgresql, sqlite


def is_sqlite(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"


def dialect_insert(bind: Connection | Engine) -> Callable[[Table], Any]:
    """`insert()` with `on_conflict_do_*` for the dialect of `bind`."""
    return sqlite.insert if is_sqlite(bind) else postgresql.insert


def lock_timeout_sql(seconds: float) -> str:
    return f"SET lock_timeout = '{int(seconds * 1000)}ms'"


def lock_for_update(connection: Connection, *names: str) -> None:
    """Serialise writers of the named things until this transaction ends.

    PostgreSQL takes transaction-scoped advisory locks, in sorted order so two writers never
    wait on each other in a cycle; `lock_timeout` bounds the wait. SQLite needs nothing: a
    writer there holds the database's write lock from BEGIN IMMEDIATE on.
    """
    if is_sqlite(connection):
        return
    for name in sorted(set(names)):
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _lock_key(name)})


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)
