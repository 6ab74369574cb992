"""PUT and GET /v2/customer_sessions/{id} through the official SDKs (SEMANTICS 1, 6, 7, 8, 11)."""

from __future__ import annotations

from typing import Any

import _client as sdk
import _http
from _harness import Tenant
from _helpers import (
    assert_error_body,
    assert_integration_state,
    assert_invalid_transition,
    assert_update_count,
    counters,
    expect_error,
    is_aware,
    profile,
    raw_session,
    stored_update_count,
    worked_session,
)

BOTH = ["customerSession", "customerProfile"]


def _check_new_profile(
    p: dict[str, Any], tenant: Tenant, integration_id: str, *, sandbox: bool = True
) -> None:
    assert isinstance(p["id"], int)
    assert p["id"] > 0
    assert p["integrationId"] == integration_id
    assert p["accountId"] == tenant.account_id
    assert p["sandbox"] is sandbox
    assert p["attributes"] == {}
    assert p["closedSessions"] == 0
    assert p["totalSales"] == 0
    assert p["audienceMemberships"] == []
    assert "loyaltyMemberships" not in p  # sent as null (SEMANTICS 4.10)
    assert is_aware(p["created"])
    assert is_aware(p["lastActivity"])


def test_create_update_and_get_open_session(tenant: Tenant, api: Any) -> None:
    cart = [
        {"name": "Shoe", "sku": "SKU-1", "quantity": 3, "price": 19.99},
        {"name": "Sock", "sku": "SKU-2", "quantity": 1, "price": 5.5, "category": "socks"},
    ]
    created = sdk.update_customer_session(
        api,
        "order-1",
        {"profileId": "cust-1", "cartItems": cart, "additionalCosts": {"shipping": {"price": 4.95}}},
        response_content=BOTH,
    )

    assert_integration_state(created)
    session = created["customerSession"]
    assert isinstance(session["id"], int)
    assert session["id"] > 0
    assert session["integrationId"] == "order-1"
    assert session["applicationId"] == tenant.sandbox.id
    assert session["profileId"] == "cust-1"
    assert session["state"] == "open"
    assert session["firstSession"] is True
    assert_update_count(session, 1)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 1
    assert session["attributes"] == {}
    assert session["couponCodes"] == []
    assert session["referralCode"] == ""
    assert session["additionalCosts"] == {"shipping": {"price": 4.95}}
    assert is_aware(session["created"])
    assert is_aware(session["updated"])
    assert session["updated"] >= session["created"]
    # Decimal arithmetic: 19.99 * 3 + 5.5 = 65.47 exactly (binary floats would give 65.47000000000001).
    assert session["cartItemTotal"] == 65.47
    assert session["additionalCostTotal"] == 4.95
    assert session["total"] == 70.42
    raw = raw_session(tenant.base_url, tenant.sandbox.api_key, "order-1")
    assert (raw["cartItemTotal"], raw["additionalCostTotal"], raw["total"]) == (65.47, 4.95, 70.42)
    assert raw["cartItemAdditionalCostTotal"] == 0
    items = session["cartItems"]
    assert [(i["sku"], i["name"], i["quantity"], i["price"]) for i in items] == [
        ("SKU-1", "Shoe", 3, 19.99),
        ("SKU-2", "Sock", 1, 5.5),
    ]
    assert [i["position"] for i in items] == [0, 1]
    assert [i["returnedQuantity"] for i in items] == [0, 0]
    assert [i["remainingQuantity"] for i in items] == [3, 1]
    assert items[1]["category"] == "socks"

    # The session created the profile, in a call that ran the rule engine: lastActivity == created.
    p = created["customerProfile"]
    _check_new_profile(p, tenant, "cust-1")
    assert p["lastActivity"] == p["created"]

    # Update: a present field replaces the stored value, an omitted one (profileId) keeps it.
    updated = sdk.update_customer_session(
        api,
        "order-1",
        {
            "cartItems": [
                {"sku": "SKU-3", "quantity": 2, "price": 10, "additionalCosts": {"gift": {"price": 0.5}}}
            ],
            "additionalCosts": {"wrap": {"price": 1}},
        },
    )
    assert_integration_state(updated)
    session2 = updated["customerSession"]
    assert session2["id"] == session["id"]
    assert session2["created"] == session["created"]
    assert session2["updated"] >= session["updated"]
    assert session2["profileId"] == "cust-1"
    assert session2["state"] == "open"
    assert session2["firstSession"] is True
    assert_update_count(session2, 2)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 2
    assert session2["additionalCosts"] == {"wrap": {"price": 1}}
    assert [(i["sku"], i["quantity"], i["price"], i["position"]) for i in session2["cartItems"]] == [
        ("SKU-3", 2, 10, 0)
    ]
    assert session2["cartItems"][0]["returnedQuantity"] == 0
    assert session2["cartItems"][0]["remainingQuantity"] == 2
    assert session2["cartItems"][0]["additionalCosts"] == {"gift": {"price": 0.5}}
    # total = items 20 + session costs 1 + item costs 0.5 per unit x 2 (SEMANTICS 6.6).
    assert session2["cartItemTotal"] == 20
    assert session2["additionalCostTotal"] == 1
    assert session2["total"] == 22
    assert raw_session(tenant.base_url, tenant.sandbox.api_key, "order-1")["cartItemAdditionalCostTotal"] == 1

    # GET returns the stored session and no effects.
    got = sdk.get_customer_session(api, "order-1")
    assert got == {"customerSession": session2, "effects": []}

    # A second session of the same profile is not its first.
    second = sdk.update_customer_session(
        api, "order-2", {"profileId": "cust-1", "cartItems": [{"sku": "X", "quantity": 1, "price": 1}]}
    )
    assert second["customerSession"]["firstSession"] is False
    assert second["customerSession"]["id"] != session["id"]

    # Open sessions do not count on the profile.
    assert counters(api, "cust-1") == (0, 0)

    # Unknown session.
    body = expect_error(404, sdk.get_customer_session, api, "no-such-session")
    assert_error_body(body, 404)


