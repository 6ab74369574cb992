"""Management API, audiences: list, memberships, CSV export and import (SEMANTICS 17.8)."""

from __future__ import annotations

from typing import Any

import _client as sdk
from _harness import Tenant
from _helpers import assert_error_body, expect_error, is_aware, profile


def _ids(result: dict[str, Any]) -> list[str]:
    return [p["integrationId"] for p in result["data"]]


def test_audiences_memberships_export_import(tenant: Tenant, api: Any, other_tenant: Tenant) -> None:
    management = tenant.management()
    gold = sdk.create_audience(api, "Gold")
    empty = sdk.create_audience(api, "Empty", integration="segment", integration_id="seg-9")
    live_audience = sdk.create_audience(tenant.integration(tenant.live), "Live")
    assert live_audience["sandbox"] is False
    for name in ("m-1", "m-2", "m-10"):
        sdk.update_customer_profile(api, name, attributes={"Name": name.upper()})
    sdk.update_customer_profile_audiences(
        api,
        [
            {"action": "add", "profileIntegrationId": n, "audienceId": gold["id"]}
            for n in ("m-1", "m-2", "m-10")
        ],
    )

    # getAudiences: every audience of the account, both environments.
    listed = sdk.get_audiences(management)
    assert listed["hasMore"] is False
    assert "totalResultSize" not in listed
    assert [a["id"] for a in listed["data"]] == [gold["id"], empty["id"], live_audience["id"]]
    by_id = {a["id"]: a for a in listed["data"]}
    assert by_id[empty["id"]] == empty
    assert by_id[live_audience["id"]] == live_audience
    assert by_id[gold["id"]]["name"] == "Gold"
    assert by_id[gold["id"]]["accountId"] == tenant.account_id
    assert by_id[gold["id"]]["sandbox"] is True
    assert by_id[gold["id"]]["lastUpdate"] > gold["lastUpdate"]  # members joined
    total = sdk.get_audiences(management, with_total_result_size=True, page_size=1, skip=1)
    assert (total["totalResultSize"], total["hasMore"]) == (3, True)
    assert [a["id"] for a in total["data"]] == [empty["id"]]
    last = sdk.get_audiences(management, page_size=2, skip=2)
    assert (last["hasMore"], [a["id"] for a in last["data"]]) == (False, [live_audience["id"]])
    other_management = other_tenant.management()
    assert sdk.get_audiences(other_management, with_total_result_size=True) == {
        "hasMore": False,
        "totalResultSize": 0,
        "data": [],
    }

    # getAudienceMemberships: full CustomerProfiles, profileQuery, paging.
    members = sdk.get_audience_memberships(management, gold["id"])
    assert members["hasMore"] is False
    assert _ids(members) == ["m-1", "m-2", "m-10"]
    m1 = members["data"][0]
    assert m1 == profile(api, "m-1")
    assert m1["attributes"] == {"Name": "M-1"}
    assert m1["audienceMemberships"] == [{"id": gold["id"], "name": "Gold"}]
    assert (m1["sandbox"], m1["accountId"]) == (True, tenant.account_id)
    assert is_aware(m1["lastActivity"])
    assert _ids(sdk.get_audience_memberships(management, gold["id"], profile_query="m-1")) == ["m-1", "m-10"]
    assert _ids(sdk.get_audience_memberships(management, gold["id"], profile_query="M-2")) == ["m-2"]
    page = sdk.get_audience_memberships(management, gold["id"], page_size=2)
    assert (page["hasMore"], _ids(page)) == (True, ["m-1", "m-2"])
    page = sdk.get_audience_memberships(management, gold["id"], page_size=2, skip=2)
    assert (page["hasMore"], _ids(page)) == (False, ["m-10"])
    assert sdk.get_audience_memberships(management, empty["id"]) == {"hasMore": False, "data": []}

    # exportAudiencesMemberships: application/csv, one column.
    text = sdk.export_audiences_memberships(management, gold["id"])
    assert sdk.last_response.status == 200
    assert sdk.last_response.headers["content-type"].startswith("application/csv")
    assert text.splitlines() == ["profileintegrationid", "m-1", "m-2", "m-10"]
    assert sdk.export_audiences_memberships(management, empty["id"]).splitlines() == ["profileintegrationid"]

    # importAudiencesMemberships: replaces the member list; unknown profiles are created (sandbox).
    imported = sdk.import_audiences_memberships(management, gold["id"], "profileintegrationid\nm-2\nm-new\n")
    assert sdk.last_response.status == 200
    assert isinstance(imported["id"], int)
    assert is_aware(imported["created"])
    assert (imported["accountId"], imported["userId"], imported["entity"], imported["amount"]) == (
        tenant.account_id,
        0,
        "AudienceMembership",
        2,
    )
    assert _ids(sdk.get_audience_memberships(management, gold["id"])) == ["m-2", "m-new"]
    assert profile(api, "m-1")["audienceMemberships"] == []
    assert profile(api, "m-2")["audienceMemberships"] == [{"id": gold["id"], "name": "Gold"}]
    new = sdk.get_customers_by_attributes(management, {"integrationIDs": ["m-new"]}, sandbox=True)["data"]
    assert [(p["integrationId"], p["sandbox"], p["attributes"]) for p in new] == [("m-new", True, {})]
    assert sdk.export_audiences_memberships(management, gold["id"]).splitlines() == [
        "profileintegrationid",
        "m-2",
        "m-new",
    ]
    # A file without the column: 400, members unchanged.
    body = expect_error(400, sdk.import_audiences_memberships, management, gold["id"], "integrationid\nm-1\n")
    assert_error_body(body, 400)
    assert _ids(sdk.get_audience_memberships(management, gold["id"])) == ["m-2", "m-new"]
    # An empty import empties the audience.
    cleared = sdk.import_audiences_memberships(management, gold["id"], "profileintegrationid\n")
    assert cleared["amount"] == 0
    assert sdk.get_audience_memberships(management, gold["id"]) == {"hasMore": False, "data": []}

    # Another account's audience (and an unknown one): 404 for all three.
    for audience_id in (gold["id"], 999_999_999):
        for fn, args in [
            (sdk.get_audience_memberships, ()),
            (sdk.export_audiences_memberships, ()),
            (sdk.import_audiences_memberships, ("profileintegrationid\nx\n",)),
        ]:
            management_api = other_management if audience_id == gold["id"] else management
            assert_error_body(expect_error(404, fn, management_api, audience_id, *args), 404)
    assert sdk.get_audience_memberships(management, gold["id"]) == {"hasMore": False, "data": []}
