"""Returns of cart items."""

from dataclasses import replace
from typing import Any

from sqlalchemy import Connection, insert, select

from patron.domain.returns import ReturnedCartItem, ReturnRecord
from patron.store.tables import returns

_t = returns


class ReturnRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def add(self, record: ReturnRecord) -> ReturnRecord:
        new_id = self._connection.execute(
            insert(_t)
            .values(
                application_id=record.application_id,
                session_id=record.session_id,
                profile_id=record.profile_id,
                profile_integration_id=record.profile_integration_id,
                event_id=record.event_id,
                returned_cart_items=[
                    {"position": i.position, "quantity": i.quantity, "sku": i.sku} for i in record.items
                ],
                amount=record.amount,
                created=record.created,
            )
            .returning(_t.c.id)
        ).scalar_one()
        return replace(record, id=new_id)

    def list_for_session(
        self, session_pk: int, *, account_id: int, session_integration_id: str
    ) -> list[ReturnRecord]:
        rows = self._connection.execute(select(_t).where(_t.c.session_id == session_pk).order_by(_t.c.id))
        return [_to_record(row._mapping, account_id, session_integration_id) for row in rows]


def _to_record(row: Any, account_id: int, session_integration_id: str) -> ReturnRecord:
    return ReturnRecord(
        id=row["id"],
        created=row["created"],
        application_id=row["application_id"],
        account_id=account_id,
        session_id=row["session_id"],
        session_integration_id=session_integration_id,
        profile_id=row["profile_id"],
        profile_integration_id=row["profile_integration_id"],
        event_id=row["event_id"],
        items=tuple(ReturnedCartItem(**item) for item in row["returned_cart_items"]),
        amount=row["amount"],
    )
