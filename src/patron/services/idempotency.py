"""Idempotency-Key: a write repeated with the same key answers as the first time, and applies once.

The write path (`api/writes.py`) looks the key up and stores the answer in the transaction of
the write itself, so a crash cannot leave one without the other.
"""

import hashlib
from datetime import datetime, timedelta
from typing import Final

from patron.domain.tenancy import ApplicationScope
from patron.errors import ConflictError
from patron.store import locks
from patron.store.database import Transaction
from patron.store.idempotency import StoredResponse

RETENTION: Final = timedelta(hours=24)


def fingerprint(method: str, path: str, query: str, body: bytes) -> str:
    """What makes two requests the same request."""
    digest = hashlib.sha256()
    for part in (method.encode(), path.encode(), query.encode(), body):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


async def first_answer(
    tx: Transaction, scope: ApplicationScope, key: str, request_fingerprint: str, *, now: datetime
) -> StoredResponse | None:
    """The answer stored for this key in the last 24 hours, locking the key until the transaction ends.

    The same key with another request is a conflict.
    """
    await tx.lock(locks.idempotency_key(scope.application_id, key))
    stored = await tx.idempotency.get(scope.application_id, key, not_before=now - RETENTION)
    if stored is not None and stored.fingerprint != request_fingerprint:
        raise ConflictError(
            f"The Idempotency-Key {key!r} was used for a different request in the last 24 hours",
            parameter="Idempotency-Key",
        )
    return stored


async def remember(
    tx: Transaction, scope: ApplicationScope, key: str, answer: StoredResponse, *, now: datetime
) -> None:
    """Store the first answer, in the write's own transaction."""
    await tx.idempotency.save(scope.application_id, key, answer, now=now)
