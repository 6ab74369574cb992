"""POST /v2/events (trackEventV2) through the official SDKs (SEMANTICS 12)."""

from __future__ import annotations

from typing import Any

import _client as sdk
import _http
from _harness import Tenant
from _helpers import assert_error_body, assert_integration_state, expect_error, is_aware, profile


def test_track_event_creates_profile_and_moves_last_activity(tenant: Tenant, api: Any) -> None:
    first = sdk.track_event(api, "e1", "checkout_started", silent="no")
    assert sdk.last_response.status == 200
    assert first is not None
    assert_integration_state(first)
    p = first["customerProfile"]
    assert isinstance(p["id"], int)
    assert p["id"] > 0
    assert p["integrationId"] == "e1"
    assert p["accountId"] == tenant.account_id
    assert p["sandbox"] is True
    assert p["attributes"] == {}
    assert (p["closedSessions"], p["totalSales"]) == (0, 0)
    assert p["audienceMemberships"] == []
    assert is_aware(p["created"])
    assert p["lastActivity"] == p["created"]  # born in a call that ran the rule engine

    stored = profile(api, "e1")
    assert stored["id"] == p["id"]
    assert stored["lastActivity"] == p["lastActivity"]

    second = sdk.track_event(api, "e1", "checkout_started", silent="no")
    assert second is not None
    assert second["customerProfile"]["id"] == p["id"]
    assert second["customerProfile"]["lastActivity"] > p["lastActivity"]
    assert profile(api, "e1")["lastActivity"] == second["customerProfile"]["lastActivity"]

    # silent defaults to yes: 204 with an empty body (SDK9 cannot read that, so raw HTTP).
    raw = _http.request(
        tenant.base_url,
        "POST",
        "/v2/events",
        api_key=tenant.sandbox.api_key,
        body={"profileId": "e1", "type": "checkout_started"},
    )
    assert raw.status == 204
    assert raw.text == ""
    assert profile(api, "e1")["lastActivity"] > second["customerProfile"]["lastActivity"]


def test_track_event_rejects_builtin_types_and_missing_profile(tenant: Tenant, api: Any) -> None:
    body = expect_error(400, sdk.track_event, api, "e2", "talon_session_created", silent="no")
    assert_error_body(body, 400)

    for profile_id in (None, ""):
        body = expect_error(400, sdk.track_event, api, profile_id, "checkout_started", silent="no")
        assert_error_body(body, 400)
        assert {"pointer": "/profileId"} in [e.get("source") for e in body["errors"]], body

    # The rejected event created no profile: the first profile update of "e2" creates it.
    created = sdk.update_customer_profile(
        api, "e2", run_rule_engine=True, response_content=["customerProfile"]
    )
    assert created["customerProfile"]["lastActivity"] == created["customerProfile"]["created"]
