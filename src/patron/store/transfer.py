"""Batch reads and writes for `patron import` and `patron export`: streams out, many rows per statement in.

Inserts put many rows in one statement (`INSERT ... VALUES (...), (...) RETURNING ...`), and
lookups many keys in one `IN (...)`: an import's batch costs a few round trips to PostgreSQL, not
one per row. Both databases take that SQL as it is; no statement binds more than
`_MAX_PARAMETERS` values (asyncpg allows 32767, SQLite's default limit is 32766).
"""

from collections.abc import AsyncGenerator, Iterable, Iterator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from patron.domain.attributes import Attributes
from patron.domain.profiles import CustomerProfile, ProfileAggregates
from patron.domain.returns import ReturnRecord
from patron.domain.sessions import CustomerSession
from patron.store import profiles, returns, sessions
from patron.store._dialect import one_of, refresh_statistics
from patron.store.database import Transaction

_STREAM_BATCH = 1000
_MAX_PARAMETERS: Final = 32_000
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StoredProfile:
    """What a batch import needs to know about a profile that already exists."""

    id: int
    attributes: Attributes
    aggregates: ProfileAggregates


def _chunks(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _MultiRowInsert:
    """One of the store's single-row `INSERT ... VALUES (?, ...)` statements, for many rows at once."""

    def __init__(self, insert: str, suffix: str) -> None:
        head, _, row = insert.rpartition(" VALUES ")
        self._head, self._row, self._suffix = head, row, suffix
        self.rows_per_statement = _MAX_PARAMETERS // row.count("?")

    def sql(self, rows: int) -> str:
        return f"{self._head} VALUES {', '.join([self._row] * rows)} {self._suffix}"


_NEW_PROFILES = _MultiRowInsert(
    profiles.INSERT, "ON CONFLICT (account_id, sandbox, integration_id) DO NOTHING RETURNING id"
)
_NEW_SESSIONS = _MultiRowInsert(sessions.INSERT, "RETURNING integration_id, id")
_IN_LIST = _MAX_PARAMETERS - 10  # room for the other parameters of the statement


class TransferQueries:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def refresh_statistics(self) -> None:
        await refresh_statistics(
            self._tx, ["customer_profiles", "application_customers", "customer_sessions", "returns"]
        )

    async def sole_account_id(self) -> int:
        account_id: int = await self._tx.value("SELECT id FROM accounts")
        return account_id

    async def stream_profiles(self, account_id: int, sandbox: bool) -> AsyncGenerator[CustomerProfile, None]:
        """Every profile of one environment, in id order, fetched in batches (memory stays flat)."""
        rows = self._tx.stream(
            f"SELECT {profiles.COLUMNS} FROM customer_profiles p WHERE p.account_id = ? AND p.sandbox = ?"
            " ORDER BY p.id",
            account_id,
            sandbox,
            batch=_STREAM_BATCH,
        )
        async with aclosing(rows):
            async for row in rows:
                yield profiles.to_profile(self._tx, row)

    async def stream_sessions(
        self, *, account_id: int, sandbox: bool, application_id: int | None
    ) -> AsyncGenerator[CustomerSession, None]:
        """Every session of one environment (or one of its Applications), in id order, in batches."""
        query = (
            f"SELECT {sessions.COLUMNS} FROM customer_sessions s WHERE s.application_id IN"
            " (SELECT id FROM applications WHERE account_id = ? AND sandbox = ?"
        )
        args: list[object] = [account_id, sandbox]
        if application_id is not None:
            query += " AND id = ?"
            args.append(application_id)
        rows = self._tx.stream(f"{query}) ORDER BY s.id", *args, batch=_STREAM_BATCH)
        async with aclosing(rows):
            async for row in rows:
                yield sessions.to_session(self._tx, row)

    async def profiles(
        self, account_id: int, sandbox: bool, integration_ids: Iterable[str]
    ) -> dict[str, StoredProfile]:
        """The stored profiles among `integration_ids`, by integration id."""
        tx = self._tx
        found: dict[str, StoredProfile] = {}
        for wanted in _chunks(list(integration_ids), _IN_LIST):
            among, keys = one_of(tx, "integration_id", list(wanted), "text")
            rows = await tx.all(
                "SELECT id, integration_id, attributes, closed_sessions, total_sales FROM customer_profiles"
                f" WHERE account_id = ? AND sandbox = ? AND {among}",
                account_id,
                sandbox,
                *keys,
            )
            for row in rows:
                found[row["integration_id"]] = StoredProfile(
                    row["id"],
                    tx.read_json(row["attributes"]),
                    ProfileAggregates(row["closed_sessions"], tx.read_money(row["total_sales"])),
                )
        return found

    async def insert_profiles(self, new: Sequence[CustomerProfile]) -> int:
        """Insert the profiles not stored yet (others are left alone); returns how many were new."""
        inserted = 0
        for chunk in _chunks(new, _NEW_PROFILES.rows_per_statement):
            args = [value for profile in chunk for value in profiles.values(self._tx, profile)]
            # Only the rows inserted come back.
            inserted += len(await self._tx.all(_NEW_PROFILES.sql(len(chunk)), *args))
        return inserted

    async def set_attributes(self, changes: Sequence[tuple[int, Attributes]]) -> None:
        await self._tx.run_many(
            "UPDATE customer_profiles SET attributes = ? WHERE id = ?",
            [(self._tx.json(attributes), pk) for pk, attributes in changes],
        )

    async def set_aggregates(self, changes: Sequence[tuple[int, ProfileAggregates]]) -> None:
        await self._tx.run_many(
            "UPDATE customer_profiles SET closed_sessions = ?, total_sales = ? WHERE id = ?",
            [(totals.closed_sessions, self._tx.money(totals.total_sales), pk) for pk, totals in changes],
        )

    async def link_application(self, application_id: int, profile_ids: Iterable[int]) -> None:
        """Record that the Application has seen these profiles (idempotent)."""
        await self._tx.run_many(
            "INSERT INTO application_customers (application_id, profile_id) VALUES (?, ?)"
            " ON CONFLICT DO NOTHING",
            [(application_id, pk) for pk in sorted(set(profile_ids))],
        )

    async def existing_sessions(self, application_id: int, integration_ids: Iterable[str]) -> set[str]:
        found: set[str] = set()
        for wanted in _chunks(list(integration_ids), _IN_LIST):
            among, keys = one_of(self._tx, "integration_id", list(wanted), "text")
            rows = await self._tx.all(
                f"SELECT integration_id FROM customer_sessions WHERE application_id = ? AND {among}",
                application_id,
                *keys,
            )
            found.update(row[0] for row in rows)
        return found

    async def profiles_with_sessions(self, profile_ids: Iterable[int]) -> set[int]:
        """Those of the profiles that own at least one session, in any Application."""
        found: set[int] = set()
        for wanted in _chunks(sorted(set(profile_ids)), _IN_LIST):
            among, keys = one_of(self._tx, "profile_id", list(wanted), "integer")
            rows = await self._tx.all(
                f"SELECT DISTINCT profile_id FROM customer_sessions WHERE {among}", *keys
            )
            found.update(row[0] for row in rows)
        return found

    async def insert_sessions(self, new: Sequence[tuple[CustomerSession, int | None]]) -> dict[str, int]:
        """Insert new sessions with their owners' internal ids; returns their ids by integration id.

        The integration ids must be new to the Application and distinct.
        """
        ids: dict[str, int] = {}
        for chunk in _chunks(new, _NEW_SESSIONS.rows_per_statement):
            args: list[Any] = []
            for session, profile_pk in chunk:
                args += sessions.values(self._tx, session, profile_pk)
            for row in await self._tx.all(_NEW_SESSIONS.sql(len(chunk)), *args):
                ids[row["integration_id"]] = row["id"]
        return ids

    async def insert_returns(self, records: Sequence[ReturnRecord]) -> None:
        await self._tx.run_many(returns.INSERT, [returns.values(self._tx, record) for record in records])
