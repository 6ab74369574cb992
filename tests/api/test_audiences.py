"""Audiences through the Integration API, and the memberships every profile shows (SEMANTICS 14)."""

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.integration_client import call, profile
from tests.factories import Tenant


def create(client: TestClient, key: str, **fields: Any) -> Any:
    return call(client, "POST", "/v2/audiences", key, fields)


def memberships(client: TestClient, key: str, integration_id: str) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = profile(client, key, integration_id)["audienceMemberships"]
    return result


def test_an_audience_is_created_in_the_keys_environment(client: TestClient, tenant: Tenant) -> None:
    answer = create(client, tenant.sandbox_key, name="VIP", integration="segment", integrationId="seg-1")

    assert answer.status == 201
    assert answer["name"] == "VIP"
    assert (answer["sandbox"], answer["accountId"], answer["createdIn3rdParty"]) == (
        True,
        tenant.account_id,
        True,
    )
    assert answer["lastUpdate"] == answer["created"]
    duplicate = create(client, tenant.sandbox_key, name="Other", integration="segment", integrationId="seg-1")
    assert duplicate.status == 409
    assert (
        create(client, tenant.live_key, name="VIP", integration="segment", integrationId="seg-1").status
        == 201
    )


@pytest.mark.parametrize(
    ("fields", "pointer"),
    [({"name": ""}, "/name"), ({}, "/name"), ({"name": "x", "sandbox": False}, "/sandbox")],
    ids=["empty-name", "no-name", "other-environment"],
)
def test_a_bad_audience_is_400(
    client: TestClient, tenant: Tenant, fields: dict[str, Any], pointer: str
) -> None:
    answer = create(client, tenant.sandbox_key, **fields)

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": pointer}


def test_memberships_follow_joins_renames_leaves_and_deletion(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    vip, gold = create(client, key, name="VIP")["id"], create(client, key, name="Gold")["id"]
    actions = [
        {"action": "add", "profileIntegrationId": "p1", "audienceId": gold},
        {"action": "add", "profileIntegrationId": "p1", "audienceId": vip},
        {"action": "add", "profileIntegrationId": "p2", "audienceId": vip},
    ]

    assert call(client, "POST", "/v2/customer_audiences", key, {"data": actions}).status == 204
    assert memberships(client, key, "p1") == [{"id": vip, "name": "VIP"}, {"id": gold, "name": "Gold"}]

    assert call(client, "PUT", f"/v2/audiences/{vip}", key, {"name": "Very VIP"}).status == 200
    assert memberships(client, key, "p2") == [{"id": vip, "name": "Very VIP"}]

    leave = [{"action": "delete", "profileIntegrationId": "p1", "audienceId": gold}]
    assert call(client, "POST", "/v2/customer_audiences", key, {"data": leave}).status == 204
    assert memberships(client, key, "p1") == [{"id": vip, "name": "Very VIP"}]

    assert call(client, "DELETE", f"/v2/audiences/{vip}", key).status == 204
    assert memberships(client, key, "p1") == memberships(client, key, "p2") == []
    assert call(client, "DELETE", f"/v2/audiences/{vip}", key).status == 404


def test_a_batch_naming_an_unknown_audience_applies_nothing(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    vip = create(client, key, name="VIP")["id"]
    actions = [
        {"action": "add", "profileIntegrationId": "p1", "audienceId": vip},
        {"action": "add", "profileIntegrationId": "p1", "audienceId": vip + 1000},
    ]

    answer = call(client, "POST", "/v2/customer_audiences", key, {"data": actions})

    assert answer.status == 404
    assert memberships(client, key, "p1") == []


def test_an_audience_id_beyond_32_bits_is_400_and_applies_nothing(client: TestClient, tenant: Tenant) -> None:
    actions = [{"action": "add", "profileIntegrationId": "p1", "audienceId": 2**70}]

    answer = call(client, "POST", "/v2/customer_audiences", tenant.sandbox_key, {"data": actions})
    renamed = call(client, "PUT", f"/v2/audiences/{2**63}", tenant.sandbox_key, {"name": "x"})

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"pointer": "/data/0/audienceId"}
    assert (renamed.status, renamed["errors"][0]["source"]) == (400, {"parameter": "audienceId"})
    assert memberships(client, tenant.sandbox_key, "p1") == []


def test_audiences_changes_on_the_profile_update(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    vip, gold = create(client, key, name="VIP")["id"], create(client, key, name="Gold")["id"]

    joined = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        key,
        {"audiencesChanges": {"adds": [vip, gold], "deletes": []}},
    )
    left = call(
        client, "PUT", "/v2/customer_profiles/p1", key, {"audiencesChanges": {"adds": [], "deletes": [vip]}}
    )
    both = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        key,
        {"audiencesChanges": {"adds": [gold], "deletes": [gold]}},
    )
    other_env = call(
        client,
        "PUT",
        "/v2/customer_profiles/p1",
        tenant.live_key,
        {"audiencesChanges": {"adds": [vip], "deletes": []}},
    )

    assert [m["id"] for m in joined["customerProfile"]["audienceMemberships"]] == [vip, gold]
    assert left["customerProfile"]["audienceMemberships"] == [{"id": gold, "name": "Gold"}]
    assert both.status == 400
    assert (other_env.status, other_env["errors"][0]["source"]) == (
        400,
        {"pointer": "/audiencesChanges/adds/0"},
    )


