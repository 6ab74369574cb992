"""Customer sessions, stored per Application."""

from collections.abc import AsyncGenerator
from contextlib import aclosing
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from patron.domain.sessions import COUNTED_STATES, CartItem, CustomerSession, SessionState
from patron.store._dialect import contains_text, json_array_texts, like_pattern, sortable_money
from patron.store.database import Row, Transaction
from patron.store.paging import Found, PageRequest, fetch_page, order_by

COLUMNS = (
    "s.id, s.application_id, s.integration_id, s.profile_id, s.profile_integration_id, s.state,"
    " s.store_integration_id, s.coupon_codes, s.referral_code, s.loyalty_cards, s.evaluable_campaign_ids,"
    " s.cart_items, s.additional_costs, s.identifiers, s.attributes, s.first_session, s.update_count,"
    " s.total, s.contribution, s.created, s.updated, s.closed_at, s.cancelled_at"
)
INSERT = (
    "INSERT INTO customer_sessions (application_id, integration_id, profile_id, profile_integration_id,"
    " state, store_integration_id, coupon_codes, referral_code, loyalty_cards, evaluable_campaign_ids,"
    " cart_items, additional_costs, identifiers, attributes, first_session, update_count, total,"
    " contribution, created, updated, closed_at, cancelled_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_GET = f"SELECT {COLUMNS} FROM customer_sessions s WHERE s.application_id = ? AND s.integration_id = ?"
# Only what an update can change: SQLite rewrites every index on a column an UPDATE sets, changed
# or not, and the owner's columns are indexed, so they are set only when the owner changes.
_SAVE_STATE = (
    "state = ?, store_integration_id = ?, coupon_codes = ?, referral_code = ?, loyalty_cards = ?,"
    " evaluable_campaign_ids = ?, cart_items = ?, additional_costs = ?, identifiers = ?, attributes = ?,"
    " update_count = ?, total = ?, contribution = ?, updated = ?, closed_at = ?, cancelled_at = ?"
)
_SAVE = f"UPDATE customer_sessions SET {_SAVE_STATE} WHERE id = ?"
_SAVE_WITH_OWNER = (
    f"UPDATE customer_sessions SET profile_id = ?, profile_integration_id = ?, {_SAVE_STATE} WHERE id = ?"
)
_HAS_SESSIONS = "SELECT 1 FROM customer_sessions WHERE profile_id = ? LIMIT 1"
# Partial matches need this many characters; shorter terms match exactly (SEMANTICS 17.7).
_PARTIAL_MIN = 3


@dataclass(frozen=True, slots=True)
class SessionFilter:
    """Which sessions a Management API list shows; every given criterion must hold."""

    profile: str | None = None
    state: SessionState | None = None
    created_before: datetime | None = None
    created_after: datetime | None = None
    updated_before: datetime | None = None
    updated_after: datetime | None = None
    coupon: str | None = None
    referral: str | None = None
    integration_id: str | None = None
    store_integration_id: str | None = None
    # Case-insensitive substring matching for the text criteria.
    partial_match: bool = False


@dataclass(frozen=True, slots=True)
class OwnedSession:
    """A session with its owner's internal id (None when anonymous or the profile was deleted)."""

    session: CustomerSession
    profile_pk: int | None


class SessionRepository:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    async def get(self, application_id: int, integration_id: str) -> OwnedSession | None:
        row = await self._tx.one(_GET, application_id, integration_id)
        return None if row is None else _owned(self._tx, row)

    async def add(self, session: CustomerSession, *, profile_pk: int | None) -> CustomerSession:
        new_id = await self._tx.value(f"{INSERT} RETURNING id", *values(self._tx, session, profile_pk))
        return replace(session, id=new_id)

    async def save(self, stored: OwnedSession, session: CustomerSession, *, profile_pk: int | None) -> None:
        """Overwrite the stored session with `session`, now owned by `profile_pk`."""
        tx = self._tx
        row = values(tx, session, profile_pk)
        state = (*row[4:14], *row[15:18], *row[19:22])
        if stored.profile_pk == profile_pk and stored.session.profile_id == session.profile_id:
            await tx.run(_SAVE, *state, session.id)
        else:
            await tx.run(_SAVE_WITH_OWNER, profile_pk, session.profile_id, *state, session.id)

    async def get_by_id(self, application_id: int, session_id: int) -> OwnedSession | None:
        row = await self._tx.one(
            f"SELECT {COLUMNS} FROM customer_sessions s WHERE s.application_id = ? AND s.id = ?",
            application_id,
            session_id,
        )
        return None if row is None else _owned(self._tx, row)

    async def profile_has_sessions(self, profile_pk: int) -> bool:
        return await self._tx.one(_HAS_SESSIONS, profile_pk) is not None

    async def find(
        self, application_id: int, wanted: SessionFilter, page: PageRequest, *, sort: str | None = None
    ) -> Found[OwnedSession]:
        """One page of the Application's matching sessions.

        `sort` names a wire field, with `-` first for descending; the default order is by id.
        """
        columns = {
            "id": "s.id",
            "created": "s.created",
            "updated": "s.updated",
            "integrationId": "s.integration_id",
            "storeIntegrationId": "s.store_integration_id",
            "profileintegrationid": "s.profile_integration_id",
            "state": "s.state",
            "total": sortable_money(self._tx, "s.total"),
        }
        query, args = self._matching(application_id, wanted)
        query += order_by(sort, columns, tie="s.id")
        return await fetch_page(self._tx, query, args, page, lambda row: _owned(self._tx, row))

    async def stream(self, application_id: int, wanted: SessionFilter) -> AsyncGenerator[OwnedSession, None]:
        """Every matching session of the Application in id order, fetched in batches."""
        query, args = self._matching(application_id, wanted)
        async with aclosing(self._tx.stream(f"{query} ORDER BY s.id", *args, batch=500)) as rows:
            async for row in rows:
                yield _owned(self._tx, row)

    async def counted_contributions(
        self,
        application_id: int,
        profile_pk: int,
        *,
        closed_from: datetime | None = None,
        closed_until: datetime | None = None,
    ) -> list[Decimal]:
        """What each of the profile's sessions here that counts as an order adds to its totalSales."""
        tx = self._tx
        counted = [state.value for state in COUNTED_STATES]
        query = (
            "SELECT contribution FROM customer_sessions WHERE application_id = ? AND profile_id = ?"
            f" AND state IN ({', '.join('?' * len(counted))})"
        )
        args: list[Any] = [application_id, profile_pk, *counted]
        if closed_from is not None:
            query += " AND closed_at >= ?"
            args.append(tx.time(closed_from))
        if closed_until is not None:
            query += " AND closed_at <= ?"
            args.append(tx.time(closed_until))
        return [tx.read_money(row[0]) for row in await tx.all(query, *args)]

    def _matching(self, application_id: int, wanted: SessionFilter) -> tuple[str, list[Any]]:
        tx = self._tx
        partial = wanted.partial_match
        clauses: list[str] = ["s.application_id = ?"]
        args: list[Any] = [application_id]
        for column, term in (
            ("s.profile_integration_id", wanted.profile),
            ("s.referral_code", wanted.referral),
            ("s.integration_id", wanted.integration_id),
            ("s.store_integration_id", wanted.store_integration_id),
        ):
            if term is not None:
                clause, value = _text_match(column, term, partial=partial)
                clauses.append(clause)
                args.append(value)
        if wanted.coupon is not None:
            clause, value = _text_match("value", wanted.coupon, partial=partial)
            clauses.append(f"EXISTS (SELECT 1 FROM {json_array_texts(tx, 's.coupon_codes')} WHERE {clause})")
            args.append(value)
        if wanted.state is not None:
            clauses.append("s.state = ?")
            args.append(wanted.state.value)
        for column, before, after in (
            ("s.created", wanted.created_before, wanted.created_after),
            ("s.updated", wanted.updated_before, wanted.updated_after),
        ):
            if before is not None:
                clauses.append(f"{column} < ?")
                args.append(tx.time(before))
            if after is not None:
                clauses.append(f"{column} > ?")
                args.append(tx.time(after))
        return f"SELECT {COLUMNS} FROM customer_sessions s WHERE {' AND '.join(clauses)}", args


def _text_match(column: str, term: str, *, partial: bool) -> tuple[str, str]:
    if partial and len(term) >= _PARTIAL_MIN:
        return contains_text(column), like_pattern(term)
    return f"{column} = ?", term


def values(tx: Transaction, session: CustomerSession, profile_pk: int | None) -> tuple[Any, ...]:
    """The parameters of `INSERT` for a session owned by `profile_pk` (also for batch imports)."""
    return (
        session.application_id,
        session.integration_id,
        profile_pk,
        session.profile_id,
        session.state.value,
        session.store_integration_id,
        tx.json(list(session.coupon_codes)),
        session.referral_code,
        _json_or_none(tx, session.loyalty_cards),
        _json_or_none(tx, session.evaluable_campaign_ids),
        tx.json([_item_to_json(item) for item in session.cart_items]),
        tx.json(session.additional_costs),
        _json_or_none(tx, session.identifiers),
        tx.json(session.attributes),
        session.first_session,
        session.update_count,
        tx.money(session.total),
        tx.money(session.contribution),
        tx.time(session.created),
        tx.time(session.updated),
        tx.time(session.closed_at),
        tx.time(session.cancelled_at),
    )


def _owned(tx: Transaction, row: Row) -> OwnedSession:
    return OwnedSession(to_session(tx, row), row["profile_id"])


def to_session(tx: Transaction, row: Row) -> CustomerSession:
    """A session from a row of `COLUMNS` (also for queries of other store modules)."""
    read_json = tx.read_json
    return CustomerSession(
        id=row["id"],
        application_id=row["application_id"],
        integration_id=row["integration_id"],
        profile_id=row["profile_integration_id"],
        state=SessionState(row["state"]),
        created=tx.read_time(row["created"]),
        updated=tx.read_time(row["updated"]),
        first_session=bool(row["first_session"]),
        update_count=row["update_count"],
        store_integration_id=row["store_integration_id"],
        evaluable_campaign_ids=_tuple_or_none(tx, row["evaluable_campaign_ids"]),
        coupon_codes=tuple(read_json(row["coupon_codes"])),
        referral_code=row["referral_code"],
        loyalty_cards=_tuple_or_none(tx, row["loyalty_cards"]),
        cart_items=tuple(_item_from_json(item) for item in read_json(row["cart_items"])),
        additional_costs={name: Decimal(price) for name, price in read_json(row["additional_costs"]).items()},
        identifiers=_tuple_or_none(tx, row["identifiers"]),
        attributes=read_json(row["attributes"]),
        contribution=tx.read_money(row["contribution"]),
        closed_at=tx.read_optional_time(row["closed_at"]),
        cancelled_at=tx.read_optional_time(row["cancelled_at"]),
    )


_ITEM_DECIMALS = ("price", "weight", "height", "width", "length")


def _item_to_json(item: CartItem) -> dict[str, Any]:
    document = {
        "sku": item.sku,
        "quantity": item.quantity,
        "returnedQuantity": item.returned_quantity,
        "attributes": item.attributes,
        "additionalCosts": item.additional_costs,
    }
    for name in ("name", "category", "product", *_ITEM_DECIMALS):
        value = getattr(item, name)
        if value is not None:
            document[name] = value
    return document


def _item_from_json(document: dict[str, Any]) -> CartItem:
    decimals = {name: Decimal(document[name]) for name in _ITEM_DECIMALS if name in document}
    return CartItem(
        sku=document["sku"],
        quantity=document["quantity"],
        returned_quantity=document["returnedQuantity"],
        attributes=document["attributes"],
        additional_costs={name: Decimal(price) for name, price in document["additionalCosts"].items()},
        name=document.get("name"),
        category=document.get("category"),
        product=document.get("product"),
        **decimals,
    )


def _json_or_none(tx: Transaction, values: tuple[Any, ...] | None) -> Any:
    return None if values is None else tx.json(list(values))


def _tuple_or_none(tx: Transaction, value: Any) -> tuple[Any, ...] | None:
    # Rows written through SQLAlchemy hold JSON null where these written here hold SQL NULL.
    decoded = None if value is None else tx.read_json(value)
    return None if decoded is None else tuple(decoded)
