"""A session row of an import file as the session it describes, checked as the API checks a session PUT."""

from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any, Final

from patron.domain.attribute_definitions import AttributeSchema
from patron.domain.attributes import merge_attributes
from patron.domain.money import ZERO
from patron.domain.sessions import COUNTED_STATES, CartItem, CustomerSession, SessionState
from patron.services import attributes as attribute_service
from patron.services.transfer import fields
from patron.services.transfer.files import ITEM_KEYS, ITEM_MEASURES, RowError

# The API's limits (SEMANTICS 6.1).
_MAX_CART_ITEMS: Final = 1000
_MAX_CART_QUANTITY: Final = 10_000
_MAX_IDENTIFIERS: Final = 5
_STATES: Final = frozenset(state.value for state in SessionState)
_RETURNING_STATES: Final = frozenset({SessionState.PARTIALLY_RETURNED, SessionState.CANCELLED})


@dataclass(frozen=True, slots=True)
class SessionRow:
    line: int
    session: CustomerSession
    # None: decide as the API does (the owner's first session in the environment).
    first_session: bool | None


def session_row(
    line: int,
    record: dict[str, Any] | str,
    schemas: attribute_service.Schemas,
    *,
    application_id: int,
    now: datetime,
) -> SessionRow:
    if isinstance(record, str):
        raise RowError(record)
    state_text = fields.text(record, "state", default=SessionState.OPEN.value)
    if state_text not in _STATES:
        fields.fail("state", f"{state_text[:50]!r} is not one of {', '.join(SessionState)}")
    state = SessionState(state_text)
    items = _cart_items(record.get("cartItems", []), schemas.cart_item)
    _check_returns(state, items)
    created = fields.timestamp(record, "created", now) or now
    updated = fields.timestamp(record, "updated", created) or created
    session = CustomerSession(
        id=0,
        application_id=application_id,
        integration_id=fields.text(record, "integrationId", low=1),
        profile_id=fields.text(record, "profileId", default=""),
        state=state,
        created=created,
        updated=updated,
        update_count=fields.integer(record.get("updateCount", 1), "updateCount", low=1),
        store_integration_id=fields.optional_text(record, "storeIntegrationId", low=1),
        evaluable_campaign_ids=_campaign_ids(record.get("evaluableCampaignIds")),
        coupon_codes=fields.strings(record, "couponCodes", high=fields.MAX_CODE) or (),
        referral_code=fields.text(record, "referralCode", default="", high=fields.MAX_CODE),
        loyalty_cards=fields.strings(record, "loyaltyCards", most=1),
        cart_items=items,
        additional_costs=fields.costs(record.get("additionalCosts", {}), "additionalCosts"),
        identifiers=fields.strings(record, "identifiers", most=_MAX_IDENTIFIERS),
        attributes=merge_attributes(
            {},
            fields.checked_attributes(
                schemas.session, fields.json_object(record, "attributes"), "attributes"
            ),
        ),
        closed_at=fields.timestamp(record, "closedAt", updated if state in COUNTED_STATES else None),
        cancelled_at=fields.timestamp(
            record, "cancelledAt", updated if state is SessionState.CANCELLED else None
        ),
    )
    first = fields.boolean(record, "firstSession", True) if "firstSession" in record else None
    return SessionRow(line, replace(session, contribution=_contribution(session)), first)


def _cart_items(value: Any, schema: AttributeSchema) -> tuple[CartItem, ...]:
    if not isinstance(value, list):
        fields.fail("cartItems", "must be a JSON array")
    if len(value) > _MAX_CART_ITEMS:
        fields.fail("cartItems", f"holds more than {_MAX_CART_ITEMS} items")
    items = tuple(_cart_item(entry, f"cartItems[{index}]", schema) for index, entry in enumerate(value))
    if sum(item.quantity for item in items) > _MAX_CART_QUANTITY:
        fields.fail("cartItems", f"hold more than {_MAX_CART_QUANTITY} units in all")
    return items


def _cart_item(entry: Any, name: str, schema: AttributeSchema) -> CartItem:
    if not isinstance(entry, dict):
        fields.fail(name, "must be a JSON object")
    if unknown := [key for key in entry if key not in ITEM_KEYS]:
        fields.fail(name, f"unknown field(s) {', '.join(map(repr, unknown))}")
    quantity = fields.integer(entry.get("quantity"), f"{name}.quantity", low=1, high=_MAX_CART_QUANTITY)
    product = entry.get("product")
    if product is not None and not (
        isinstance(product, dict) and set(product) == {"name"} and isinstance(product["name"], str)
    ):
        fields.fail(f"{name}.product", 'must be {"name": string}')
    if "price" not in entry:
        fields.fail(f"{name}.price", "required")
    attributes = fields.json_object(entry, "attributes")
    return CartItem(
        sku=fields.text(entry, "sku", low=1),
        quantity=quantity,
        price=fields.number(entry["price"], f"{name}.price"),
        name=fields.optional_text(entry, "name", high=2**31),
        category=fields.optional_text(entry, "category", high=2**31),
        product=None if product is None else product["name"],
        **{
            measure: fields.number(entry[measure], f"{name}.{measure}", low=ZERO)
            for measure in ITEM_MEASURES
            if entry.get(measure) is not None
        },
        attributes=fields.checked_attributes(schema, attributes, f"{name}.attributes"),
        additional_costs=fields.costs(entry.get("additionalCosts", {}), f"{name}.additionalCosts"),
        returned_quantity=fields.integer(
            entry.get("returnedQuantity", 0), f"{name}.returnedQuantity", low=0, high=quantity
        ),
    )


def _check_returns(state: SessionState, items: tuple[CartItem, ...]) -> None:
    """Only returns move a session to partially_returned, and only closed sessions have returns."""
    returned = any(item.returned_quantity for item in items)
    if returned and state not in _RETURNING_STATES:
        fields.fail("cartItems", f"a {state} session cannot have returned units")
    if state is SessionState.PARTIALLY_RETURNED and not returned:
        fields.fail("state", "a partially_returned session needs returned units (returnedQuantity)")


def _campaign_ids(value: Any) -> tuple[int, ...] | None:
    if value is None:
        return None
    if not isinstance(value, list):
        fields.fail("evaluableCampaignIds", "must be a JSON array of integers")
    return tuple(fields.integer(element, "evaluableCampaignIds", low=0) for element in value)


def returned_value(session: CustomerSession) -> Decimal:
    return sum((item.unit_value() * item.returned_quantity for item in session.cart_items), ZERO)


def _contribution(session: CustomerSession) -> Decimal:
    """What the session adds to its owner's totalSales: its total less returned units (SEMANTICS 7, 9.2)."""
    return session.total - returned_value(session) if session.counted else ZERO
