"""POST /v2/customer_sessions/{id}/returns and PUT .../reopen (SEMANTICS 7, 9, 10)."""

from __future__ import annotations

import uuid
from typing import Any

import _client as sdk
from _harness import Tenant
from _helpers import (
    WORKED_TOTAL,
    assert_error_body,
    assert_integration_state,
    assert_invalid_transition,
    assert_update_count,
    counters,
    expect_error,
    is_aware,
    profile,
    stored_update_count,
    worked_session,
)

BOTH = ["customerSession", "customerProfile"]


def _close_worked(api: Any, session_id: str = "order-1", profile_id: str = "cust-1") -> dict[str, Any]:
    sdk.update_customer_session(api, session_id, worked_session(profile_id))
    closed = sdk.update_customer_session(api, session_id, {"state": "closed"}, response_content=BOTH)
    assert closed["customerSession"]["total"] == WORKED_TOTAL
    assert (closed["customerProfile"]["closedSessions"], closed["customerProfile"]["totalSales"]) == (1, 105)
    session: dict[str, Any] = closed["customerSession"]
    return session


def _quantities(session: dict[str, Any]) -> list[tuple[int, int, int]]:
    """(quantity, returnedQuantity, remainingQuantity) per cart item."""
    return [(i["quantity"], i["returnedQuantity"], i["remainingQuantity"]) for i in session["cartItems"]]


def test_returns_worked_example(tenant: Tenant, api: Any) -> None:
    closed = _close_worked(api)

    first = sdk.return_cart_items(api, "order-1", [{"position": 1, "quantity": 1}], response_content=BOTH)
    assert_integration_state(first)
    session = first["customerSession"]
    assert session["state"] == "partially_returned"
    assert _quantities(session) == [(1, 0, 1), (2, 1, 1)]
    assert session["total"] == 105  # totals describe the cart as sent
    assert_update_count(session, 3)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 3
    assert (first["customerProfile"]["closedSessions"], first["customerProfile"]["totalSales"]) == (1, 85)
    ret = first["return"]
    assert isinstance(ret["id"], int)
    assert ret["id"] > 0
    assert is_aware(ret["created"])
    assert ret["applicationId"] == tenant.sandbox.id
    assert ret["accountId"] == tenant.account_id
    assert ret["sessionId"] == closed["id"]
    assert ret["sessionIntegrationId"] == "order-1"
    assert ret["profileIntegrationId"] == "cust-1"
    assert ret["profileId"] == first["customerProfile"]["id"]
    assert isinstance(ret["eventId"], int)
    # As applied, with the resolved position and quantity (SEMANTICS 9.3); SDK26 also models `sku`,
    # which the spec neither requires nor forbids here, so it may only name the returned item.
    assert len(ret["returnedCartItems"]) == 1
    returned = dict(ret["returnedCartItems"][0])
    assert returned.pop("sku", "SKU-B") == "SKU-B"
    assert returned == {"position": 1, "quantity": 1}
    assert counters(api, "cust-1") == (1, 85)

    second = sdk.return_cart_items(
        api, "order-1", [{"position": 1, "quantity": 1}], response_content=[*BOTH, "previousReturns"]
    )
    assert second["customerSession"]["state"] == "partially_returned"
    assert _quantities(second["customerSession"]) == [(1, 0, 1), (2, 2, 0)]
    assert (second["customerProfile"]["closedSessions"], second["customerProfile"]["totalSales"]) == (1, 65)
    assert second["previousReturns"] == [ret]
    assert second["return"]["id"] != ret["id"]
    assert counters(api, "cust-1") == (1, 65)

    # Nothing of position 1 is left.
    body = expect_error(400, sdk.return_cart_items, api, "order-1", [{"position": 1, "quantity": 1}])
    assert_error_body(body, 400)
    assert _quantities(sdk.get_customer_session(api, "order-1")["customerSession"]) == [(1, 0, 1), (2, 2, 0)]
    assert counters(api, "cust-1") == (1, 65)

    # partially_returned -> closed via PUT is forbidden; cancel is allowed.
    body = expect_error(400, sdk.update_customer_session, api, "order-1", {"state": "closed"})
    assert_invalid_transition(body)
    cancelled = sdk.update_customer_session(api, "order-1", {"state": "cancelled"}, response_content=BOTH)
    assert cancelled["customerSession"]["state"] == "cancelled"
    assert (cancelled["customerProfile"]["closedSessions"], cancelled["customerProfile"]["totalSales"]) == (
        0,
        0,
    )
    assert counters(api, "cust-1") == (0, 0)


