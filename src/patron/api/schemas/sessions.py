"""CustomerSessionV2, cart items, returns, and the requests that change sessions."""

from decimal import Decimal
from typing import Annotated, Literal, Self, TypeVar

import msgspec

from patron.api.schemas.common import Amount, Attributes, Measure, Money, RequestBody, Timestamp, Wire
from patron.domain import returns, sessions
from patron.errors import InvalidInputError

MAX_CART_QUANTITY = 10_000
T = TypeVar("T")

SessionState = Literal["open", "closed", "partially_returned", "cancelled"]
Text = Annotated[str, msgspec.Meta(max_length=1000)]
NonEmptyText = Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
Code = Annotated[str, msgspec.Meta(max_length=100)]
Quantity = Annotated[int, msgspec.Meta(ge=1, le=MAX_CART_QUANTITY)]


class AdditionalCost(Wire, kw_only=True):
    price: Money


class AdditionalCostIn(RequestBody, kw_only=True):
    price: Amount


class Product(RequestBody, kw_only=True):
    name: Text


class CartItemIn(RequestBody, kw_only=True):
    name: str | None = None
    sku: NonEmptyText
    quantity: Quantity
    # Required: without a catalog there is nowhere else to find the price (SEMANTICS 20.30).
    price: Amount
    category: str | None = None
    product: Product | None = None
    weight: Measure | None = None
    height: Measure | None = None
    width: Measure | None = None
    length: Measure | None = None
    attributes: Attributes | None = None
    additional_costs: dict[str, AdditionalCostIn] | None = None

    def to_domain(self) -> sessions.CartItem:
        return sessions.CartItem(
            sku=self.sku,
            quantity=self.quantity,
            price=Decimal(self.price),
            name=self.name,
            category=self.category,
            product=self.product.name if self.product else None,
            weight=_decimal(self.weight),
            height=_decimal(self.height),
            width=_decimal(self.width),
            length=_decimal(self.length),
            attributes=self.attributes or {},
            additional_costs=_costs(self.additional_costs) or {},
        )


class NewCustomerSessionV2(RequestBody, kw_only=True):
    profile_id: Text | None = None
    store_integration_id: NonEmptyText | None = None
    evaluable_campaign_ids: list[int] | None = None
    coupon_codes: list[Code] | None = None
    referral_code: Code | None = None
    loyalty_cards: Annotated[list[str], msgspec.Meta(max_length=1)] | None = None
    state: SessionState | None = None
    cart_items: Annotated[list[CartItemIn], msgspec.Meta(max_length=1000)] | None = None
    additional_costs: dict[str, AdditionalCostIn] | None = None
    identifiers: Annotated[list[str], msgspec.Meta(max_length=5)] | None = None
    attributes: Attributes | None = None

    def to_domain(self) -> sessions.SessionUpdate:
        items = self.cart_items
        if items and sum(item.quantity for item in items) > MAX_CART_QUANTITY:
            raise InvalidInputError(
                f"the cart holds more than {MAX_CART_QUANTITY} units in all",
                pointer="/customerSession/cartItems",
            )
        return sessions.SessionUpdate(
            profile_id=self.profile_id,
            state=sessions.SessionState(self.state) if self.state else None,
            store_integration_id=self.store_integration_id,
            evaluable_campaign_ids=_tuple(self.evaluable_campaign_ids),
            coupon_codes=_tuple(self.coupon_codes),
            referral_code=self.referral_code,
            loyalty_cards=_tuple(self.loyalty_cards),
            cart_items=None if items is None else tuple(item.to_domain() for item in items),
            additional_costs=_costs(self.additional_costs),
            identifiers=_tuple(self.identifiers),
            attributes=self.attributes,
        )


SessionResponseContent = Literal[
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "awardedGiveaways",
    "ruleFailureReasons",
    "previousReturns",
    "campaignEligibility",
]


class IntegrationRequest(RequestBody, kw_only=True):
    customer_session: NewCustomerSessionV2
    response_content: list[SessionResponseContent] | None = None


class ReturnedCartItemIn(RequestBody, kw_only=True):
    position: Annotated[int, msgspec.Meta(ge=0)] | None = None
    quantity: Quantity | None = None
    sku: NonEmptyText | None = None

    def to_domain(self) -> returns.ReturnRequestItem:
        return returns.ReturnRequestItem(position=self.position, sku=self.sku, quantity=self.quantity)


class NewReturn(RequestBody, kw_only=True):
    returned_cart_items: Annotated[list[ReturnedCartItemIn], msgspec.Meta(min_length=1, max_length=1000)]


