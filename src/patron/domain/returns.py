"""Returning cart items of a closed session (SEMANTICS 9.2, 20.5)."""

from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal

from patron.domain.money import ZERO
from patron.domain.sessions import CustomerSession, SessionOperation, SessionState, check_transition
from patron.errors import InvalidInputError

_POINTER = "/return/returnedCartItems"


@dataclass(frozen=True, slots=True)
class ReturnRequestItem:
    """Which stored item to return, by position or sku; quantity None means all remaining units."""

    position: int | None = None
    sku: str | None = None
    quantity: int | None = None


@dataclass(frozen=True, slots=True)
class ReturnedCartItem:
    position: int
    quantity: int
    sku: str


@dataclass(frozen=True, slots=True)
class SessionReturn:
    """The outcome of a return: the session after it, and what was returned for how much."""

    session: CustomerSession
    items: tuple[ReturnedCartItem, ...]
    amount: Decimal


def return_items(
    session: CustomerSession, requested: list[ReturnRequestItem], *, now: datetime
) -> SessionReturn:
    """Return units of a closed or partially returned session; all or nothing.

    The session's contribution to totalSales shrinks by each returned unit's price plus its
    own additional costs; session-level costs come back only on cancel or reopen (SEMANTICS 20.3).
    """
    if session.state not in (SessionState.CLOSED, SessionState.PARTIALLY_RETURNED):
        check_transition(session.state, SessionState.PARTIALLY_RETURNED, via=SessionOperation.RETURN)
    resolved = _resolve(session, requested)
    wanted = Counter[int]()
    for item in resolved:
        wanted[item.position] += item.quantity
    cart_items = tuple(
        replace(item, returned_quantity=item.returned_quantity + wanted[index]) if wanted[index] else item
        for index, item in enumerate(session.cart_items)
    )
    amount = sum((session.cart_items[p].unit_value() * q for p, q in wanted.items()), ZERO)
    returned = replace(
        session,
        state=SessionState.PARTIALLY_RETURNED,
        cart_items=cart_items,
        contribution=session.contribution - amount,
        updated=now,
        update_count=session.update_count + 1,
    )
    return SessionReturn(returned, tuple(resolved), amount)


def _resolve(session: CustomerSession, requested: list[ReturnRequestItem]) -> list[ReturnedCartItem]:
    if not requested:
        raise InvalidInputError("Name at least one cart item to return", pointer=_POINTER)
    resolved: list[ReturnedCartItem] = []
    already = Counter[int]()
    for index, item in enumerate(requested):
        pointer = f"{_POINTER}/{index}"
        position = _position(session, item, already, pointer)
        remaining = session.cart_items[position].remaining_quantity - already[position]
        quantity = remaining if item.quantity is None else item.quantity
        if not 1 <= quantity <= remaining:
            raise InvalidInputError(
                f"Cart item {position} has {remaining} units left to return, not {quantity}", pointer=pointer
            )
        already[position] += quantity
        resolved.append(ReturnedCartItem(position, quantity, session.cart_items[position].sku))
    return resolved


def _position(session: CustomerSession, item: ReturnRequestItem, already: Counter[int], pointer: str) -> int:
    items = session.cart_items
    if item.position is not None:
        if not 0 <= item.position < len(items):
            raise InvalidInputError(
                f"There is no cart item at position {item.position}", pointer=f"{pointer}/position"
            )
        if item.sku is not None and items[item.position].sku != item.sku:
            raise InvalidInputError(
                f"The cart item at position {item.position} has another sku than {item.sku!r}",
                pointer=f"{pointer}/sku",
            )
        return item.position
    if item.sku is None:
        raise InvalidInputError("Give the position or the sku of the cart item to return", pointer=pointer)
    for index, candidate in enumerate(items):
        if candidate.sku == item.sku and candidate.remaining_quantity - already[index] > 0:
            return index
    raise InvalidInputError(
        f"No cart item with sku {item.sku!r} has units left to return", pointer=f"{pointer}/sku"
    )


@dataclass(frozen=True, slots=True)
class ReturnRecord:
    """A stored return (Talon.One's `Return`); `id` is 0 until stored."""

    id: int
    created: datetime
    application_id: int
    account_id: int
    session_id: int
    session_integration_id: str
    profile_id: int | None
    profile_integration_id: str
    event_id: int
    items: tuple[ReturnedCartItem, ...]
    amount: Decimal