def test_close_and_cancel_update_the_profile(tenant: Tenant, api: Any) -> None:
    opened = sdk.update_customer_session(api, "order-1", worked_session("cust-1"), response_content=BOTH)
    first_activity = opened["customerProfile"]["lastActivity"]

    closed = sdk.update_customer_session(api, "order-1", {"state": "closed"}, response_content=BOTH)
    assert_integration_state(closed)
    assert closed["customerSession"]["state"] == "closed"
    assert closed["customerSession"]["total"] == 105
    assert_update_count(closed["customerSession"], 2)
    assert closed["customerSession"]["profileId"] == "cust-1"
    p = closed["customerProfile"]
    assert (p["closedSessions"], p["totalSales"]) == (1, 105)
    assert p["lastActivity"] > first_activity
    assert counters(api, "cust-1") == (1, 105)

    cancelled = sdk.update_customer_session(api, "order-1", {"state": "cancelled"}, response_content=BOTH)
    assert cancelled["customerSession"]["state"] == "cancelled"
    assert_update_count(cancelled["customerSession"], 3)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "order-1") == 3
    p = cancelled["customerProfile"]
    assert (p["closedSessions"], p["totalSales"]) == (0, 0)
    assert counters(api, "cust-1") == (0, 0)

    # A session created directly as closed counts as a close; cancelling it takes it back.
    direct = sdk.update_customer_session(
        api,
        "order-2",
        {"profileId": "cust-1", "state": "closed", "cartItems": [{"sku": "S", "quantity": 3, "price": 10}]},
        response_content=BOTH,
    )
    assert direct["customerSession"]["state"] == "closed"
    assert direct["customerSession"]["firstSession"] is False
    assert_update_count(direct["customerSession"], 1)
    assert (direct["customerProfile"]["closedSessions"], direct["customerProfile"]["totalSales"]) == (1, 30)
    sdk.update_customer_session(api, "order-2", {"state": "cancelled"})
    assert counters(api, "cust-1") == (0, 0)

    # Open -> cancelled never counted.
    sdk.update_customer_session(api, "order-3", worked_session("cust-1"))
    sdk.update_customer_session(api, "order-3", {"state": "cancelled"})
    assert counters(api, "cust-1") == (0, 0)


