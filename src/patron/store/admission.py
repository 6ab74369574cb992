"""Tickets of the writes admitted per session or profile, for the opt-in Talon.One limit."""

from datetime import datetime

from sqlalchemy import Connection, delete, func, insert, select

from patron.store.tables import admitted_writes

_t = admitted_writes


class AdmissionRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def count(self, resource: str, *, started_after: datetime) -> int:
        """Tickets of `resource`; older ones are left by crashed requests and no longer count."""
        query = select(func.count()).where(_t.c.resource == resource, _t.c.started > started_after)
        return int(self._connection.execute(query).scalar_one())

    def add(self, resource: str, ticket: str, *, now: datetime) -> None:
        self._connection.execute(insert(_t).values(resource=resource, ticket=ticket, started=now))

    def remove(self, resource: str, ticket: str) -> None:
        self._connection.execute(delete(_t).where(_t.c.resource == resource, _t.c.ticket == ticket))

    def remove_stale(self, resource: str, *, started_before: datetime) -> None:
        self._connection.execute(delete(_t).where(_t.c.resource == resource, _t.c.started <= started_before))
