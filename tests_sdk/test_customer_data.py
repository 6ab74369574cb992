"""DELETE /v1/customer_data/{integrationId} (deleteCustomerData, SEMANTICS 15)."""

from __future__ import annotations

from typing import Any

import _client as sdk
from _harness import Tenant
from _helpers import assert_error_body, counters, expect_error, profile, raw_session, worked_session


def test_delete_customer_data(tenant: Tenant, api: Any) -> None:
    management = tenant.management()
    sandbox2 = tenant.new_app(sandbox=True)
    api2 = tenant.integration(sandbox2)
    live = tenant.integration(tenant.live)

    # One sandbox profile seen by two sandbox Applications, with a closed session and an audience.
    sdk.update_customer_profile(api, "gone", attributes={"Name": "Gone", "Email": "g@example.com"})
    sdk.update_customer_session(api, "order-1", worked_session("gone", "closed"))
    sdk.update_customer_profile(api2, "gone", attributes={"Language": "en"})
    audience = sdk.create_audience(api, "Members")
    sdk.update_customer_profile_audiences(
        api, [{"action": "add", "profileIntegrationId": "gone", "audienceId": audience["id"]}]
    )
    old = profile(api, "gone")
    assert (old["closedSessions"], old["totalSales"]) == (1, 105)
    # The same integrationId in the live environment: another profile.
    live_before = sdk.update_customer_profile(live, "gone", attributes={"Name": "Live"})["customerProfile"]
    assert live_before["id"] != old["id"]
    sdk.update_customer_session(live, "order-live", worked_session("gone", "closed"))

    sdk.delete_customer_data(api2, "gone")
    assert sdk.last_response.status == 204

    # Gone for every Application of the environment, and from its audience.
    assert_error_body(expect_error(404, sdk.delete_customer_data, api, "gone"), 404)
    assert_error_body(expect_error(404, sdk.delete_customer_data, api2, "gone"), 404)
    assert_error_body(expect_error(404, sdk.get_customer_profile, management, old["id"]), 404)
    for app in (tenant.sandbox, sandbox2):
        assert sdk.get_application_customers(management, app.id, with_total_result_size=True) == {
            "hasMore": False,
            "totalResultSize": 0,
            "data": [],
        }
    assert sdk.get_audience_memberships(management, audience["id"]) == {"hasMore": False, "data": []}
    assert sdk.get_customer_profiles(management, sandbox=True) == {"hasMore": False, "data": []}

    # Its session stays, detached and without attributes.
    session = raw_session(tenant.base_url, tenant.sandbox.api_key, "order-1")
    assert session["profileId"] == ""
    assert session["attributes"] == {}
    assert session["state"] == "closed"

    # A later call with the same integrationId makes a brand-new profile.
    reborn = profile(api, "gone")
    assert reborn["id"] != old["id"]
    assert reborn["attributes"] == {}
    assert reborn["audienceMemberships"] == []
    assert counters(api, "gone") == (0, 0)

    # The live environment is untouched.
    live_after = sdk.get_customer_profile(management, live_before["id"])
    assert live_after["integrationId"] == "gone"
    assert live_after["sandbox"] is False
    assert live_after["attributes"] == {"Name": "Live"}
    assert (live_after["closedSessions"], live_after["totalSales"]) == (1, 105)
    assert raw_session(tenant.base_url, tenant.live.api_key, "order-live")["profileId"] == "gone"

    # Unknown profile, and the live key cannot reach a sandbox-only profile.
    assert_error_body(expect_error(404, sdk.delete_customer_data, api, "never-seen"), 404)
    sdk.update_customer_profile(api, "sandbox-only")
    assert_error_body(expect_error(404, sdk.delete_customer_data, live, "sandbox-only"), 404)
    assert profile(api, "sandbox-only")["integrationId"] == "sandbox-only"
