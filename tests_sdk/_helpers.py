"""Small helpers shared by the SDK tests (plain values in, plain values out; see _client.py)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import _client as sdk
import _http
import pytest

# The worked example of SEMANTICS section 7: A 60 x1, B 20 x2, session shipping 5 -> total 105.
WORKED_CART: list[dict[str, Any]] = [
    {"name": "Item A", "sku": "SKU-A", "quantity": 1, "price": 60},
    {"name": "Item B", "sku": "SKU-B", "quantity": 2, "price": 20},
]
WORKED_COSTS: dict[str, Any] = {"shipping": {"price": 5}}
WORKED_TOTAL = 105


def worked_session(profile_id: str, state: str = "open") -> dict[str, Any]:
    return {
        "profileId": profile_id,
        "state": state,
        "cartItems": [dict(item) for item in WORKED_CART],
        "additionalCosts": dict(WORKED_COSTS),
    }


def expect_error(status: int, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Call an _client function that must fail with HTTP ``status``; return the parsed error body."""
    with pytest.raises(sdk.ApiException) as info:
        fn(*args, **kwargs)
    assert sdk.error_status(info.value) == status, sdk.error_body(info.value)
    return sdk.error_body(info.value)


def assert_error_body(body: Any, status: int) -> None:
    """Talon.One's error shape: a message string, an errors array, StatusCode (SEMANTICS 2.2-2.4)."""
    assert isinstance(body, dict), body
    assert isinstance(body.get("message"), str), body
    assert body["message"], body
    assert isinstance(body.get("errors"), list), body
    assert body.get("StatusCode") == status, body


def assert_invalid_transition(body: Any) -> None:
    """400 for a forbidden session state change (SEMANTICS 6.3)."""
    assert_error_body(body, 400)
    titles = [e.get("title") for e in body["errors"]]
    assert "Invalid state transition" in titles, body
    error = body["errors"][titles.index("Invalid state transition")]
    assert error.get("source") == {"pointer": "/customerSession/state"}, body


def profile(api: Any, integration_id: str) -> dict[str, Any]:
    """The profile as an empty ``runRuleEngine=false`` update returns it (SEMANTICS 5.2).

    Reads without touching ``lastActivity``; creates the profile when it does not exist yet.
    """
    result = sdk.update_customer_profile(api, integration_id, run_rule_engine=False)
    assert result["effects"] == []
    customer_profile: dict[str, Any] = result["customerProfile"]
    return customer_profile


def counters(api: Any, integration_id: str) -> tuple[int, float]:
    """(closedSessions, totalSales) of a profile."""
    p = profile(api, integration_id)
    return p["closedSessions"], p["totalSales"]


def assert_integration_state(result: dict[str, Any]) -> None:
    """The lists every IntegrationStateV2 carries, empty without campaigns (SEMANTICS 6.9)."""
    assert result["effects"] == []
    assert result["createdCoupons"] == []
    assert result["createdReferrals"] == []


def is_aware(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.utcoffset() == dt.timedelta(0)


def assert_update_count(session: dict[str, Any], expected: int) -> None:
    """``updateCount`` of a CustomerSessionV2 as the SDK parsed it.

    SDK9's CustomerSessionV2 has no ``updateCount`` field (it predates it), so the value never reaches
    an SDK9 caller; tests check the stored value with :func:`stored_update_count` under both SDKs.
    """
    if sdk.SDK_VERSION == 9:
        assert "updateCount" not in session
    else:
        assert session["updateCount"] == expected


def raw_session(base_url: str, api_key: str, session_id: str) -> dict[str, Any]:
    """The stored CustomerSessionV2 as JSON, read by a raw GET: for the fields neither SDK models
    (``cartItemAdditionalCostTotal``; ``updateCount`` under SDK9)."""
    response = _http.request(base_url, "GET", f"/v2/customer_sessions/{session_id}", api_key=api_key)
    assert response.status == 200, response.text
    session: dict[str, Any] = response.json["customerSession"]
    return session


def stored_update_count(base_url: str, api_key: str, session_id: str) -> int:
    """``updateCount`` of a stored session (a JSON integer), read by a raw GET."""
    count = raw_session(base_url, api_key, session_id)["updateCount"]
    assert isinstance(count, int)
    assert not isinstance(count, bool)
    return count