def test_return_idempotency_key_replays_the_first_response(tenant: Tenant, api: Any) -> None:
    _close_worked(api)
    key = str(uuid.uuid4())

    first = sdk.return_cart_items(
        api, "order-1", [{"position": 1, "quantity": 1}], response_content=BOTH, idempotency_key=key
    )
    assert (first["customerProfile"]["closedSessions"], first["customerProfile"]["totalSales"]) == (1, 85)

    replay = sdk.return_cart_items(
        api, "order-1", [{"position": 1, "quantity": 1}], response_content=BOTH, idempotency_key=key
    )
    assert sdk.last_response.status == 200
    assert replay == first
    assert counters(api, "cust-1") == (1, 85)
    session = sdk.get_customer_session(api, "order-1")["customerSession"]
    assert _quantities(session) == [(1, 0, 1), (2, 1, 1)]
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 3

    # Another key is another return.
    other = sdk.return_cart_items(
        api, "order-1", [{"position": 1, "quantity": 1}], idempotency_key=str(uuid.uuid4())
    )
    assert other["return"]["id"] != first["return"]["id"]
    assert counters(api, "cust-1") == (1, 65)


def test_reopen_worked_example(tenant: Tenant, api: Any) -> None:
    _close_worked(api)
    before = profile(api, "cust-1")["lastActivity"]

    reopened = sdk.reopen_customer_session(api, "order-1")
    assert reopened == {"effects": []}
    session = sdk.get_customer_session(api, "order-1")["customerSession"]
    assert session["state"] == "open"
    assert_update_count(session, 3)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 3
    p = profile(api, "cust-1")
    assert (p["closedSessions"], p["totalSales"]) == (0, 0)
    assert p["lastActivity"] > before

    # A reopened session is an ordinary open session: new cart (60 + 15 + shipping 5 kept) and close.
    result = sdk.update_customer_session(
        api,
        "order-1",
        {
            "state": "closed",
            "cartItems": [
                {"name": "Item A", "sku": "SKU-A", "quantity": 1, "price": 60},
                {"name": "Item C", "sku": "SKU-C", "quantity": 1, "price": 15},
            ],
        },
        response_content=BOTH,
    )
    assert result["customerSession"]["state"] == "closed"
    assert result["customerSession"]["total"] == 80
    assert_update_count(result["customerSession"], 4)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 4
    assert (result["customerProfile"]["closedSessions"], result["customerProfile"]["totalSales"]) == (1, 80)
    assert counters(api, "cust-1") == (1, 80)


def test_returns_and_reopen_need_the_right_state(api: Any) -> None:
    sdk.update_customer_session(api, "open-1", worked_session("cust-1"))

    # Returns: only closed or partially_returned sessions.
    body = expect_error(400, sdk.return_cart_items, api, "open-1", [{"position": 0, "quantity": 1}])
    assert_error_body(body, 400)
    session = sdk.get_customer_session(api, "open-1")["customerSession"]
    assert session["state"] == "open"
    assert _quantities(session) == [(1, 0, 1), (2, 0, 2)]
    body = expect_error(404, sdk.return_cart_items, api, "no-such", [{"position": 0, "quantity": 1}])
    assert_error_body(body, 404)

    # Reopen: only closed sessions.
    body = expect_error(400, sdk.reopen_customer_session, api, "open-1")
    assert_error_body(body, 400)
    body = expect_error(404, sdk.reopen_customer_session, api, "no-such")
    assert_error_body(body, 404)

    _close_worked(api, "order-2")
    sdk.return_cart_items(api, "order-2", [{"position": 0, "quantity": 1}])
    assert counters(api, "cust-1") == (1, 45)
    body = expect_error(400, sdk.reopen_customer_session, api, "order-2")  # partially_returned
    assert_error_body(body, 400)
    assert sdk.get_customer_session(api, "order-2")["customerSession"]["state"] == "partially_returned"

    sdk.update_customer_session(api, "order-2", {"state": "cancelled"})
    body = expect_error(400, sdk.reopen_customer_session, api, "order-2")
    assert_error_body(body, 400)
    body = expect_error(400, sdk.return_cart_items, api, "order-2", [{"position": 1, "quantity": 1}])
    assert_error_body(body, 400)
    assert sdk.get_customer_session(api, "order-2")["customerSession"]["state"] == "cancelled"
    assert counters(api, "cust-1") == (0, 0)
