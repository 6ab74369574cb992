"""Stored first answers to requests that carried an Idempotency-Key."""

from dataclasses import dataclass
from datetime import datetime

from patron.store.database import Transaction


@dataclass(frozen=True, slots=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: bytes


class IdempotencyRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def get(self, application_id: int, key: str, *, not_before: datetime) -> StoredResponse | None:
        row = await self._tx.one(
            "SELECT fingerprint, status, body FROM idempotency_records"
            " WHERE application_id = ? AND key = ? AND created >= ?",
            application_id,
            key,
            self._tx.time(not_before),
        )
        return None if row is None else StoredResponse(row["fingerprint"], row["status"], bytes(row["body"]))

    async def save(self, application_id: int, key: str, response: StoredResponse, *, now: datetime) -> None:
        # An expired record of the same key may still be there; the new answer replaces it.
        await self._tx.run(
            "DELETE FROM idempotency_records WHERE application_id = ? AND key = ?", application_id, key
        )
        await self._tx.run(
            "INSERT INTO idempotency_records (application_id, key, fingerprint, status, body, created)"
            " VALUES (?, ?, ?, ?, ?, ?)",
            application_id,
            key,
            response.fingerprint,
            response.status,
            response.body,
            self._tx.time(now),
        )
