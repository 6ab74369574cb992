from dataclasses import replace
from decimal import Decimal
from itertools import product

import pytest

from patron.domain.profiles import ProfileAggregates
from patron.domain.sessions import (
    SessionOperation,
    SessionState,
    SessionUpdate,
    check_additional_cost_names,
    check_transition,
    create_session,
    reopen_session,
    session_change_delta,
    update_session,
)
from patron.errors import InvalidInputError, InvalidTransitionError
from tests.factories import NOW, make_item, make_session

S, Op = SessionState, SessionOperation
# SEMANTICS 6.3, written out the other way round from the code: every allowed (from, to, via).
ALLOWED = {
    (None, S.OPEN, Op.UPDATE),
    (None, S.CLOSED, Op.UPDATE),
    (S.OPEN, S.OPEN, Op.UPDATE),
    (S.OPEN, S.CLOSED, Op.UPDATE),
    (S.OPEN, S.CANCELLED, Op.UPDATE),
    (S.CLOSED, S.CANCELLED, Op.UPDATE),
    (S.CLOSED, S.OPEN, Op.REOPEN),
    (S.CLOSED, S.PARTIALLY_RETURNED, Op.RETURN),
    (S.PARTIALLY_RETURNED, S.PARTIALLY_RETURNED, Op.RETURN),
    (S.PARTIALLY_RETURNED, S.CANCELLED, Op.UPDATE),
}
EVERY = list(product([None, *S], list(S), list(Op)))


@pytest.mark.parametrize(("current", "target", "via"), EVERY, ids=[f"{c}-{t}-{v}" for c, t, v in EVERY])
def test_the_transition_table_allows_exactly_the_spec_transitions(
    current: SessionState | None, target: SessionState, via: SessionOperation
) -> None:
    if (current, target, via) in ALLOWED:
        check_transition(current, target, via=via)
    else:
        with pytest.raises(InvalidTransitionError) as error:
            check_transition(current, target, via=via)
        assert error.value.details[0].source.pointer == "/customerSession/state"


def test_totals_sum_items_session_costs_and_per_unit_item_costs() -> None:
    session = make_session(
        items=(make_item(price="99.99"), make_item(sku="B", quantity=3, price="0.10", gift="5.00")),
        shipping="20",
    )

    assert session.cart_item_total == Decimal("100.29")
    assert session.additional_cost_total == Decimal("20")
    assert session.cart_item_additional_cost_total == Decimal("15.00")
    assert session.total == Decimal("135.29")


CLOSED_105 = ProfileAggregates(1, Decimal("105"))


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        (None, S.OPEN, ProfileAggregates()),
        (None, S.CLOSED, CLOSED_105),
        (S.OPEN, S.CLOSED, CLOSED_105),
        (S.OPEN, S.CANCELLED, ProfileAggregates()),
    ],
    ids=["created-open", "created-closed", "closed", "open-cancelled"],
)
def test_closing_counts_the_total_and_nothing_else_counts(
    before: SessionState | None, after: SessionState, expected: ProfileAggregates
) -> None:
    items = (make_item(sku="A", price="60"), make_item(sku="B", quantity=2, price="20"))
    update = SessionUpdate(
        profile_id="profile-1", state=after, cart_items=items, additional_costs={"shipping": Decimal(5)}
    )
    if before is None:
        new = create_session(application_id=1, integration_id="s", update=update, first_session=True, now=NOW)
        assert session_change_delta(None, new) == expected
        return
    stored = make_session(state=before)

    assert session_change_delta(stored, update_session(stored, update, now=NOW)) == expected


@pytest.mark.parametrize("leave", ["cancel", "reopen"])
def test_cancelling_or_reopening_takes_back_what_closing_added(leave: str) -> None:
    closed = update_session(
        make_session(items=(make_item(price="42.50"),)), SessionUpdate(state=S.CLOSED), now=NOW
    )
    after = (
        update_session(closed, SessionUpdate(state=S.CANCELLED), now=NOW)
        if leave == "cancel"
        else reopen_session(closed, now=NOW)
    )

    assert session_change_delta(None, closed) == ProfileAggregates(1, Decimal("42.50"))
    assert session_change_delta(closed, after) == ProfileAggregates(-1, Decimal("-42.50"))


def test_an_anonymous_session_counts_for_nobody() -> None:
    closed = update_session(
        make_session(profile_id="", items=(make_item(),)), SessionUpdate(state=S.CLOSED), now=NOW
    )

    assert session_change_delta(None, closed) == ProfileAggregates()


def test_an_update_merges_attributes_and_replaces_the_cart() -> None:
    stored = replace(make_session(items=(make_item(),)), attributes={"a": 1, "b": 2})

    updated = update_session(
        stored, SessionUpdate(attributes={"b": None, "c": 3}, cart_items=(make_item(sku="X"),)), now=NOW
    )

    assert updated.attributes == {"a": 1, "c": 3}
    assert [item.sku for item in updated.cart_items] == ["X"]
    assert updated.update_count == stored.update_count + 1


def test_a_closed_session_is_frozen_except_for_cancelling() -> None:
    closed = make_session(state=S.CLOSED, items=(make_item(),), contribution="10")

    cancelled = update_session(closed, SessionUpdate(state=S.CANCELLED, cart_items=()), now=NOW)

    assert cancelled.cart_items == closed.cart_items
    assert cancelled.state is S.CANCELLED
    with pytest.raises(InvalidTransitionError):
        update_session(closed, SessionUpdate(cart_items=()), now=NOW)


def test_only_an_open_session_may_change_its_profile() -> None:
    closed = make_session(state=S.CLOSED)

    with pytest.raises(InvalidInputError) as error:
        update_session(closed, SessionUpdate(state=S.CANCELLED, profile_id="someone-else"), now=NOW)

    assert error.value.details[0].source.pointer == "/customerSession/profileId"
    moved = update_session(make_session(), SessionUpdate(profile_id="someone-else"), now=NOW)
    assert moved.profile_id == "someone-else"


def test_any_additional_cost_name_is_allowed_when_none_are_listed() -> None:
    update = SessionUpdate(additional_costs={"anything": Decimal(1)}, cart_items=(make_item(gift_wrap="2"),))

    check_additional_cost_names(update, frozenset())


def test_every_additional_cost_not_listed_is_named_with_its_pointer() -> None:
    update = SessionUpdate(
        additional_costs={"shipping": Decimal(5), "handling": Decimal(1)},
        cart_items=(
            make_item(shipping="1"),
            replace(make_item(), additional_costs={"gift/wrap": Decimal(2)}),
        ),
    )

    with pytest.raises(InvalidInputError) as raised:
        check_additional_cost_names(update, frozenset({"shipping"}))

    assert [detail.source.pointer for detail in raised.value.details] == [
        "/customerSession/additionalCosts/handling",
        "/customerSession/cartItems/1/additionalCosts/gift~1wrap",
    ]
