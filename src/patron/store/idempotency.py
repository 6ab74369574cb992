"""Stored first answers to requests that carried an Idempotency-Key."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, delete, insert, select

from patron.store.tables import idempotency_records

_t = idempotency_records


@dataclass(frozen=True, slots=True)
class StoredResponse:
    fingerprint: str
    status: int
    body: bytes


class IdempotencyRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, application_id: int, key: str, *, not_before: datetime) -> StoredResponse | None:
        row = self._connection.execute(
            select(_t.c.fingerprint, _t.c.status, _t.c.body).where(
                _t.c.application_id == application_id, _t.c.key == key, _t.c.created >= not_before
            )
        ).first()
        return None if row is None else StoredResponse(row.fingerprint, row.status, bytes(row.body))

    def save(self, application_id: int, key: str, response: StoredResponse, *, now: datetime) -> None:
        # An expired record of the same key may still be there; the new answer replaces it.
        self._connection.execute(delete(_t).where(_t.c.application_id == application_id, _t.c.key == key))
        self._connection.execute(
            insert(_t).values(
                application_id=application_id,
                key=key,
                fingerprint=response.fingerprint,
                status=response.status,
                body=response.body,
                created=now,
            )
        )

    def delete_older_than(self, cutoff: datetime) -> None:
        self._connection.execute(delete(_t).where(_t.c.created < cutoff))
