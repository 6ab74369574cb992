"""Returns of cart items."""

from dataclasses import replace

from patron.domain.returns import ReturnedCartItem, ReturnRecord
from patron.store.database import Row, Transaction

INSERT = (
    "INSERT INTO returns (application_id, session_id, profile_id, profile_integration_id, event_id,"
    " returned_cart_items, amount, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


class ReturnRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def add(self, record: ReturnRecord) -> ReturnRecord:
        new_id = await self._tx.value(f"{INSERT} RETURNING id", *values(self._tx, record))
        return replace(record, id=new_id)

    async def list_for_session(
        self, session_pk: int, *, account_id: int, session_integration_id: str
    ) -> list[ReturnRecord]:
        rows = await self._tx.all(
            "SELECT id, created, application_id, session_id, profile_id, profile_integration_id, event_id,"
            " returned_cart_items, amount FROM returns WHERE session_id = ? ORDER BY id",
            session_pk,
        )
        return [_to_record(self._tx, row, account_id, session_integration_id) for row in rows]


def values(tx: Transaction, record: ReturnRecord) -> tuple[object, ...]:
    """The parameters of `INSERT` for a return (also for batch imports)."""
    return (
        record.application_id,
        record.session_id,
        record.profile_id,
        record.profile_integration_id,
        record.event_id,
        tx.json([{"position": i.position, "quantity": i.quantity, "sku": i.sku} for i in record.items]),
        tx.money(record.amount),
        tx.time(record.created),
    )


def _to_record(tx: Transaction, row: Row, account_id: int, session_integration_id: str) -> ReturnRecord:
    return ReturnRecord(
        id=row["id"],
        created=tx.read_time(row["created"]),
        application_id=row["application_id"],
        account_id=account_id,
        session_id=row["session_id"],
        session_integration_id=session_integration_id,
        profile_id=row["profile_id"],
        profile_integration_id=row["profile_integration_id"],
        event_id=row["event_id"],
        items=tuple(ReturnedCartItem(**item) for item in tx.read_json(row["returned_cart_items"])),
        amount=tx.read_money(row["amount"]),
    )
