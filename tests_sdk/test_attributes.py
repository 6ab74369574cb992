"""Attribute definitions: POST/GET /v1/attributes and their use in profile updates (SEMANTICS 16, 17.9)."""

from __future__ import annotations

from typing import Any

import _client as sdk
import _http
from _harness import Tenant
from _helpers import assert_error_body, expect_error, is_aware, profile

TIER = {
    "entity": "CustomerProfile",
    "name": "Tier",
    "title": "Loyalty tier",
    "type": "string",
    "description": "Tier of the loyalty program",
    "suggestions": ["gold", "silver"],
    "editable": True,
}
POINTS = {
    "entity": "CustomerProfile",
    "name": "Points",
    "title": "Points",
    "type": "number",
    "description": "Points balance",
    "suggestions": [],
    "editable": True,
}
CHANNEL = {
    "entity": "CustomerSession",
    "name": "Channel",
    "title": "Channel",
    "type": "string",
    "description": "Sales channel",
    "suggestions": [],
    "editable": True,
}


def _raw_attributes(tenant: Tenant, query: str) -> dict[str, Any]:
    """GET /v1/attributes over raw HTTP (SDK9's get_attributes has no ``kind`` parameter)."""
    response = _http.request(
        tenant.base_url, "GET", f"/v1/attributes?{query}", management_key=tenant.management_key
    )
    assert response.status == 200, response.text
    result: dict[str, Any] = response.json
    return result


def test_create_and_list_attributes(tenant: Tenant, other_tenant: Tenant) -> None:
    management = tenant.management()
    builtin_total = sdk.get_attributes(management)["totalResultSize"]

    created = [sdk.create_attribute(management, spec) for spec in (TIER, POINTS, CHANNEL)]
    for attribute, spec in zip(created, (TIER, POINTS, CHANNEL), strict=True):
        assert isinstance(attribute["id"], int)
        assert attribute["accountId"] == tenant.account_id
        assert is_aware(attribute["created"])
        for key, value in spec.items():
            assert attribute[key] == value, key
        assert attribute["hasAllowedList"] is False
        assert attribute["restrictedBySuggestions"] is False
    assert len({a["id"] for a in created}) == 3

    # Duplicate (entity, name) -> 409; the same name on another entity is fine.
    body = expect_error(409, sdk.create_attribute, management, dict(TIER, title="Other title"))
    assert_error_body(body, 409)
    sdk.create_attribute(management, dict(TIER, entity="CustomerSession", title="Session tier"))
    assert sdk.last_response.status == 201

    everything = sdk.get_attributes(management)
    assert everything["totalResultSize"] == builtin_total + 4
    assert len(everything["data"]) == builtin_total + 4
    by_key = {(a["entity"], a["name"]): a for a in everything["data"]}
    for entity, name, type_ in [
        ("CustomerProfile", "Name", "string"),
        ("CustomerProfile", "Email", "string"),
        ("CustomerProfile", "BirthDate", "time"),
        ("CustomerProfile", "ShippingCountry", "string"),
        ("CustomerSession", "ShippingCost", "number"),
        ("CustomerSession", "ShippingMethod", "string"),
        ("CustomerSession", "PaymentMethod", "string"),
    ]:
        builtin = by_key[(entity, name)]
        assert builtin["type"] == type_
        assert builtin["editable"] is False
        assert builtin["accountId"] == tenant.account_id
    assert by_key[("CustomerProfile", "Tier")] == created[0]

    # Filters: entity (both SDKs), kind (raw HTTP; the SDK26 parameter too), paging.
    sessions = sdk.get_attributes(management, entity="CustomerSession")
    assert {a["entity"] for a in sessions["data"]} == {"CustomerSession"}
    assert sessions["totalResultSize"] == len(sessions["data"])
    assert {"ShippingCost", "Channel", "Tier"} <= {a["name"] for a in sessions["data"]}
    custom = _raw_attributes(tenant, "kind=custom")
    assert custom["totalResultSize"] == 4
    assert sorted(a["name"] for a in custom["data"]) == ["Channel", "Points", "Tier", "Tier"]
    builtin = _raw_attributes(tenant, "kind=builtin")
    assert builtin["totalResultSize"] == builtin_total
    assert all(a["editable"] is False for a in builtin["data"])
    if sdk.SDK_VERSION == 26:
        assert sdk.get_attributes(management, kind="custom")["totalResultSize"] == 4
        assert sdk.get_attributes(management, kind="builtin")["totalResultSize"] == builtin_total
    page = sdk.get_attributes(management, page_size=2, skip=1)
    assert page["totalResultSize"] == builtin_total + 4
    assert [a["id"] for a in page["data"]] == [a["id"] for a in everything["data"][1:3]]

    # Another account sees none of them.
    other = sdk.get_attributes(other_tenant.management())
    assert other["totalResultSize"] == builtin_total
    assert "Tier" not in {a["name"] for a in other["data"]}


def test_defined_attributes_in_profile_updates(tenant: Tenant, api: Any, other_tenant: Tenant) -> None:
    # Undefined: 400 "Unknown" naming /attributes/<name>, nothing stored.
    body = expect_error(
        400, sdk.update_customer_profile, api, "p1", attributes={"Name": "Ann", "Tier": "gold"}
    )
    assert_error_body(body, 400)
    assert [(e["title"], e["source"]) for e in body["errors"]] == [
        ("Unknown", {"pointer": "/attributes/Tier"})
    ]
    assert sdk.get_customer_profiles(tenant.management(), sandbox=True) == {"hasMore": False, "data": []}

    sdk.create_attribute(tenant.management(), TIER)
    sdk.create_attribute(tenant.management(), POINTS)
    p = sdk.update_customer_profile(api, "p1", attributes={"Name": "Ann", "Tier": "gold", "Points": 12.5})
    assert p["customerProfile"]["attributes"] == {"Name": "Ann", "Tier": "gold", "Points": 12.5}

    # Mistyped: 400 "Invalid type"; still undefined: 400 "Unknown"; nothing stored either way.
    body = expect_error(400, sdk.update_customer_profile, api, "p1", attributes={"Points": "many"})
    assert [(e["title"], e["source"]) for e in body["errors"]] == [
        ("Invalid type", {"pointer": "/attributes/Points"})
    ]
    body = expect_error(
        400, sdk.update_customer_profile, api, "p1", attributes={"Tier": "silver", "Nickname": "A"}
    )
    assert [(e["title"], e["source"]) for e in body["errors"]] == [
        ("Unknown", {"pointer": "/attributes/Nickname"})
    ]
    assert profile(api, "p1")["attributes"] == {"Name": "Ann", "Tier": "gold", "Points": 12.5}

    # Definitions are per account.
    other_api = other_tenant.integration()
    body = expect_error(400, sdk.update_customer_profile, other_api, "p1", attributes={"Tier": "gold"})
    assert [(e["title"], e["source"]) for e in body["errors"]] == [
        ("Unknown", {"pointer": "/attributes/Tier"})
    ]
