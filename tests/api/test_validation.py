"""Malformed and out-of-limit requests: 400 with a pointer, and nothing stored (SEMANTICS 6.1)."""

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.integration_client import call, item
from tests.factories import Tenant


def many_items(count: int, quantity: int = 1) -> list[dict[str, Any]]:
    return [item(f"s{i}", quantity, "1") for i in range(count)]


@pytest.mark.parametrize(
    ("session", "pointer"),
    [
        ({"cartItems": many_items(1001)}, "/customerSession/cartItems"),
        ({"cartItems": many_items(2, quantity=5001)}, "/customerSession/cartItems"),
        ({"cartItems": [item("a", 0, "1")]}, "/customerSession/cartItems/0/quantity"),
        ({"cartItems": [item("", 1, "1")]}, "/customerSession/cartItems/0/sku"),
        ({"cartItems": [{"sku": "a", "quantity": 1}]}, "/customerSession/cartItems/0/price"),
        ({"cartItems": [{"sku": "a", "quantity": 1, "price": "9.99"}]}, "/customerSession/cartItems/0/price"),
        ({"cartItems": [{"sku": "a", "quantity": 1.5, "price": 1}]}, "/customerSession/cartItems/0/quantity"),
        ({"cartItems": [{"sku": "a", "quantity": 1, "price": 1e16}]}, "/customerSession/cartItems/0/price"),
        ({"identifiers": ["1", "2", "3", "4", "5", "6"]}, "/customerSession/identifiers"),
        ({"loyaltyCards": ["a", "b"]}, "/customerSession/loyaltyCards"),
        ({"couponCodes": ["x" * 101]}, "/customerSession/couponCodes/0"),
        ({"referralCode": "x" * 101}, "/customerSession/referralCode"),
        ({"storeIntegrationId": ""}, "/customerSession/storeIntegrationId"),
        ({"state": "done"}, "/customerSession/state"),
        ({"profileId": 7}, "/customerSession/profileId"),
        ({"attributes": []}, "/customerSession/attributes"),
        (
            {"additionalCosts": {"shipping": {"price": True}}},
            "/customerSession/additionalCosts/shipping/price",
        ),
    ],
    ids=[
        "too-many-items",
        "too-many-units",
        "quantity-zero",
        "empty-sku",
        "no-price",
        "price-as-string",
        "fractional-quantity",
        "huge-price",
        "six-identifiers",
        "two-loyalty-cards",
        "long-coupon",
        "long-referral",
        "empty-store",
        "unknown-state",
        "numeric-profile",
        "attributes-not-object",
        "boolean-cost",
    ],
)
def test_a_bad_session_is_400_with_a_pointer_and_stores_nothing(
    client: TestClient, tenant: Tenant, session: dict[str, Any], pointer: str
) -> None:
    answer = call(client, "PUT", "/v2/customer_sessions/s1", tenant.sandbox_key, {"customerSession": session})

    assert answer.status == 400
    assert pointer in [error["source"].get("pointer") for error in answer["errors"]]
    assert call(client, "GET", "/v2/customer_sessions/s1", tenant.sandbox_key).status == 404


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"{",
        b"[]",
        b'{"customerSession": NaN}',
        b'{"customerSession": {"cartItems": [{"price": Infinity}]}}',
        b"[" * 100_000 + b"]" * 100_000,
        b'{"responseContent": ["nope"], "customerSession": {}}',
    ],
    ids=["empty", "truncated", "array", "nan", "infinity", "deep-nesting", "unknown-response-content"],
)
def test_a_malformed_body_is_400_with_the_error_body(client: TestClient, tenant: Tenant, raw: bytes) -> None:
    response = client.put(
        "/v2/customer_sessions/s1", content=raw, headers={"Authorization": f"ApiKey-v1 {tenant.sandbox_key}"}
    )

    assert response.status_code == 400
    assert response.json()["errors"]
    assert call(client, "GET", "/v2/customer_sessions/s1", tenant.sandbox_key).status == 404


@pytest.mark.parametrize(
    ("path", "params", "parameter"),
    [
        ("/v2/customer_sessions/" + "x" * 1001, {}, "customerSessionId"),
        ("/v2/customer_sessions/s1", {"dry": "maybe"}, "dry"),
        ("/v2/customer_sessions/s1", {"now": "2999-01-01T00:00:00Z"}, "now"),
        ("/v2/customer_sessions/s1", {"dry": "true", "now": "2000-01-01T00:00:00Z"}, "now"),
        ("/v2/customer_sessions/s1", {"dry": "true", "now": "2999-01-01T00:00:00"}, "now"),
    ],
    ids=["long-id", "bad-boolean", "now-without-dry", "now-in-the-past", "now-without-zone"],
)
def test_a_bad_parameter_is_400_naming_it(
    client: TestClient, tenant: Tenant, path: str, params: dict[str, str], parameter: str
) -> None:
    answer = call(client, "PUT", path, tenant.sandbox_key, {"customerSession": {}}, **params)

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"parameter": parameter}


def test_boolean_parameters_accept_any_case(client: TestClient, tenant: Tenant) -> None:
    for spelling in ("True", "TRUE", "true", "False", "false"):
        answer = call(
            client,
            "PUT",
            "/v2/customer_sessions/s1",
            tenant.sandbox_key,
            {"customerSession": {}},
            dry=spelling,
        )
        assert answer.status == 200, spelling
