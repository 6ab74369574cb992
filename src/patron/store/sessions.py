"""Customer sessions, stored per Application."""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, Connection, Select, bindparam, exists, func, insert, select, update

from patron.domain.sessions import COUNTED_STATES, CartItem, CustomerSession, SessionState
from patron.store._dialect import json_array_texts, sortable_money
from patron.store.paging import Found, PageRequest, fetch_page, order_by
from patron.store.tables import customer_sessions

_t = customer_sessions
# Partial matches need this many characters; shorter terms match exactly (SEMANTICS 17.7).
_PARTIAL_MIN = 3

# The statements of the write path, built once: building one costs more than running it.
_GET = select(_t).where(
    _t.c.application_id == bindparam("application_id"), _t.c.integration_id == bindparam("integration_id")
)
_ADD = insert(_t).returning(_t.c.id)  # the columns come from the parameters
_SAVE = update(_t).where(_t.c.id == bindparam("row_id"))
_HAS_SESSIONS = select(_t.c.id).where(_t.c.profile_id == bindparam("profile_id")).limit(1)


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
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, application_id: int, integration_id: str) -> CustomerSession | None:
        parameters = {"application_id": application_id, "integration_id": integration_id}
        row = self._connection.execute(_GET, parameters).first()
        return None if row is None else _to_session(row._mapping)

    def add(self, session: CustomerSession, *, profile_pk: int | None) -> CustomerSession:
        values = _to_row(session, profile_pk)
        new_id = self._connection.execute(_ADD, values).scalar_one()
        return _to_session({**values, "id": new_id})

    def save(self, session: CustomerSession, *, profile_pk: int | None) -> None:
        self._connection.execute(_SAVE, {"row_id": session.id, **_to_row(session, profile_pk)})

    def get_by_id(self, application_id: int, session_id: int) -> OwnedSession | None:
        row = self._connection.execute(
            select(_t).where(_t.c.application_id == application_id, _t.c.id == session_id)
        ).first()
        return None if row is None else _owned(row._mapping)

    def find(
        self, application_id: int, wanted: SessionFilter, page: PageRequest, *, sort: str | None = None
    ) -> Found[OwnedSession]:
        """One page of the Application's matching sessions.

        `sort` names a wire field, with `-` first for descending; the default order is by id.
        """
        columns = {
            "id": _t.c.id,
            "created": _t.c.created,
            "updated": _t.c.updated,
            "integrationId": _t.c.integration_id,
            "storeIntegrationId": _t.c.store_integration_id,
            "profileintegrationid": _t.c.profile_integration_id,
            "state": _t.c.state,
            "total": sortable_money(self._connection, _t.c.total),
        }
        query = self._matching(application_id, wanted).order_by(*order_by(sort, columns, tie=_t.c.id))
        return fetch_page(self._connection, query, page, _owned)

    def stream(self, application_id: int, wanted: SessionFilter) -> Iterator[OwnedSession]:
        """Every matching session of the Application in id order, fetched in batches."""
        query = self._matching(application_id, wanted).order_by(_t.c.id).execution_options(yield_per=500)
        for row in self._connection.execute(query):
            yield _owned(row._mapping)

    def counted_contributions(
        self,
        application_id: int,
        profile_pk: int,
        *,
        closed_from: datetime | None = None,
        closed_until: datetime | None = None,
    ) -> list[Decimal]:
        """What each of the profile's sessions here that counts as an order adds to its totalSales."""
        query = select(_t.c.contribution).where(
            _t.c.application_id == application_id,
            _t.c.profile_id == profile_pk,
            _t.c.state.in_([state.value for state in COUNTED_STATES]),
        )
        if closed_from is not None:
            query = query.where(_t.c.closed_at >= closed_from)
        if closed_until is not None:
            query = query.where(_t.c.closed_at <= closed_until)
        return list(self._connection.execute(query).scalars())

    def _matching(self, application_id: int, wanted: SessionFilter) -> Select[Any]:
        partial = wanted.partial_match
        query = select(_t).where(_t.c.application_id == application_id)
        for column, term in (
            (_t.c.profile_integration_id, wanted.profile),
            (_t.c.referral_code, wanted.referral),
            (_t.c.integration_id, wanted.integration_id),
            (_t.c.store_integration_id, wanted.store_integration_id),
        ):
            if term is not None:
                query = query.where(_text_match(column, term, partial=partial))
        if wanted.coupon is not None:
            codes = json_array_texts(self._connection, _t.c.coupon_codes)
            match = _text_match(codes.c.value, wanted.coupon, partial=partial)
            query = query.where(exists(select(codes.c.value).where(match)))
        if wanted.state is not None:
            query = query.where(_t.c.state == wanted.state.value)
        for column, before, after in (
            (_t.c.created, wanted.created_before, wanted.created_after),
            (_t.c.updated, wanted.updated_before, wanted.updated_after),
        ):
            if before is not None:
                query = query.where(column < before)
            if after is not None:
                query = query.where(column > after)
        return query

    def profile_has_sessions(self, profile_pk: int) -> bool:
        return self._connection.execute(_HAS_SESSIONS, {"profile_id": profile_pk}).first() is not None


