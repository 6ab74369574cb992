"""Integration API audiences: create/update/delete, memberships and member attributes (SEMANTICS 14, 4.11)."""

from __future__ import annotations

from typing import Any

import _client as sdk
import _http
import pytest
from _harness import Tenant
from _helpers import assert_error_body, expect_error, is_aware, profile


def _members(management: Any, audience_id: int) -> list[str]:
    result = sdk.get_audience_memberships(management, audience_id)
    return [p["integrationId"] for p in result["data"]]


def test_audience_lifecycle_and_memberships(tenant: Tenant, api: Any) -> None:
    management = tenant.management()

    # Create (201): from scratch, and mirrored from a partner platform.
    gold = sdk.create_audience(api, "Gold", description="Best customers")
    assert sdk.last_response.status == 201
    assert isinstance(gold["id"], int)
    assert gold["accountId"] == tenant.account_id
    assert gold["name"] == "Gold"
    assert gold["description"] == "Best customers"
    assert gold["sandbox"] is True
    assert gold["createdIn3rdParty"] is False
    assert "integration" not in gold
    assert "integrationId" not in gold
    assert is_aware(gold["created"])
    assert gold["lastUpdate"] == gold["created"]

    seg = sdk.create_audience(api, "Segment VIP", integration="segment", integration_id="seg-1")
    assert sdk.last_response.status == 201
    assert seg["id"] != gold["id"]
    assert (seg["integration"], seg["integrationId"], seg["createdIn3rdParty"]) == ("segment", "seg-1", True)

    # Duplicate integrationId for the same integration -> 409; nothing created.
    body = expect_error(409, sdk.create_audience, api, "Again", integration="segment", integration_id="seg-1")
    assert_error_body(body, 409)
    assert sdk.get_audiences(management, with_total_result_size=True)["totalResultSize"] == 2

    # An empty name is refused by both SDKs client-side; the server's own 400 over raw HTTP.
    # SDK9 raises ValueError, SDK26 pydantic.ValidationError (a ValueError).
    with pytest.raises(ValueError, match=r"greater than or equal to `1`|at least 1 character"):
        sdk.create_audience(api, "")
    raw = _http.request(
        tenant.base_url, "POST", "/v2/audiences", api_key=tenant.sandbox.api_key, body={"name": ""}
    )
    assert raw.status == 400, raw.text
    assert_error_body(raw.json, 400)
    assert sdk.get_audiences(management, with_total_result_size=True)["totalResultSize"] == 2

    # Rename (200).
    renamed = sdk.update_audience(api, gold["id"], "Platinum")
    assert sdk.last_response.status == 200
    assert renamed["id"] == gold["id"]
    assert renamed["name"] == "Platinum"
    assert renamed["created"] == gold["created"]

    # Memberships through POST /v2/customer_audiences (204).
    sdk.update_customer_profile(api, "m-1", attributes={"Name": "One"})
    sdk.update_customer_profile(api, "m-3", attributes={"Name": "Three"})
    sdk.update_customer_profile_audiences(
        api,
        [
            {"action": "add", "profileIntegrationId": "m-1", "audienceId": gold["id"]},
            {"action": "add", "profileIntegrationId": "m-2", "audienceId": gold["id"]},  # created
            {"action": "add", "profileIntegrationId": "m-1", "audienceId": seg["id"]},
        ],
    )
    assert sdk.last_response.status == 204
    assert _members(management, gold["id"]) == ["m-1", "m-2"]
    assert _members(management, seg["id"]) == ["m-1"]
    assert profile(api, "m-1")["audienceMemberships"] == [
        {"id": gold["id"], "name": "Platinum"},
        {"id": seg["id"], "name": "Segment VIP"},
    ]

    # An unknown audience anywhere in the request: 404, nothing of the request applied.
    body = expect_error(
        404,
        sdk.update_customer_profile_audiences,
        api,
        [
            {"action": "add", "profileIntegrationId": "m-3", "audienceId": gold["id"]},
            {"action": "delete", "profileIntegrationId": "m-1", "audienceId": seg["id"]},
            {"action": "add", "profileIntegrationId": "m-3", "audienceId": 999_999_999},
        ],
    )
    assert_error_body(body, 404)
    assert _members(management, gold["id"]) == ["m-1", "m-2"]
    assert _members(management, seg["id"]) == ["m-1"]
    assert profile(api, "m-3")["audienceMemberships"] == []

    # Member attributes (204): merged into every current member, nobody else.
    sdk.update_audience_customers_attributes(api, gold["id"], {"Language": "de"})
    assert sdk.last_response.status == 204
    assert profile(api, "m-1")["attributes"] == {"Name": "One", "Language": "de"}
    assert profile(api, "m-2")["attributes"] == {"Language": "de"}
    assert profile(api, "m-3")["attributes"] == {"Name": "Three"}
    # An undefined attribute: 400 "Unknown", nothing stored.
    body = expect_error(
        400, sdk.update_audience_customers_attributes, api, gold["id"], {"Email": "x@y.z", "Nope": 1}
    )
    assert_error_body(body, 400)
    assert [e["title"] for e in body["errors"]] == ["Unknown"]
    assert "Nope" in body["errors"][0]["details"]
    assert "Email" not in profile(api, "m-1")["attributes"]
    assert "Email" not in profile(api, "m-2")["attributes"]
    body = expect_error(404, sdk.update_audience_customers_attributes, api, 999_999_999, {"Language": "fr"})
    assert_error_body(body, 404)

    # delete action; deleting a non-member is a no-op.
    sdk.update_customer_profile_audiences(
        api,
        [
            {"action": "delete", "profileIntegrationId": "m-2", "audienceId": gold["id"]},
            {"action": "delete", "profileIntegrationId": "m-3", "audienceId": gold["id"]},
        ],
    )
    assert sdk.last_response.status == 204
    assert _members(management, gold["id"]) == ["m-1"]
    assert profile(api, "m-2")["audienceMemberships"] == []

    # Delete all members (204): the audience stays, empty.
    sdk.delete_audience_memberships(api, gold["id"])
    assert sdk.last_response.status == 204
    assert _members(management, gold["id"]) == []
    assert profile(api, "m-1")["audienceMemberships"] == [{"id": seg["id"], "name": "Segment VIP"}]
    listed = {a["id"]: a for a in sdk.get_audiences(management)["data"]}
    assert listed[gold["id"]]["name"] == "Platinum"
    assert listed[gold["id"]]["lastUpdate"] > gold["lastUpdate"]

    # Delete the audience (204): its memberships go with it; then 404 everywhere.
    sdk.delete_audience(api, seg["id"])
    assert sdk.last_response.status == 204
    assert profile(api, "m-1")["audienceMemberships"] == []
    assert [a["id"] for a in sdk.get_audiences(management)["data"]] == [gold["id"]]
    for fn, args in [
        (sdk.delete_audience, (seg["id"],)),
        (sdk.update_audience, (seg["id"], "Back")),
        (sdk.delete_audience_memberships, (seg["id"],)),
        (sdk.update_audience_customers_attributes, (seg["id"], {"Language": "en"})),
    ]:
        assert_error_body(expect_error(404, fn, api, *args), 404)
    assert_error_body(expect_error(404, sdk.get_audience_memberships, management, seg["id"]), 404)

    # A live key does not see the sandbox audience (SEMANTICS 1.7).
    live = tenant.integration(tenant.live)
    assert_error_body(expect_error(404, sdk.update_audience, live, gold["id"], "Live"), 404)
    assert_error_body(expect_error(404, sdk.delete_audience, live, gold["id"]), 404)
    assert sdk.get_audiences(management)["data"][0]["name"] == "Platinum"