def test_forbidden_state_transitions(tenant: Tenant, api: Any) -> None:
    cart = [{"sku": "S", "quantity": 1, "price": 10}]
    sdk.update_customer_session(
        api, "closed-1", {"profileId": "cust-1", "state": "closed", "cartItems": cart}
    )
    before = sdk.get_customer_session(api, "closed-1")["customerSession"]

    # closed: PUT may only cancel it (open needs reopen, partially_returned needs returns).
    for state in ("open", "closed", "partially_returned"):
        body = expect_error(400, sdk.update_customer_session, api, "closed-1", {"state": state})
        assert_invalid_transition(body)
    assert sdk.get_customer_session(api, "closed-1")["customerSession"] == before
    assert counters(api, "cust-1") == (1, 10)

    sdk.update_customer_session(api, "closed-1", {"state": "cancelled"})
    cancelled = sdk.get_customer_session(api, "closed-1")["customerSession"]
    assert cancelled["state"] == "cancelled"
    assert_update_count(cancelled, 2)
    assert stored_update_count(tenant.base_url, tenant.sandbox.api_key, "closed-1") == 2
    assert counters(api, "cust-1") == (0, 0)

    # cancelled is terminal.
    for state in ("open", "closed", "partially_returned", "cancelled"):
        body = expect_error(400, sdk.update_customer_session, api, "closed-1", {"state": state})
        assert_invalid_transition(body)
    assert sdk.get_customer_session(api, "closed-1")["customerSession"] == cancelled
    assert counters(api, "cust-1") == (0, 0)

    # open -> partially_returned only through returns.
    sdk.update_customer_session(api, "open-1", {"profileId": "cust-1", "cartItems": cart})
    body = expect_error(400, sdk.update_customer_session, api, "open-1", {"state": "partially_returned"})
    assert_invalid_transition(body)
    assert sdk.get_customer_session(api, "open-1")["customerSession"]["state"] == "open"

    # A session is created only as open or closed.
    for state in ("partially_returned", "cancelled"):
        body = expect_error(
            400, sdk.update_customer_session, api, f"new-{state}", {"profileId": "cust-1", "state": state}
        )
        assert_invalid_transition(body)
        expect_error(404, sdk.get_customer_session, api, f"new-{state}")


def test_anonymous_sessions_touch_no_profile(api: Any) -> None:
    cart = [{"sku": "S", "quantity": 2, "price": 7.5}]
    for session_id, payload in (
        ("anon-1", {"profileId": "", "cartItems": cart}),
        ("anon-2", {"cartItems": cart}),
    ):
        opened = sdk.update_customer_session(api, session_id, payload, response_content=BOTH)
        assert_integration_state(opened)
        assert opened["customerSession"]["profileId"] == ""
        assert opened["customerSession"]["firstSession"] is True
        assert opened["customerSession"]["total"] == 15
        assert "customerProfile" not in opened

        closed = sdk.update_customer_session(api, session_id, {"state": "closed"}, response_content=BOTH)
        assert closed["customerSession"]["state"] == "closed"
        assert closed["customerSession"]["profileId"] == ""
        assert "customerProfile" not in closed
        got = sdk.get_customer_session(api, session_id)["customerSession"]
        assert got["profileId"] == ""
        assert got["state"] == "closed"


def test_dry_requests_persist_nothing(api: Any) -> None:
    opened = sdk.update_customer_session(api, "order-1", worked_session("cust-1"), response_content=BOTH)
    stored = sdk.get_customer_session(api, "order-1")["customerSession"]
    activity = opened["customerProfile"]["lastActivity"]

    dry = sdk.update_customer_session(
        api, "order-1", worked_session("cust-1", state="closed"), dry=True, response_content=BOTH
    )
    assert_integration_state(dry)
    assert dry["customerSession"]["state"] == "closed"
    assert dry["customerSession"]["total"] == 105

    assert sdk.get_customer_session(api, "order-1")["customerSession"] == stored
    p = profile(api, "cust-1")
    assert (p["closedSessions"], p["totalSales"]) == (0, 0)
    assert p["lastActivity"] == activity

    # A dry session that does not exist yet is not created.
    new = sdk.update_customer_session(api, "dry-new", worked_session("cust-1"), dry=True)
    assert new["customerSession"]["state"] == "open"
    assert new["customerSession"]["total"] == 105
    expect_error(404, sdk.get_customer_session, api, "dry-new")
    assert profile(api, "cust-1")["lastActivity"] == activity

    # The would-be counters of a dry close (SEMANTICS 8).
    assert (dry["customerProfile"]["closedSessions"], dry["customerProfile"]["totalSales"]) == (1, 105)


