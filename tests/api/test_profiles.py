"""Profile updates, single and bulk (SEMANTICS 4, 5, 13)."""

from starlette.testclient import TestClient

from tests.api.integration_client import call, profile
from tests.factories import Tenant


def test_a_profile_without_the_rule_engine_is_returned_whole(client: TestClient, tenant: Tenant) -> None:
    answer = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        tenant.sandbox_key,
        {"attributes": {"Name": "Ada"}},
        runRuleEngine="False",
    )

    assert answer.status == 200
    shown = answer["customerProfile"]
    assert shown["integrationId"] == "p1"
    assert shown["attributes"] == {"Name": "Ada"}
    assert (shown["closedSessions"], shown["totalSales"]) == (0, 0)
    assert shown["accountId"] == tenant.account_id
    assert shown["sandbox"] is True
    assert shown["audienceMemberships"] == []
    assert "loyaltyMemberships" in shown
    assert shown["loyaltyMemberships"] is None
    assert shown["lastActivity"] == shown["created"]
    assert (answer["effects"], answer["createdCoupons"], answer["createdReferrals"]) == ([], [], [])


def test_attributes_merge_per_key_and_null_removes_one(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    call(client, "PUT", "/v2/customer_profiles/p1", key, {"attributes": {"a": 1, "b": "x"}})

    call(client, "PUT", "/v2/customer_profiles/p1", key, {"attributes": {"b": None, "c": [1, 2]}})

    assert profile(client, key, "p1")["attributes"] == {"a": 1, "c": [1, 2]}


def test_the_rule_engine_moves_last_activity_unless_dry(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    born = profile(client, key, "p1")

    dry = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        key,
        {"attributes": {"a": 1}},
        runRuleEngine="true",
        dry="true",
    )
    after_dry = profile(client, key, "p1")
    ran = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        key,
        {"responseContent": ["customerProfile", "event"]},
        runRuleEngine="true",
    )

    assert dry.status == 200
    assert "customerProfile" not in dry.body
    assert after_dry == born
    assert ran["customerProfile"]["lastActivity"] > born["lastActivity"]
    assert ran["event"]["type"] == "talon_profile_updated"


def test_a_new_profile_with_the_rule_engine_emits_profile_created(client: TestClient, tenant: Tenant) -> None:
    answer = call(
        client,
        "PUT",
        "/v2/customer_profiles/new",
        tenant.sandbox_key,
        {"responseContent": ["event"]},
        runRuleEngine="true",
    )

    assert answer["event"]["type"] == "talon_profile_created"
    assert answer["event"]["id"] > 0


def test_an_unknown_audience_is_400_and_nothing_is_stored(client: TestClient, tenant: Tenant) -> None:
    answer = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        tenant.sandbox_key,
        {"attributes": {"a": 1}, "audiencesChanges": {"adds": [42], "deletes": []}},
    )

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": "/audiencesChanges/adds/0"}
    assert profile(client, tenant.sandbox_key, "p1")["attributes"] == {}


def test_an_audience_id_beyond_32_bits_is_400_and_nothing_is_stored(
    client: TestClient, tenant: Tenant
) -> None:
    body = {"attributes": {"a": 1}, "audiencesChanges": {"adds": [], "deletes": [2**70]}}

    answer = call(client, "PUT", "/v2/customer_profiles/p1", tenant.sandbox_key, body)

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": "/audiencesChanges/deletes/0"}
    assert profile(client, tenant.sandbox_key, "p1")["attributes"] == {}


def test_bulk_updates_answer_in_request_order_and_never_run_the_rule_engine(
    client: TestClient, tenant: Tenant
) -> None:
    key = tenant.sandbox_key
    call(client, "PUT", "/v2/customer_profiles/b", key, {"attributes": {"keep": True}})
    body = {
        "customerProfiles": [
            {"integrationId": "c", "attributes": {"n": 1}},
            {"integrationId": "b", "attributes": {"n": 2}},
        ]
    }

    silent = call(client, "PUT", "/v2/customer_profiles", key, {"customerProfiles": [{"integrationId": "d"}]})
    loud = call(client, "PUT", "/v2/customer_profiles", key, body, silent="no")

    assert (silent.status, silent.body) == (204, None)
    assert loud.status == 200
    shown = [state["customerProfile"] for state in loud["integrationStates"]]
    assert [(p["integrationId"], p["attributes"]) for p in shown] == [
        ("c", {"n": 1}),
        ("b", {"keep": True, "n": 2}),
    ]
    assert all(p["lastActivity"] == p["created"] for p in shown)
    assert profile(client, key, "d")["integrationId"] == "d"


def test_a_bulk_update_with_one_bad_entry_stores_nothing(client: TestClient, tenant: Tenant) -> None:
    body = {"customerProfiles": [{"integrationId": "ok"}, {"integrationId": ""}]}

    answer = call(client, "PUT", "/v2/customer_profiles", tenant.sandbox_key, body)

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": "/customerProfiles/1/integrationId"}
    fresh = profile(client, tenant.sandbox_key, "ok")
    assert fresh["created"] == fresh["lastActivity"]
    assert (
        call(client, "PUT", "/v2/customer_profiles", tenant.sandbox_key, {"customerProfiles": []}).status
        == 400
    )


def test_more_than_1000_profiles_in_one_bulk_update_is_400(client: TestClient, tenant: Tenant) -> None:
    body = {"customerProfiles": [{"integrationId": f"p{i}"} for i in range(1001)]}

    answer = call(client, "PUT", "/v2/customer_profiles", tenant.sandbox_key, body)

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": "/customerProfiles"}