def test_audiences_changes_on_profile_update(tenant: Tenant, api: Any) -> None:
    a = sdk.create_audience(api, "Alpha")
    b = sdk.create_audience(api, "Beta")

    joined = sdk.update_customer_profile(
        api,
        "p-aud",
        attributes={"Name": "Pat"},
        audiences_changes={"adds": [b["id"], a["id"]], "deletes": []},
    )["customerProfile"]
    assert joined["audienceMemberships"] == [
        {"id": a["id"], "name": "Alpha"},
        {"id": b["id"], "name": "Beta"},
    ]
    assert joined["attributes"] == {"Name": "Pat"}

    # Adding a member again is a no-op; the profile reflects a rename at once.
    sdk.update_audience(api, a["id"], "Alpha Prime")
    again = sdk.update_customer_profile(api, "p-aud", audiences_changes={"adds": [a["id"]], "deletes": []})
    assert again["customerProfile"]["audienceMemberships"] == [
        {"id": a["id"], "name": "Alpha Prime"},
        {"id": b["id"], "name": "Beta"},
    ]

    # ... and a deletion.
    sdk.delete_audience(api, b["id"])
    assert profile(api, "p-aud")["audienceMemberships"] == [{"id": a["id"], "name": "Alpha Prime"}]

    # An unknown audience: 400 with a pointer, nothing applied (SEMANTICS 14.6).
    body = expect_error(
        400,
        sdk.update_customer_profile,
        api,
        "p-aud",
        attributes={"Name": "Changed"},
        audiences_changes={"adds": [b["id"]], "deletes": [a["id"]]},
    )
    assert_error_body(body, 400)
    assert {"pointer": "/audiencesChanges/adds/0"} in [e.get("source") for e in body["errors"]]
    after = profile(api, "p-aud")
    assert after["attributes"] == {"Name": "Pat"}
    assert after["audienceMemberships"] == [{"id": a["id"], "name": "Alpha Prime"}]

    # dry: evaluated, not applied.
    dry = sdk.update_customer_profile(
        api, "p-aud", audiences_changes={"adds": [], "deletes": [a["id"]]}, dry=True, run_rule_engine=True
    )
    assert dry["effects"] == []
    assert profile(api, "p-aud")["audienceMemberships"] == [{"id": a["id"], "name": "Alpha Prime"}]

    # Leaving (even with runRuleEngine=false), and leaving again (no-op).
    for _ in range(2):
        left = sdk.update_customer_profile(
            api, "p-aud", audiences_changes={"adds": [], "deletes": [a["id"]]}, run_rule_engine=False
        )
        assert left["customerProfile"]["audienceMemberships"] == []
    assert sdk.get_audience_memberships(tenant.management(), a["id"]) == {"hasMore": False, "data": []}
