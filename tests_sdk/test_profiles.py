"""PUT /v2/customer_profiles/{id} and bulk PUT /v2/customer_profiles (SEMANTICS 4, 5, 13)."""

from __future__ import annotations

from typing import Any

import _client as sdk
from _harness import Tenant
from _helpers import assert_integration_state, is_aware, profile


def _check_fresh(p: dict[str, Any], tenant: Tenant, integration_id: str) -> None:
    assert isinstance(p["id"], int)
    assert p["id"] > 0
    assert p["integrationId"] == integration_id
    assert p["accountId"] == tenant.account_id
    assert p["sandbox"] is True
    assert p["closedSessions"] == 0
    assert p["totalSales"] == 0
    assert p["audienceMemberships"] == []
    assert "loyaltyMemberships" not in p  # sent as null (SEMANTICS 4.10)
    assert is_aware(p["created"])
    assert is_aware(p["lastActivity"])


def test_profile_update_without_rule_engine(tenant: Tenant, api: Any) -> None:
    first = sdk.update_customer_profile(
        api, "p1", attributes={"Name": "Ann", "Email": "ann@example.com"}, run_rule_engine=False
    )
    assert_integration_state(first)
    p = first["customerProfile"]
    _check_fresh(p, tenant, "p1")
    assert p["attributes"] == {"Name": "Ann", "Email": "ann@example.com"}
    assert p["lastActivity"] == p["created"]  # born without the rule engine (SEMANTICS 4.9, 20.1)

    # Attributes merge per key; null removes a key (both SDKs send null inside `attributes`).
    second = sdk.update_customer_profile(
        api, "p1", attributes={"Email": None, "Language": "de"}, run_rule_engine=False
    )
    assert_integration_state(second)
    p2 = second["customerProfile"]
    assert p2["attributes"] == {"Name": "Ann", "Language": "de"}
    assert p2["id"] == p["id"]
    assert p2["created"] == p["created"]
    assert p2["lastActivity"] == p["lastActivity"]

    # An empty update changes nothing (and still returns the profile).
    third = sdk.update_customer_profile(api, "p1", run_rule_engine=False)
    assert third["customerProfile"] == p2

    # runRuleEngine defaults to false.
    default = sdk.update_customer_profile(api, "p1", attributes={"Language": "fr"})
    assert_integration_state(default)
    assert default["customerProfile"]["attributes"] == {"Name": "Ann", "Language": "fr"}
    assert default["customerProfile"]["lastActivity"] == p["lastActivity"]


def test_profile_update_with_rule_engine(tenant: Tenant, api: Any) -> None:
    born = sdk.update_customer_profile(api, "p2", attributes={"Name": "Bob"}, run_rule_engine=False)
    born_profile = born["customerProfile"]
    assert born_profile["lastActivity"] == born_profile["created"]

    ran = sdk.update_customer_profile(
        api,
        "p2",
        attributes={"Language": "en"},
        run_rule_engine=True,
        response_content=["customerProfile"],
    )
    assert_integration_state(ran)
    p = ran["customerProfile"]
    assert p["id"] == born_profile["id"]
    assert p["attributes"] == {"Name": "Bob", "Language": "en"}
    assert p["lastActivity"] > born_profile["lastActivity"]
    assert p["created"] == born_profile["created"]

    # dry=true with the rule engine: evaluated, nothing stored.
    dry = sdk.update_customer_profile(
        api,
        "p2",
        attributes={"Name": "Changed", "Email": "bob@example.com"},
        run_rule_engine=True,
        dry=True,
        response_content=["customerProfile"],
    )
    assert_integration_state(dry)
    after = profile(api, "p2")
    assert after["attributes"] == {"Name": "Bob", "Language": "en"}
    assert after["lastActivity"] == p["lastActivity"]
    assert (after["closedSessions"], after["totalSales"]) == (0, 0)

    # A profile born in a rule-engine call has lastActivity == created.
    new = sdk.update_customer_profile(api, "p3", run_rule_engine=True, response_content=["customerProfile"])
    _check_fresh(new["customerProfile"], tenant, "p3")
    assert new["customerProfile"]["lastActivity"] == new["customerProfile"]["created"]


def test_bulk_profile_update(tenant: Tenant, api: Any) -> None:
    existing = sdk.update_customer_profile(
        api, "b-old", attributes={"Name": "Old"}, run_rule_engine=True, response_content=["customerProfile"]
    )["customerProfile"]

    result = sdk.update_customer_profiles(
        api,
        [
            {"integrationId": "b-new-2", "attributes": {"Name": "Two"}},
            {"integrationId": "b-old", "attributes": {"Email": "old@example.com"}},
            {"integrationId": "b-new-1"},
        ],
        silent="no",
    )
    assert sdk.last_response.status == 200
    assert result is not None
    states = result["integrationStates"]
    assert [s["customerProfile"]["integrationId"] for s in states] == ["b-new-2", "b-old", "b-new-1"]

    new2, old, new1 = (s["customerProfile"] for s in states)
    _check_fresh(new2, tenant, "b-new-2")
    _check_fresh(new1, tenant, "b-new-1")
    assert new2["attributes"] == {"Name": "Two"}
    assert new1["attributes"] == {}
    assert new2["lastActivity"] == new2["created"]
    assert new1["lastActivity"] == new1["created"]
    assert new1["id"] != new2["id"]
    # The bulk update merges attributes and never runs the rule engine.
    assert old["id"] == existing["id"]
    assert old["attributes"] == {"Name": "Old", "Email": "old@example.com"}
    assert old["lastActivity"] == existing["lastActivity"]

    assert profile(api, "b-new-2") == new2
    assert profile(api, "b-old") == old

    # silent (the default): 204, no body, still applied.
    assert (
        sdk.update_customer_profiles(
            api, [{"integrationId": "b-new-1", "attributes": {"Name": "One"}}], silent=None
        )
        is None
    )
    assert sdk.last_response.status == 204
    assert profile(api, "b-new-1")["attributes"] == {"Name": "One"}
