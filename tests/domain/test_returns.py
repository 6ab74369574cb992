from decimal import Decimal

import pytest

from patron.domain.returns import ReturnRequestItem, return_items
from patron.domain.sessions import CustomerSession, SessionState, SessionUpdate, update_session
from patron.errors import InvalidInputError, InvalidTransitionError
from tests.factories import NOW, make_item, make_session


def closed_105() -> CustomerSession:
    """SEMANTICS 7's worked example: A 60 x1, B 20 x2, shipping 5."""
    open_session = make_session(
        items=(make_item(sku="A", price="60"), make_item(sku="B", quantity=2, price="20")), shipping="5"
    )
    return update_session(open_session, SessionUpdate(state=SessionState.CLOSED), now=NOW)


def test_the_worked_example_returns_one_unit_at_a_time_then_refuses() -> None:
    session = closed_105()
    assert session.contribution == Decimal("105")

    first = return_items(session, [ReturnRequestItem(position=1, quantity=1)], now=NOW).session
    second = return_items(first, [ReturnRequestItem(position=1, quantity=1)], now=NOW).session

    assert (first.state, first.contribution) == (SessionState.PARTIALLY_RETURNED, Decimal("85"))
    assert (first.cart_items[1].returned_quantity, first.cart_items[1].remaining_quantity) == (1, 1)
    assert second.contribution == Decimal("65")
    assert (second.cart_items[1].returned_quantity, second.cart_items[1].remaining_quantity) == (2, 0)
    with pytest.raises(InvalidInputError):
        return_items(second, [ReturnRequestItem(position=1, quantity=1)], now=NOW)


def test_returned_units_carry_their_own_costs_but_not_session_costs() -> None:
    open_session = make_session(items=(make_item(quantity=3, price="10", gift="1.5"),), shipping="5")
    session = update_session(open_session, SessionUpdate(state=SessionState.CLOSED), now=NOW)

    outcome = return_items(session, [ReturnRequestItem(position=0, quantity=2)], now=NOW)

    assert outcome.amount == Decimal("23.0")
    assert outcome.session.contribution == Decimal("39.5") - Decimal("23.0")


def test_an_omitted_quantity_returns_every_remaining_unit_and_sku_finds_the_item() -> None:
    outcome = return_items(closed_105(), [ReturnRequestItem(sku="B")], now=NOW)

    assert [(item.position, item.quantity) for item in outcome.items] == [(1, 2)]
    assert outcome.session.contribution == Decimal("65")


@pytest.mark.parametrize(
    ("items", "pointer"),
    [
        ([ReturnRequestItem(position=2)], "/return/returnedCartItems/0/position"),
        ([ReturnRequestItem(position=0, sku="B")], "/return/returnedCartItems/0/sku"),
        ([ReturnRequestItem(quantity=1)], "/return/returnedCartItems/0"),
        ([ReturnRequestItem(sku="nope")], "/return/returnedCartItems/0/sku"),
        (
            [ReturnRequestItem(position=1, quantity=2), ReturnRequestItem(position=1, quantity=1)],
            "/return/returnedCartItems/1",
        ),
    ],
    ids=[
        "position-out-of-range",
        "position-and-sku-disagree",
        "neither",
        "unknown-sku",
        "over-return-in-one-request",
    ],
)
def test_a_bad_return_is_refused_whole(items: list[ReturnRequestItem], pointer: str) -> None:
    with pytest.raises(InvalidInputError) as error:
        return_items(closed_105(), items, now=NOW)

    assert error.value.details[0].source.pointer == pointer


@pytest.mark.parametrize("state", [SessionState.OPEN, SessionState.CANCELLED])
def test_only_closed_or_partially_returned_sessions_take_returns(state: SessionState) -> None:
    with pytest.raises(InvalidTransitionError):
        return_items(
            make_session(state=state, items=(make_item(),)), [ReturnRequestItem(position=0)], now=NOW
        )
