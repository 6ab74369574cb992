"""Events, built-in and custom."""

from dataclasses import replace

from patron.domain.events import Event
from patron.store.database import Transaction

_ADD = (
    "INSERT INTO events (application_id, profile_id, profile_integration_id, session_integration_id,"
    " store_integration_id, type, attributes, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id"
)


class EventRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, event: Event, *, profile_pk: int | None) -> Event:
        tx = self._tx
        new_id = await tx.value(
            _ADD,
            event.application_id,
            profile_pk,
            event.profile_id,
            event.session_integration_id,
            event.store_integration_id,
            event.type,
            tx.json(event.attributes),
            tx.time(event.created),
        )
        return replace(event, id=new_id)