def _to_row(session: CustomerSession, profile_pk: int | None) -> dict[str, Any]:
    return {
        "application_id": session.application_id,
        "integration_id": session.integration_id,
        "profile_id": profile_pk,
        "profile_integration_id": session.profile_id,
        "state": session.state.value,
        "store_integration_id": session.store_integration_id,
        "coupon_codes": list(session.coupon_codes),
        "referral_code": session.referral_code,
        "loyalty_cards": _list_or_none(session.loyalty_cards),
        "evaluable_campaign_ids": _list_or_none(session.evaluable_campaign_ids),
        "cart_items": [_item_to_json(item) for item in session.cart_items],
        "additional_costs": session.additional_costs,
        "identifiers": _list_or_none(session.identifiers),
        "attributes": session.attributes,
        "first_session": session.first_session,
        "update_count": session.update_count,
        "total": session.total,
        "contribution": session.contribution,
        "created": session.created,
        "updated": session.updated,
        "closed_at": session.closed_at,
        "cancelled_at": session.cancelled_at,
    }


def _text_match(column: ColumnElement[Any], term: str, *, partial: bool) -> ColumnElement[bool]:
    if partial and len(term) >= _PARTIAL_MIN:
        return func.lower(column).contains(term.lower(), autoescape=True)
    return column == term


def _owned(row: Any) -> OwnedSession:
    return OwnedSession(_to_session(row), row["profile_id"])


def _to_session(row: Any) -> CustomerSession:
    return CustomerSession(
        id=row["id"],
        application_id=row["application_id"],
        integration_id=row["integration_id"],
        profile_id=row["profile_integration_id"],
        state=SessionState(row["state"]),
        created=row["created"],
        updated=row["updated"],
        first_session=row["first_session"],
        update_count=row["update_count"],
        store_integration_id=row["store_integration_id"],
        evaluable_campaign_ids=_tuple_or_none(row["evaluable_campaign_ids"]),
        coupon_codes=tuple(row["coupon_codes"]),
        referral_code=row["referral_code"],
        loyalty_cards=_tuple_or_none(row["loyalty_cards"]),
        cart_items=tuple(_item_from_json(item) for item in row["cart_items"]),
        additional_costs={name: Decimal(price) for name, price in row["additional_costs"].items()},
        identifiers=_tuple_or_none(row["identifiers"]),
        attributes=dict(row["attributes"]),
        contribution=row["contribution"],
        closed_at=row["closed_at"],
        cancelled_at=row["cancelled_at"],
    )


def session_row(session: CustomerSession, profile_pk: int | None) -> dict[str, Any]:
    """The `customer_sessions` row of a session owned by `profile_pk`, for other store modules."""
    return _to_row(session, profile_pk)


def session_from_row(row: Any) -> CustomerSession:
    """A session from a `customer_sessions` row, for queries of other store modules."""
    return _to_session(row)


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
        attributes=dict(document["attributes"]),
        additional_costs={name: Decimal(price) for name, price in document["additionalCosts"].items()},
        name=document.get("name"),
        category=document.get("category"),
        product=document.get("product"),
        **decimals,
    )


def _list_or_none(values: tuple[Any, ...] | None) -> list[Any] | None:
    return None if values is None else list(values)


def _tuple_or_none(values: list[Any] | None) -> tuple[Any, ...] | None:
    return None if values is None else tuple(values)
