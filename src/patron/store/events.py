"""Events, built-in and custom."""

from dataclasses import replace

from sqlalchemy import Connection, insert

from patron.domain.events import Event
from patron.store.tables import events

_ADD = insert(events).returning(events.c.id)  # built once; the columns come from the parameters


class EventRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, event: Event, *, profile_pk: int | None) -> Event:
        new_id = self._connection.execute(
            _ADD,
            {
                "application_id": event.application_id,
                "profile_id": profile_pk,
                "profile_integration_id": event.profile_id,
                "session_integration_id": event.session_integration_id,
                "store_integration_id": event.store_integration_id,
                "type": event.type,
                "attributes": event.attributes,
                "created": event.created,
            },
        ).scalar_one()
        return replace(event, id=new_id)
