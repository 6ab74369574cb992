"""How a command reaches the database: one event loop, one Database, closed when the command ends."""

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from patron.config import Settings
    from patron.store.database import Database, Transaction

T = TypeVar("T")


def settings() -> "Settings":
    from patron.config import Settings

    return Settings()


def run(work: Callable[["Database"], Awaitable[T]], *, migrate: bool, config: "Settings | None" = None) -> T:
    """`work(database)` on PATRON_DATABASE_URL's database, on an event loop of its own.

    With `migrate`, the schema is brought up to date first, as every writing command always has
    done (at the latest revision that costs one SELECT and loads no Alembic).
    """
    return asyncio.run(_with_database(work, migrate=migrate, config=config or settings()))


def write(work: Callable[["Transaction"], Awaitable[T]], *, config: "Settings | None" = None) -> T:
    """`work(tx)` in one write transaction on a migrated database (committed when it returns)."""

    async def transaction(database: "Database") -> T:
        async with database.transaction(write=True) as tx:
            return await work(tx)

    return run(transaction, migrate=True, config=config)


def read(work: Callable[["Transaction"], Awaitable[T]], *, config: "Settings | None" = None) -> T:
    """`work(tx)` in one read-only transaction."""

    async def transaction(database: "Database") -> T:
        async with database.transaction(write=False) as tx:
            return await work(tx)

    return run(transaction, migrate=False, config=config)


async def _with_database(
    work: Callable[["Database"], Awaitable[T]], *, migrate: bool, config: "Settings"
) -> T:
    from patron.store import schema
    from patron.store.database import open_database

    database = await open_database(config)
    try:
        if migrate:
            await schema.bring_up_to_date(database)
        return await work(database)
    finally:
        await database.close()
