"""The one place that knows SQLite and PostgreSQL apart."""

import hashlib
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Float,
    Table,
    and_,
    cast,
    func,
    text,
    true,
    type_coerce,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.selectable import TableValuedAlias


def is_sqlite(bind: Connection | Engine) -> bool:
    return bind.dialect.name == "sqlite"


def dialect_insert(bind: Connection | Engine) -> Callable[[Table], Any]:
    """`insert()` with `on_conflict_do_*` for the dialect of `bind`."""
    return sqlite.insert if is_sqlite(bind) else postgresql.insert


def json_contains(bind: Connection, column: ColumnElement[Any], document: dict[str, Any]) -> Any:
    """A pre-filter: true where the JSON object `column` may hold `document`'s keys and values.

    PostgreSQL tests JSONB containment (a GIN index serves it); SQLite, which has no index for
    arbitrary keys, compares the scalar values with json_extract as it scans. Either way,
    callers still check exact equality themselves.
    """
    if is_sqlite(bind):
        return and_(true(), *(_sqlite_json_equals(column, key, value) for key, value in _scalars(document)))
    return type_coerce(column, postgresql.JSONB).contains(document)


def _scalars(document: dict[str, Any]) -> list[tuple[str, Any]]:
    """The keys a SQLite JSON path can name, with the scalar values SQL can compare."""
    return [
        (key, value)
        for key, value in document.items()
        if '"' not in key
        and "\\" not in key
        and isinstance(value, str | int | float | Decimal)
        and not (isinstance(value, int) and abs(value) >= 2**63)  # beyond SQLite's integers
    ]


def _sqlite_json_equals(column: ColumnElement[Any], key: str, value: Any) -> ColumnElement[bool]:
    # json_extract gives TEXT for strings, INTEGER or REAL for numbers, 1/0 for booleans:
    # a superset of the exact matches, scanned in SQLite's C code rather than in Python.
    extracted = func.json_extract(column, f'$."{key}"')
    return extracted == (float(value) if isinstance(value, Decimal) else value)


def json_array_texts(bind: Connection, column: ColumnElement[Any]) -> TableValuedAlias:
    """The elements of a JSON array of strings, as a table with one column, `value`."""
    function = func.json_each if is_sqlite(bind) else func.jsonb_array_elements_text
    return function(column).table_valued("value")


def sortable_money(bind: Connection, column: ColumnElement[Any]) -> ColumnElement[Any]:
    """A money column in numeric order (SQLite keeps exact decimals as text)."""
    return cast(column, Float) if is_sqlite(bind) else column


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
    keys = sorted({_lock_key(name) for name in names})
    if len(keys) == 1:
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": keys[0]})
    elif keys:
        # One round trip; unnest walks the sorted array in order, so locks are taken in order.
        statement = text("SELECT pg_advisory_xact_lock(key) FROM unnest(CAST(:keys AS bigint[])) AS key")
        connection.execute(statement, {"keys": keys})


def _lock_key(name: str) -> int:
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def refresh_statistics(connection: Connection, tables: list[str]) -> None:
    """After a bulk load: PostgreSQL's planner needs fresh statistics to pick the indexes the
    Management lists rely on (a million new rows with none would be scanned and sorted)."""
    if is_sqlite(connection):
        connection.execute(text("PRAGMA optimize"))
        return
    connection.execute(text(f"ANALYZE {', '.join(tables)}"))
