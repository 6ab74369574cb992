"""Tickets of the writes admitted per session or profile, for the opt-in Talon.One limit."""

from datetime import datetime

from patron.store.database import Transaction


class AdmissionRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def count(self, resource: str, *, started_after: datetime) -> int:
        """Tickets of `resource`; older ones are left by crashed requests and no longer count."""
        return int(
            await self._tx.value(
                "SELECT count(*) FROM admitted_writes WHERE resource = ? AND started > ?",
                resource,
                self._tx.time(started_after),
            )
        )

    async def add(self, resource: str, ticket: str, *, now: datetime) -> None:
        await self._tx.run(
            "INSERT INTO admitted_writes (resource, ticket, started) VALUES (?, ?, ?)",
            resource,
            ticket,
            self._tx.time(now),
        )

    async def remove(self, resource: str, ticket: str) -> None:
        await self._tx.run("DELETE FROM admitted_writes WHERE resource = ? AND ticket = ?", resource, ticket)

    async def remove_stale(self, resource: str, *, started_before: datetime) -> None:
        await self._tx.run(
            "DELETE FROM admitted_writes WHERE resource = ? AND started <= ?",
            resource,
            self._tx.time(started_before),
        )
