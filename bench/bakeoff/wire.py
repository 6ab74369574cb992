"""The session PUT body as msgspec Structs, for the msgspec stacks of the bake-off.

Bodies are decoded in two steps, both in msgspec's C code: JSON to Python values with every
non-integer number as an exact Decimal (`float_hook`), then those values to Structs with
`msgspec.convert(strict=True)`. A one-step typed decode would be faster still, but it accepts a
decimal string ("9.99") as money and has no exact type for numbers inside `attributes`.
"""

from decimal import Decimal
from typing import Annotated, Any, Literal

import msgspec

from patron.domain.sessions import CartItem, SessionState, SessionUpdate
from patron.errors import InvalidInputError

_LIMIT = Decimal(10**15)


class Amount(Decimal):
    """Money: a JSON number (never a string or a boolean) within ±1e15, kept exact."""


def _dec_hook(kind: type, value: Any) -> Any:
    if kind is Amount:
        if isinstance(value, bool) or not isinstance(value, int | Decimal):
            raise ValueError("must be a JSON number")
        if not -_LIMIT <= value <= _LIMIT:
            raise ValueError("must be within ±1e15")
        return Amount(value)
    raise NotImplementedError


Text = Annotated[str, msgspec.Meta(max_length=1000)]
Sku = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=10_000)]


class AdditionalCost(msgspec.Struct):
    price: Amount


class CartItemIn(msgspec.Struct, rename="camel"):
    sku: Sku
    quantity: Quantity
    price: Amount
    name: str | None = None
    category: str | None = None
    attributes: dict[str, Any] | None = None
    additional_costs: dict[str, AdditionalCost] | None = None


class NewCustomerSessionV2(msgspec.Struct, rename="camel"):
    profile_id: Text | None = None
    state: Literal["open", "closed", "partially_returned", "cancelled"] | None = None
    store_integration_id: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)] | None = None
    coupon_codes: list[Annotated[str, msgspec.Meta(max_length=100)]] | None = None
    referral_code: Annotated[str, msgspec.Meta(max_length=100)] | None = None
    cart_items: Annotated[list[CartItemIn], msgspec.Meta(max_length=1000)] | None = None
    additional_costs: dict[str, AdditionalCost] | None = None
    identifiers: Annotated[list[str], msgspec.Meta(max_length=5)] | None = None
    attributes: dict[str, Any] | None = None


SessionResponseContent = Literal[
    "customerSession", "customerProfile", "event", "coupons", "triggeredCampaigns"
]


class IntegrationRequest(msgspec.Struct, rename="camel"):
    customer_session: NewCustomerSessionV2
    response_content: list[SessionResponseContent] | None = None


_DECODER = msgspec.json.Decoder(float_hook=Decimal)


def decode_session_put(body: bytes) -> IntegrationRequest:
    try:
        raw = _DECODER.decode(body)
        request: IntegrationRequest = msgspec.convert(
            raw, IntegrationRequest, strict=True, dec_hook=_dec_hook
        )
    except msgspec.DecodeError as error:
        raise InvalidInputError(f"Invalid JSON: {error}", pointer="") from None
    except msgspec.ValidationError as error:
        message, _, path = str(error).rpartition(" - at `")
        raise InvalidInputError(message or str(error), pointer=_pointer(path.rstrip("`"))) from None
    return request


def _pointer(path: str) -> str:
    # "$.customerSession.cartItems[0].price" -> "/customerSession/cartItems/0/price"
    return path.removeprefix("$").replace("[", ".").replace("]", "").replace(".", "/")


def session_update(session: NewCustomerSessionV2) -> SessionUpdate:
    return SessionUpdate(
        profile_id=session.profile_id,
        state=None if session.state is None else SessionState(session.state),
        store_integration_id=session.store_integration_id,
        coupon_codes=None if session.coupon_codes is None else tuple(session.coupon_codes),
        referral_code=session.referral_code,
        cart_items=None if session.cart_items is None else tuple(_item(i) for i in session.cart_items),
        additional_costs=_costs(session.additional_costs),
        identifiers=None if session.identifiers is None else tuple(session.identifiers),
        attributes=session.attributes,
    )


def _item(item: CartItemIn) -> CartItem:
    return CartItem(
        sku=item.sku,
        quantity=item.quantity,
        price=Decimal(item.price),
        name=item.name,
        category=item.category,
        attributes=item.attributes or {},
        additional_costs=_costs(item.additional_costs) or {},
    )


def _costs(costs: dict[str, AdditionalCost] | None) -> dict[str, Decimal] | None:
    return None if costs is None else {name: Decimal(cost.price) for name, cost in costs.items()}


ENCODER = msgspec.json.Encoder(decimal_format="number")
