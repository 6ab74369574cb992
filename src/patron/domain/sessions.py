"""Customer sessions (carts and orders): states, transitions, totals, and what they count for."""

from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, Final, TypeVar

from patron.domain.attributes import Attributes, merge_attributes
from patron.domain.money import ZERO
from patron.domain.profiles import ProfileAggregates
from patron.errors import ErrorDetail, ErrorSource, InvalidInputError, InvalidTransitionError, pointer_token


class SessionState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"
    PARTIALLY_RETURNED = "partially_returned"
    CANCELLED = "cancelled"


class SessionOperation(StrEnum):
    UPDATE = "update"  # PUT /v2/customer_sessions/{id}
    RETURN = "return"  # POST /v2/customer_sessions/{id}/returns
    REOPEN = "reopen"  # PUT /v2/customer_sessions/{id}/reopen


_S, _Op = SessionState, SessionOperation
# Each allowed change of state, and the only operation that may make it (SEMANTICS 6.3).
_TRANSITIONS: Final[dict[tuple[SessionState | None, SessionState], SessionOperation]] = {
    (None, _S.OPEN): _Op.UPDATE,
    (None, _S.CLOSED): _Op.UPDATE,
    (_S.OPEN, _S.OPEN): _Op.UPDATE,
    (_S.OPEN, _S.CLOSED): _Op.UPDATE,
    (_S.OPEN, _S.CANCELLED): _Op.UPDATE,
    (_S.CLOSED, _S.CANCELLED): _Op.UPDATE,
    (_S.CLOSED, _S.PARTIALLY_RETURNED): _Op.RETURN,
    (_S.PARTIALLY_RETURNED, _S.PARTIALLY_RETURNED): _Op.RETURN,
    (_S.CLOSED, _S.OPEN): _Op.REOPEN,
    (_S.PARTIALLY_RETURNED, _S.CANCELLED): _Op.UPDATE,
}
# Sessions in these states are completed purchases: they count on their profile (SEMANTICS 7).
COUNTED_STATES: Final = frozenset({_S.CLOSED, _S.PARTIALLY_RETURNED})
_STATE_POINTER: Final = "/customerSession/state"
_T = TypeVar("_T")


def _keep(new: _T | None, old: _T) -> _T:
    return old if new is None else new


def check_transition(current: SessionState | None, target: SessionState, *, via: SessionOperation) -> None:
    """Raise `InvalidTransitionError` unless `via` may move a session from `current` to `target`.

    `current` None stands for a session that does not exist yet.
    """
    if _TRANSITIONS.get((current, target)) is not via:
        origin = "a new session" if current is None else f"a session in state {current}"
        raise InvalidTransitionError(
            f"Cannot move {origin} to state {target} with this request", pointer=_STATE_POINTER
        )


@dataclass(frozen=True, slots=True)
class CartItem:
    sku: str
    quantity: int
    price: Decimal
    name: str | None = None
    category: str | None = None
    product: str | None = None
    weight: Decimal | None = None
    height: Decimal | None = None
    width: Decimal | None = None
    length: Decimal | None = None
    attributes: Attributes = field(default_factory=dict)
    additional_costs: dict[str, Decimal] = field(default_factory=dict)
    returned_quantity: int = 0

    @property
    def remaining_quantity(self) -> int:
        return self.quantity - self.returned_quantity

    def unit_value(self) -> Decimal:
        """What one unit is worth before discounts: its price plus its own additional costs."""
        return self.price + sum(self.additional_costs.values(), ZERO)


