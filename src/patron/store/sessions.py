"""Customer sessions, stored per Application."""

from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, insert, select, update

from patron.domain.sessions import CartItem, CustomerSession, SessionState
from patron.store.tables import customer_sessions

_t = customer_sessions


class SessionRepository:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def get(self, application_id: int, integration_id: str) -> CustomerSession | None:
        row = self._connection.execute(
            select(_t).where(_t.c.application_id == application_id, _t.c.integration_id == integration_id)
        ).first()
        return None if row is None else _to_session(row._mapping)

    def add(self, session: CustomerSession, *, profile_pk: int | None) -> CustomerSession:
        values = _to_row(session, profile_pk)
        new_id = self._connection.execute(insert(_t).values(values).returning(_t.c.id)).scalar_one()
        return _to_session({**values, "id": new_id})

    def save(self, session: CustomerSession, *, profile_pk: int | None) -> None:
        self._connection.execute(update(_t).where(_t.c.id == session.id).values(_to_row(session, profile_pk)))

    def profile_has_sessions(self, profile_pk: int) -> bool:
        return (
            self._connection.execute(select(_t.c.id).where(_t.c.profile_id == profile_pk).limit(1)).first()
            is not None
        )


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
