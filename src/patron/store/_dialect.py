"""The one place that knows SQLite and PostgreSQL apart."""

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, Engine, Table
from sqlalchemy.dialects import postgresql, sqlite


def is_sqlite(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"


def dialect_insert(bind: Connection | Engine) -> Callable[[Table], Any]:
    """`insert()` with `on_conflict_do_*` for the dialect of `bind`."""
    return sqlite.insert if is_sqlite(bind) else postgresql.insert


def lock_timeout_sql(seconds: float) -> str:
    return f"SET lock_timeout = '{int(seconds * 1000)}ms'"
