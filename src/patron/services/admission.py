"""Talon.One's limit on parallel writes to one session or profile, emulated on request (SEMANTICS 2.5).

Talon.One runs 3 requests per session or profile at once and queues 2 more; the next one gets
409 at once. patron serialises them all by default; with the emulation on, a write first takes
a ticket, kept in the database so every process and host sees the same count.
"""

import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta
from typing import Final

from patron.store import locks
from patron.store.database import Database

ADMITTED: Final = 5  # 3 in flight + 2 queued


@asynccontextmanager
async def admitted(
    database: Database, resource: str, subject: str, *, now: datetime, ticket_lifetime: timedelta
) -> AsyncIterator[None]:
    """Hold one of the resource's tickets while the block runs, or raise 409 when none is free.

    `resource` is the lock name of the session or profile (`store/locks.py`). A ticket older than
    `ticket_lifetime` was left by a crashed request and is dropped.
    """
    ticket = uuid.uuid4().hex
    async with database.transaction(write=True, subject=subject) as tx:
        await tx.lock(locks.admission(resource))
        await tx.admission.remove_stale(resource, started_before=now - ticket_lifetime)
        if await tx.admission.count(resource, started_after=now - ticket_lifetime) >= ADMITTED:
            raise database.contention(subject)
        await tx.admission.add(resource, ticket, now=now)
    try:
        yield
    finally:
        async with database.transaction(write=True, subject=subject) as tx:
            await tx.admission.remove(resource, ticket)
