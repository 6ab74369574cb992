"""PostgreSQL through asyncpg: every statement a round trip that never blocks the event loop.

Writers serialise on transaction-scoped advisory locks (`Transaction.lock`), taken in one sorted
order so that two writers never wait on each other in a cycle; `lock_timeout` bounds each wait,
and a wait past it, a deadlock or a serialisation failure becomes `ConcurrentUpdateError`.
asyncpg prepares each statement once per connection and reuses it. Values: `timestamptz` in UTC,
`NUMERIC` money, `jsonb` with exact decimals, native booleans.
"""

import hashlib
from collections.abc import AsyncGenerator, AsyncIterator, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from decimal import Decimal
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from patron.config import Settings
from patron.store import _json
from patron.store.database import Database, Known, Row, Transaction

# lock_not_available, deadlock_detected, serialization_failure.
_CONTENTION: Final = (
    asyncpg.exceptions.LockNotAvailableError,
    asyncpg.exceptions.DeadlockDetectedError,
    asyncpg.exceptions.SerializationError,
)
_NUMBERED: dict[str, str] = {}


def numbered(sql: str) -> str:
    """`?` placeholders as PostgreSQL's `$1, $2, ...` (patron's SQL has no `?` inside literals)."""
    text = _NUMBERED.get(sql)
    if text is None:
        parts = sql.split("?")
        text = parts[0] + "".join(f"${index}{part}" for index, part in enumerate(parts[1:], start=1))
        _NUMBERED[sql] = text
    return text


def lock_key(name: str) -> int:
    """The advisory lock's 64-bit key for a lock name."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "big", signed=True)


def dsn(url: str) -> str:
    """A libpq URL asyncpg accepts: SQLAlchemy's `postgresql+psycopg://` spelling is allowed too."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(scheme="postgresql"))


class PostgresTransaction(Transaction):
    dialect = "postgresql"

    def __init__(self, connection: asyncpg.Connection, *, read_only: bool, known: Known) -> None:
        super().__init__(read_only=read_only, known=known)
        self._connection = connection
        # A round trip costs more than most statements (80 µs of client CPU for `SELECT 1` on the
        # benchmark machine): BEGIN and the locks a write takes before its first statement go out
        # together, in one simple query, just before that statement; a lock held is not taken twice.
        self.begun = False
        self._pending: list[int] = []
        self._held: set[int] = set()

    async def _begin(self) -> None:
        begin = "BEGIN READ ONLY" if self.read_only else "BEGIN"
        # The simple query protocol runs these in order; the keys are integers made here.
        locks = "".join(f"; SELECT pg_advisory_xact_lock({key})" for key in self._pending)
        await self._connection.execute(begin + locks)
        self._pending.clear()
        self.begun = True

    async def one(self, sql: str, *args: Any) -> Row | None:
        if not self.begun:
            await self._begin()
        row: Row | None = await self._connection.fetchrow(numbered(sql), *args)
        return row

    async def all(self, sql: str, *args: Any) -> list[Row]:
        if not self.begun:
            await self._begin()
        rows: list[Row] = await self._connection.fetch(numbered(sql), *args)
        return rows

    async def run(self, sql: str, *args: Any) -> int:
        if not self.begun:
            await self._begin()
        status: str = await self._connection.execute(numbered(sql), *args)
        # "UPDATE 3", "INSERT 0 1", "DELETE 0": the last word counts the rows.
        last = status.rsplit(" ", 1)[-1]
        return int(last) if last.isdigit() else 0

    async def run_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            if not self.begun:
                await self._begin()
            await self._connection.executemany(numbered(sql), rows)

    async def stream(self, sql: str, *args: Any, batch: int = 1000) -> AsyncGenerator[Row, None]:
        if not self.begun:
            await self._begin()
        async for row in self._connection.cursor(numbered(sql), *args, prefetch=batch):
            yield row

    async def lock(self, *names: str) -> None:
        if self.read_only or not names:
            return
        keys = sorted({lock_key(name) for name in names} - self._held)
        if not keys:
            return
        self._held.update(keys)
        if not self.begun:
            self._pending.extend(keys)  # taken with BEGIN, before the first statement runs
        elif len(keys) == 1:
            await self._connection.execute("SELECT pg_advisory_xact_lock($1)", keys[0])
        else:
            # One round trip; unnest walks the sorted array in order, so the locks are taken in order.
            await self._connection.execute(
                "SELECT pg_advisory_xact_lock(key) FROM unnest($1::bigint[]) AS key", keys
            )

    def time(self, value: datetime | None) -> Any:
        return value

    def read_time(self, value: Any) -> datetime:
        result: datetime = value
        return result

    def money(self, value: Decimal) -> Any:
        return value

    def json(self, value: Any) -> Any:
        return value

    def read_json(self, value: Any) -> Any:
        return value


class PostgresDatabase(Database):
    dialect = "postgresql"

    def __init__(self, settings: Settings, pool: asyncpg.Pool) -> None:
        self.settings = settings
        self.known = Known()
        self._pool = pool

    @classmethod
    async def open(cls, settings: Settings) -> "PostgresDatabase":
        async def init(connection: asyncpg.Connection) -> None:
            for name in ("json", "jsonb"):
                await connection.set_type_codec(
                    name, encoder=_json.dumps, decoder=_json.loads, schema="pg_catalog", format="text"
                )

        async def keep(_connection: asyncpg.Connection) -> None:
            # asyncpg resets a connection on its way back to the pool with one more round trip
            # (unlock all, close cursors, unlisten, reset settings). patron leaves none of that
            # behind: every transaction ends with COMMIT or ROLLBACK, which release its advisory
            # locks and cursors, and it never LISTENs or SETs anything.
            return None

        pool = await asyncpg.create_pool(
            dsn(settings.database_url),
            min_size=1,
            # As many again as PATRON_POOL_SIZE when busy, as SQLAlchemy's pool did (its overflow).
            max_size=2 * settings.pool_size,
            init=init,
            reset=keep,
            server_settings={
                "lock_timeout": f"{int(settings.lock_timeout_seconds * 1000)}ms",
                "TimeZone": "UTC",
            },
        )
        assert pool is not None
        return cls(settings, pool)

    @asynccontextmanager
    async def transaction(self, *, write: bool, subject: str = "resource") -> AsyncIterator[Transaction]:
        try:
            async with self._pool.acquire() as connection:
                tx = PostgresTransaction(connection, read_only=not write, known=self.known)
                try:
                    yield tx
                except BaseException:
                    if tx.begun and not connection.is_closed():
                        await connection.execute("ROLLBACK")
                    raise
                if tx.begun:
                    await connection.execute("COMMIT")
        except _CONTENTION as error:
            raise self.contention(subject) from error

    async def close(self) -> None:
        await self._pool.close()