@dataclass(frozen=True, slots=True)
class CustomerSession:
    """A session of one Application. `id` is 0 until stored; `profile_id` "" means anonymous.

    `contribution` is what the session adds to its profile's `totalSales` while it counts.
    """

    id: int
    application_id: int
    integration_id: str
    profile_id: str
    state: SessionState
    created: datetime
    updated: datetime
    first_session: bool = True
    update_count: int = 1
    store_integration_id: str | None = None
    evaluable_campaign_ids: tuple[int, ...] | None = None
    coupon_codes: tuple[str, ...] = ()
    referral_code: str = ""
    loyalty_cards: tuple[str, ...] | None = None
    cart_items: tuple[CartItem, ...] = ()
    additional_costs: dict[str, Decimal] = field(default_factory=dict)
    identifiers: tuple[str, ...] | None = None
    attributes: Attributes = field(default_factory=dict)
    contribution: Decimal = ZERO
    closed_at: datetime | None = None
    cancelled_at: datetime | None = None

    @property
    def anonymous(self) -> bool:
        return self.profile_id == ""

    @property
    def counted(self) -> bool:
        return self.state in COUNTED_STATES

    @property
    def cart_item_total(self) -> Decimal:
        return sum((item.price * item.quantity for item in self.cart_items), ZERO)

    @property
    def additional_cost_total(self) -> Decimal:
        return sum(self.additional_costs.values(), ZERO)

    @property
    def cart_item_additional_cost_total(self) -> Decimal:
        # Item-level costs are per unit (SEMANTICS 20.7).
        return sum((sum(i.additional_costs.values(), ZERO) * i.quantity for i in self.cart_items), ZERO)

    @property
    def total(self) -> Decimal:
        return self.cart_item_total + self.additional_cost_total + self.cart_item_additional_cost_total

    def aggregates(self) -> ProfileAggregates:
        """What this session currently adds to its owner's counters."""
        if not self.counted or self.anonymous:
            return ProfileAggregates()
        return ProfileAggregates(closed_sessions=1, total_sales=self.contribution)


def total_of(cart_items: tuple[CartItem, ...], additional_costs: dict[str, Decimal]) -> Decimal:
    """A session's total before discounts: items, their own per-unit costs, the session's costs (6.6)."""
    # The same sums, in the same order, as the properties: Decimal rounds each to 28 digits.
    item_total = sum((item.price * item.quantity for item in cart_items), ZERO)
    cost_total = sum(additional_costs.values(), ZERO)
    item_cost_total = sum((sum(i.additional_costs.values(), ZERO) * i.quantity for i in cart_items), ZERO)
    return item_total + cost_total + item_cost_total


@dataclass(frozen=True, slots=True)
class SessionUpdate:
    """The fields a session PUT carries; None means absent (keep the stored value)."""

    profile_id: str | None = None
    state: SessionState | None = None
    store_integration_id: str | None = None
    evaluable_campaign_ids: tuple[int, ...] | None = None
    coupon_codes: tuple[str, ...] | None = None
    referral_code: str | None = None
    loyalty_cards: tuple[str, ...] | None = None
    cart_items: tuple[CartItem, ...] | None = None
    additional_costs: dict[str, Decimal] | None = None
    identifiers: tuple[str, ...] | None = None
    attributes: Attributes | None = None


def session_change_delta(before: CustomerSession | None, after: CustomerSession) -> ProfileAggregates:
    """How a session moving from `before` (None: new) to `after` changes its owner's counters.

    Closed and partially returned sessions count. Cancelling or reopening takes back what
    closing added; a return lowers the contribution by the value of the returned units.
    """
    return after.aggregates() - (before.aggregates() if before is not None else ProfileAggregates())


def create_session(
    *, application_id: int, integration_id: str, update: SessionUpdate, first_session: bool, now: datetime
) -> CustomerSession:
    state = update.state or SessionState.OPEN
    check_transition(None, state, via=SessionOperation.UPDATE)
    blank = CustomerSession(
        id=0,
        application_id=application_id,
        integration_id=integration_id,
        profile_id="",
        state=SessionState.OPEN,
        created=now,
        updated=now,
        first_session=first_session,
        update_count=0,
    )
    return _with_state(blank, state, now, fields=_fields(blank, update))


