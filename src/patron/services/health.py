"""Liveness: the service is healthy when its database answers."""

from patron.store.database import Database


async def check(database: Database) -> None:
    async with database.transaction(write=False) as tx:
        await tx.value("SELECT 1")
