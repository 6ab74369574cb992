"""The one place that knows SQLite and PostgreSQL apart: SQL they spell differently."""

from decimal import Decimal
from typing import Any

from patron.store.database import Transaction


def is_sqlite(tx: Transaction) -> bool:
    return tx.dialect == "sqlite"


def json_contains(tx: Transaction, column: str, document: dict[str, Any]) -> tuple[str, list[Any]]:
    """A pre-filter: SQL true where the JSON object `column` may hold `document`'s keys and values.

    PostgreSQL tests JSONB containment (a GIN index serves it); SQLite, which has no index for
    arbitrary keys, compares the scalar values with json_extract as it scans. Either way,
    callers still check exact equality themselves.
    """
    if not is_sqlite(tx):
        return f"{column} @> ?", [document]
    clauses: list[str] = []
    args: list[Any] = []
    for key, value in _scalars(document):
        # json_extract gives TEXT for strings, INTEGER or REAL for numbers, 1/0 for booleans:
        # a superset of the exact matches, scanned in SQLite's C code rather than in Python.
        clauses.append(f"json_extract({column}, ?) = ?")
        args += [f'$."{key}"', float(value) if isinstance(value, Decimal) else value]
    return (" AND ".join(clauses) or "1 = 1"), args


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


def memberships_of_profile(tx: Transaction, profile_id: str) -> str:
    """A column: the audiences of the profile whose id is `profile_id`, as a JSON array of [id, name]."""
    memberships = (
        "FROM audience_memberships m JOIN audiences a ON a.id = m.audience_id"
        f" WHERE m.profile_id = {profile_id}"
    )
    if is_sqlite(tx):
        return f"(SELECT json_group_array(json_array(a.id, a.name)) {memberships})"
    return f"(SELECT coalesce(json_agg(json_build_array(a.id, a.name)), '[]') {memberships})"


def json_array_texts(tx: Transaction, column: str) -> str:
    """A table of the elements of a JSON array of strings, with one column, `value`."""
    if is_sqlite(tx):
        return f"json_each({column})"
    return f"jsonb_array_elements_text({column}) AS elements(value)"


def sortable_money(tx: Transaction, column: str) -> str:
    """A money column in numeric order (SQLite keeps exact decimals as text)."""
    return f"CAST({column} AS REAL)" if is_sqlite(tx) else column


def contains_text(column: str) -> str:
    """Case-insensitive substring match of `column` against a LIKE pattern made by `like_pattern`."""
    return f"lower({column}) LIKE ? ESCAPE '/'"


def like_pattern(term: str) -> str:
    escaped = term.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


async def refresh_statistics(tx: Transaction, tables: list[str]) -> None:
    """After a bulk load: PostgreSQL's planner needs fresh statistics to pick the indexes the
    Management lists rely on (a million new rows with none would be scanned and sorted)."""
    if is_sqlite(tx):
        await tx.run("PRAGMA optimize")
        return
    await tx.run(f"ANALYZE {', '.join(tables)}")


def one_of(tx: Transaction, column: str, values: list[Any], sql_type: str) -> tuple[str, list[Any]]:
    """SQL true where `column` is one of `values`: the many keys of a batch import (`store/transfer.py`).

    SQLite takes an IN list of parameters (it searches the list through a temporary index).
    PostgreSQL takes one array parameter, unnested, so that the planner joins it against the
    column's index or hashes it: a long IN list of parameters in a prepared statement is
    compared element by element with every row a scan meets, and during an import the planner,
    without statistics of the rows just added, may well choose to scan. `sql_type` is the
    elements' PostgreSQL type (`text`, `integer`).
    """
    if is_sqlite(tx):
        return f"{column} IN ({', '.join('?' * len(values))})", values
    return f"{column} IN (SELECT unnest(?::{sql_type}[]))", [values]