def update_session(stored: CustomerSession, update: SessionUpdate, *, now: datetime) -> CustomerSession:
    """Apply a PUT to a stored session (SEMANTICS 6.2, 6.3).

    An omitted state keeps an open session open; on any other state it asks for `open`, which
    only reopen may do. Closed sessions are frozen: a PUT may only cancel them, and changes
    nothing else.
    """
    target = update.state or SessionState.OPEN
    check_transition(stored.state, target, via=SessionOperation.UPDATE)
    if stored.state is SessionState.OPEN:
        return _with_state(stored, target, now, fields=_fields(stored, update))
    if update.profile_id not in (None, stored.profile_id):
        raise InvalidInputError(
            "Only an open session can change its profile", pointer="/customerSession/profileId"
        )
    return _with_state(stored, target, now)


def reopen_session(stored: CustomerSession, *, now: datetime) -> CustomerSession:
    check_transition(stored.state, SessionState.OPEN, via=SessionOperation.REOPEN)
    return _with_state(stored, SessionState.OPEN, now)


def _fields(session: CustomerSession, update: SessionUpdate) -> dict[str, Any]:
    """What a PUT changes in an open session: the fields it sends; attributes merge (6.2)."""
    return {
        "profile_id": _keep(update.profile_id, session.profile_id),
        "store_integration_id": _keep(update.store_integration_id, session.store_integration_id),
        "evaluable_campaign_ids": _keep(update.evaluable_campaign_ids, session.evaluable_campaign_ids),
        "coupon_codes": _keep(update.coupon_codes, session.coupon_codes),
        "referral_code": _keep(update.referral_code, session.referral_code),
        "loyalty_cards": _keep(update.loyalty_cards, session.loyalty_cards),
        "cart_items": _keep(update.cart_items, session.cart_items),
        "additional_costs": _keep(update.additional_costs, session.additional_costs),
        "identifiers": _keep(update.identifiers, session.identifiers),
        "attributes": merge_attributes(session.attributes, update.attributes),
    }


def _with_state(
    session: CustomerSession, state: SessionState, now: datetime, *, fields: dict[str, Any] | None = None
) -> CustomerSession:
    """Move to `state` with `fields` changed, keeping the counted contribution in step (SEMANTICS 7).

    One copy of the session, not one per change: copying a frozen dataclass is most of the cost.
    """
    changes = dict(fields or {})
    changes.update(state=state, updated=now, update_count=session.update_count + 1)
    if state is SessionState.CLOSED and session.state is not SessionState.CLOSED:
        items = changes.get("cart_items", session.cart_items)
        costs = changes.get("additional_costs", session.additional_costs)
        changes.update(contribution=total_of(items, costs), closed_at=now)
    elif state is SessionState.CANCELLED:
        changes.update(contribution=ZERO, cancelled_at=now)
    elif state is SessionState.OPEN:
        changes.update(contribution=ZERO)
    return replace(session, **changes)


def payload_only(stored: CustomerSession) -> CustomerSession:
    """The stored session stripped of everything a caller sends, so only the payload counts."""
    return replace(
        stored,
        store_integration_id=None,
        evaluable_campaign_ids=None,
        coupon_codes=(),
        referral_code="",
        loyalty_cards=None,
        cart_items=(),
        additional_costs={},
        identifiers=None,
        attributes={},
    )


def check_additional_cost_names(update: SessionUpdate, allowed: frozenset[str]) -> None:
    """Raise one InvalidInputError naming every additional cost not in `allowed` (SEMANTICS 6.1).

    Additional costs must be defined in the account; patron has no way to define them, so the
    operator lists the names (PATRON_ADDITIONAL_COST_NAMES) and an empty list allows any name.
    """
    if not allowed:
        return
    named = [("/customerSession/additionalCosts", name) for name in update.additional_costs or {}]
    for index, item in enumerate(update.cart_items or ()):
        named += [
            (f"/customerSession/cartItems/{index}/additionalCosts", name) for name in item.additional_costs
        ]
    problems = [
        ErrorDetail(
            "Unknown",
            f'The additional cost "{name}" is not defined.',
            ErrorSource(pointer=f"{where}/{pointer_token(name)}"),
        )
        for where, name in named
        if name not in allowed
    ]
    if problems:
        raise InvalidInputError("The submitted data was invalid", details=problems)