ReturnResponseContent = Literal[
    "customerSession",
    "customerProfile",
    "coupons",
    "triggeredCampaigns",
    "referral",
    "loyalty",
    "event",
    "previousReturns",
]


class ReturnIntegrationRequest(RequestBody, kw_only=True):
    return_: NewReturn = msgspec.field(name="return")
    response_content: list[ReturnResponseContent] | None = None


class ProductOut(Wire, kw_only=True):
    name: str


class CartItem(Wire, kw_only=True):
    name: str | None = None
    sku: str
    quantity: int
    returned_quantity: int
    remaining_quantity: int
    price: Money
    category: str | None = None
    product: ProductOut | None = None
    weight: Money | None = None
    height: Money | None = None
    width: Money | None = None
    length: Money | None = None
    position: int
    attributes: Attributes
    additional_costs: dict[str, AdditionalCost] | None = None

    @classmethod
    def of(cls, item: sessions.CartItem, position: int) -> Self:
        return cls(
            name=item.name,
            sku=item.sku,
            quantity=item.quantity,
            returned_quantity=item.returned_quantity,
            remaining_quantity=item.remaining_quantity,
            price=item.price,
            category=item.category,
            product=None if item.product is None else ProductOut(name=item.product),
            weight=item.weight,
            height=item.height,
            width=item.width,
            length=item.length,
            position=position,
            attributes=item.attributes,
            additional_costs=_costs_out(item.additional_costs),
        )


class CustomerSessionV2(Wire, kw_only=True):
    id: int
    created: Timestamp
    integration_id: str
    application_id: int
    profile_id: str
    store_integration_id: str | None = None
    evaluable_campaign_ids: list[int] | None = None
    coupon_codes: list[str]
    referral_code: str
    loyalty_cards: list[str] | None = None
    state: SessionState
    cart_items: list[CartItem]
    additional_costs: dict[str, AdditionalCost] | None = None
    identifiers: list[str] | None = None
    attributes: Attributes
    first_session: bool
    update_count: int
    total: Money
    cart_item_total: Money
    additional_cost_total: Money
    cart_item_additional_cost_total: Money
    updated: Timestamp

    @classmethod
    def of(cls, session: sessions.CustomerSession) -> Self:
        return cls(
            id=session.id,
            created=session.created,
            integration_id=session.integration_id,
            application_id=session.application_id,
            profile_id=session.profile_id,
            store_integration_id=session.store_integration_id,
            evaluable_campaign_ids=_list(session.evaluable_campaign_ids),
            coupon_codes=list(session.coupon_codes),
            referral_code=session.referral_code,
            loyalty_cards=_list(session.loyalty_cards),
            state=session.state.value,
            cart_items=[CartItem.of(item, position) for position, item in enumerate(session.cart_items)],
            additional_costs=_costs_out(session.additional_costs),
            identifiers=_list(session.identifiers),
            attributes=session.attributes,
            first_session=session.first_session,
            update_count=session.update_count,
            total=session.total,
            cart_item_total=session.cart_item_total,
            additional_cost_total=session.additional_cost_total,
            cart_item_additional_cost_total=session.cart_item_additional_cost_total,
            updated=session.updated,
        )


class ReturnedCartItem(Wire, kw_only=True):
    position: int
    quantity: int
    sku: str


class Return(Wire, kw_only=True):
    id: int
    created: Timestamp
    application_id: int
    account_id: int
    returned_cart_items: list[ReturnedCartItem]
    event_id: int
    session_id: int
    session_integration_id: str
    profile_id: int | None = None
    profile_integration_id: str | None = None

    @classmethod
    def of(cls, record: returns.ReturnRecord) -> Self:
        return cls(
            id=record.id,
            created=record.created,
            application_id=record.application_id,
            account_id=record.account_id,
            returned_cart_items=[
                ReturnedCartItem(position=i.position, quantity=i.quantity, sku=i.sku) for i in record.items
            ],
            event_id=record.event_id,
            session_id=record.session_id,
            session_integration_id=record.session_integration_id,
            profile_id=record.profile_id,
            profile_integration_id=record.profile_integration_id or None,
        )


def _costs(costs: dict[str, AdditionalCostIn] | None) -> dict[str, Decimal] | None:
    return None if costs is None else {name: Decimal(cost.price) for name, cost in costs.items()}


def _costs_out(costs: dict[str, Decimal]) -> dict[str, AdditionalCost] | None:
    return {name: AdditionalCost(price=price) for name, price in costs.items()} or None


def _decimal(value: Decimal | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _tuple(values: list[T] | None) -> tuple[T, ...] | None:
    return None if values is None else tuple(values)


def _list(values: tuple[T, ...] | None) -> list[T] | None:
    return None if values is None else list(values)