def test_applications_of_one_environment_share_profiles(tenant: Tenant, api: Any) -> None:
    app2 = tenant.new_app(sandbox=True)
    api2 = tenant.integration(app2)
    cart10 = [{"sku": "S", "quantity": 1, "price": 10}]
    cart20 = [{"sku": "S", "quantity": 2, "price": 10}]

    first = sdk.update_customer_session(
        api, "order-1", {"profileId": "u1", "state": "closed", "cartItems": cart10}, response_content=BOTH
    )
    profile_id = first["customerProfile"]["id"]
    assert (first["customerProfile"]["closedSessions"], first["customerProfile"]["totalSales"]) == (1, 10)

    # Sessions belong to one Application: app2 does not see app1's order-1 ...
    body = expect_error(404, sdk.get_customer_session, api2, "order-1")
    assert_error_body(body, 404)
    # ... and the same session id in app2 is another session, on the same profile.
    second = sdk.update_customer_session(
        api2, "order-1", {"profileId": "u1", "state": "closed", "cartItems": cart20}, response_content=BOTH
    )
    assert second["customerSession"]["applicationId"] == app2.id
    assert second["customerSession"]["id"] != first["customerSession"]["id"]
    assert second["customerSession"]["firstSession"] is False
    assert second["customerProfile"]["id"] == profile_id
    assert (second["customerProfile"]["closedSessions"], second["customerProfile"]["totalSales"]) == (2, 30)
    assert sdk.get_customer_session(api, "order-1")["customerSession"]["total"] == 10
    assert sdk.get_customer_session(api2, "order-1")["customerSession"]["total"] == 20

    # Cancelling in app1 is seen from app2's profile view.
    sdk.update_customer_session(api, "order-1", {"state": "cancelled"})
    p = profile(api2, "u1")
    assert p["id"] == profile_id
    assert (p["closedSessions"], p["totalSales"]) == (1, 20)

    # app2 can neither return items of nor reopen a session of app1.
    sdk.update_customer_session(api, "only-in-1", {"profileId": "u1", "state": "closed", "cartItems": cart10})
    expect_error(404, sdk.return_cart_items, api2, "only-in-1", [{"position": 0, "quantity": 1}])
    expect_error(404, sdk.reopen_customer_session, api2, "only-in-1")
    assert counters(api, "u1") == (2, 30)


def test_sandbox_and_live_profiles_are_distinct(tenant: Tenant, api: Any) -> None:
    live = tenant.integration(tenant.live)
    cart10 = [{"sku": "S", "quantity": 1, "price": 10}]
    cart20 = [{"sku": "S", "quantity": 1, "price": 20}]

    sandbox_result = sdk.update_customer_session(
        api, "order-1", {"profileId": "u1", "state": "closed", "cartItems": cart10}, response_content=BOTH
    )
    live_result = sdk.update_customer_session(
        live, "order-1", {"profileId": "u1", "state": "closed", "cartItems": cart20}, response_content=BOTH
    )

    sandbox_profile = sandbox_result["customerProfile"]
    live_profile = live_result["customerProfile"]
    assert sandbox_profile["id"] != live_profile["id"]
    assert sandbox_profile["sandbox"] is True
    assert live_profile["sandbox"] is False
    assert live_profile["accountId"] == sandbox_profile["accountId"] == tenant.account_id
    assert live_result["customerSession"]["firstSession"] is True
    assert live_result["customerSession"]["applicationId"] == tenant.live.id
    assert (live_profile["closedSessions"], live_profile["totalSales"]) == (1, 20)
    assert counters(api, "u1") == (1, 10)
    assert counters(live, "u1") == (1, 20)


def test_invalid_session_payloads_are_rejected(tenant: Tenant, api: Any) -> None:
    """Requests both SDKs refuse to send (quantity < 1, empty sku ...) go out as raw HTTP (SEMANTICS 6.1)."""
    good = {"sku": "S", "quantity": 1, "price": 10}
    cases: list[tuple[Any, str]] = [
        (
            {"customerSession": {"profileId": "u1", "cartItems": [{**good, "quantity": 0}]}},
            "/customerSession/cartItems/0/quantity",
        ),
        (
            {"customerSession": {"profileId": "u1", "cartItems": [good, {**good, "sku": ""}]}},
            "/customerSession/cartItems/1/sku",
        ),
        (
            {"customerSession": {"profileId": "u1", "cartItems": [{"sku": "S", "quantity": 1}]}},
            "/customerSession/cartItems/0/price",
        ),
        ({"customerSession": {"profileId": "u1", "state": "shipped"}}, "/customerSession/state"),
        ({}, "/customerSession"),
    ]
    for body, pointer in cases:
        response = _http.request(
            tenant.base_url, "PUT", "/v2/customer_sessions/bad-1", api_key=tenant.sandbox.api_key, body=body
        )
        assert response.status == 400, (body, response.text)
        assert response.headers["content-type"].startswith("application/json")
        assert_error_body(response.json, 400)
        assert {"pointer": pointer} in [e.get("source") for e in response.json["errors"]], (
            body,
            response.json,
        )
    expect_error(404, sdk.get_customer_session, api, "bad-1")