def test_clearing_memberships_keeps_the_audience(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    vip = create(client, key, name="VIP")["id"]
    call(client, "PUT", "/v2/customer_profiles/p1", key, {"audiencesChanges": {"adds": [vip], "deletes": []}})

    assert call(client, "DELETE", f"/v2/audiences/{vip}/memberships", key).status == 204
    assert memberships(client, key, "p1") == []
    assert call(client, "PUT", f"/v2/audiences/{vip}", key, {"name": "still here"}).status == 200


def test_member_attributes_are_validated_and_merged(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key
    vip = create(client, key, name="VIP")["id"]
    for member in ("p1", "p2"):
        call(
            client,
            "PUT",
            f"/v2/customer_profiles/{member}",
            key,
            {"attributes": {"a": 1}, "audiencesChanges": {"adds": [vip], "deletes": []}},
        )
    call(client, "PUT", "/v2/customer_profiles/outsider", key, {"attributes": {"a": 1}})
    before = profile(client, key, "p1")

    bad = call(client, "PUT", f"/v2/audience_customers/{vip}/attributes", key, {"b": "x", "nope": 1})
    good = call(client, "PUT", f"/v2/audience_customers/{vip}/attributes", key, {"b": "x"})

    assert bad.status == 400
    assert bad["errors"][0]["title"] == "Unknown"
    assert good.status == 204
    assert (
        profile(client, key, "p1")["attributes"]
        == profile(client, key, "p2")["attributes"]
        == {"a": 1, "b": "x"}
    )
    assert profile(client, key, "outsider")["attributes"] == {"a": 1}
    assert profile(client, key, "p1")["lastActivity"] == before["lastActivity"]


def test_another_environments_audience_is_not_found(client: TestClient, tenant: Tenant) -> None:
    vip = create(client, tenant.sandbox_key, name="VIP")["id"]

    assert call(client, "PUT", f"/v2/audiences/{vip}", tenant.live_key, {"name": "x"}).status == 404
    assert call(client, "DELETE", f"/v2/audiences/{vip}", tenant.live_key).status == 404
    assert call(client, "DELETE", f"/v2/audiences/{vip}/memberships", tenant.live_key).status == 404
    assert call(client, "PUT", f"/v2/audience_customers/{vip}/attributes", tenant.live_key, {}).status == 404


def test_an_idempotent_audience_create_applies_once(client: TestClient, tenant: Tenant) -> None:
    headers = {"Authorization": f"ApiKey-v1 {tenant.sandbox_key}", "Idempotency-Key": "a-1"}

    first = client.post("/v2/audiences", json={"name": "VIP"}, headers=headers)
    again = client.post("/v2/audiences", json={"name": "VIP"}, headers=headers)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.content == first.content
    listing = client.get(
        "/v1/audiences", headers={"Authorization": f"ManagementKey-v1 {tenant.management_key}"}
    )
    assert [a["name"] for a in listing.json()["data"]] == ["VIP"]
