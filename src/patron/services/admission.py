"""Talon.One's limit on parallel writes to one session or profile, emulated on request (SEMANTICS 2.5).

Talon.One runs 3 requests per session or profile at once and queues 2 more; the next one gets
409 at once. patron serialises them all by default; with the emulation on, a write first takes
a ticket, kept in the database so every process and host sees the same count.
"""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Final

from patron.errors import ConcurrentUpdateError
from patron.store.unit_of_work import UnitOfWork

ADMITTED: Final = 5  # 3 in flight + 2 queued


@contextmanager
def admitted(
    uow: UnitOfWork, resource: str, subject: str, *, now: datetime, ticket_lifetime: timedelta
) -> Iterator[None]:
    """Hold one of the resource's tickets while the block runs, or raise 409 when none is free.

    A ticket older than `ticket_lifetime` was left by a crashed request and is dropped.
    """
    ticket = uuid.uuid4().hex
    with uow:
        uow.lock_admission(resource)
        uow.admission.remove_stale(resource, started_before=now - ticket_lifetime)
        if uow.admission.count(resource, started_after=now - ticket_lifetime) >= ADMITTED:
            raise ConcurrentUpdateError(f"Too many requests are updating this {subject} at the same time")
        uow.admission.add(resource, ticket, now=now)
        uow.commit()
    try:
        yield
    finally:
        with uow:
            uow.admission.remove(resource, ticket)
            uow.commit()
