"""Keys and scopes (SEMANTICS 1.2, 1.6, 2.1, 2.2)."""

from __future__ import annotations

from typing import Any

import _client as sdk
import _http
from _harness import Tenant
from _helpers import assert_error_body, expect_error


def test_live_key_does_not_see_sandbox_sessions(tenant: Tenant, api: Any) -> None:
    sdk.update_customer_session(api, "sb-only", {"profileId": "u1", "cartItems": []})
    live = tenant.integration(tenant.live)

    body = expect_error(404, sdk.get_customer_session, live, "sb-only")
    assert_error_body(body, 404)
    assert sdk.get_customer_session(api, "sb-only")["customerSession"]["applicationId"] == tenant.sandbox.id


def test_keys_work_only_on_their_own_api(tenant: Tenant, api: Any) -> None:
    sdk.update_customer_session(api, "s1", {"profileId": "u1", "cartItems": []})

    # A management key on the Integration API.
    wrong = sdk.integration_api(tenant.base_url, tenant.management_key)
    body = expect_error(401, sdk.get_customer_session, wrong, "s1")
    assert_error_body(body, 401)
    body = expect_error(401, sdk.update_customer_session, wrong, "s1", {"state": "closed"})
    assert_error_body(body, 401)
    body = expect_error(401, sdk.update_customer_profile, wrong, "u1", run_rule_engine=False)
    assert_error_body(body, 401)
    assert sdk.get_customer_session(api, "s1")["customerSession"]["state"] == "open"

    # An Integration key on the Management API.
    body = expect_error(
        401, sdk.get_applications, sdk.management_api(tenant.base_url, tenant.sandbox.api_key)
    )
    assert_error_body(body, 401)

    # Unknown keys, and no key at all.
    body = expect_error(401, sdk.get_customer_session, sdk.integration_api(tenant.base_url, "0" * 64), "s1")
    assert_error_body(body, 401)
    body = expect_error(401, sdk.get_applications, sdk.management_api(tenant.base_url, "0" * 64))
    assert_error_body(body, 401)
    raw = _http.request(tenant.base_url, "GET", "/v2/customer_sessions/s1")
    assert raw.status == 401
    assert_error_body(raw.json, 401)
    assert raw.headers["content-type"].startswith("application/json")
