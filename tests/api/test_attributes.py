"""Attribute definitions, and the validation of every attributes object against them (SEMANTICS 16)."""

from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import management
from tests.api.integration_client import call, item, profile, put_session
from tests.factories import Tenant

NEW = {
    "entity": "CustomerProfile",
    "name": "Tier",
    "title": "Loyalty tier",
    "type": "string",
    "description": "The customer's tier",
    "suggestions": ["gold", "silver"],
    "restrictedBySuggestions": True,
    "editable": True,
}


def define(client: TestClient, tenant: Tenant, **overrides: Any) -> Any:
    return client.post("/v1/attributes", json={**NEW, **overrides}, headers=management(tenant.management_key))


def test_a_custom_attribute_is_created_and_listed_with_the_built_ins(
    client: TestClient, tenant: Tenant
) -> None:
    created = define(client, tenant)
    listing = client.get("/v1/attributes", headers=management(tenant.management_key)).json()
    custom = client.get(
        "/v1/attributes", params={"kind": "custom"}, headers=management(tenant.management_key)
    ).json()

    assert created.status_code == 201
    assert created.json()["name"] == "Tier"
    assert created.json()["accountId"] == tenant.account_id
    names = {(a["entity"], a["name"]) for a in listing["data"]}
    assert {
        ("CustomerProfile", "Tier"),
        ("CustomerProfile", "Email"),
        ("CustomerSession", "ShippingCost"),
    } <= names
    assert listing["totalResultSize"] == len(listing["data"])
    assert all(not a["editable"] for a in listing["data"] if a["name"] == "Email")
    assert "Email" not in {a["name"] for a in custom["data"]}


@pytest.mark.parametrize(
    ("overrides", "status"),
    [({}, 409), ({"name": "Other"}, 409), ({"name": "9lives", "title": "t"}, 400), ({"type": "money"}, 400)],
    ids=["same-name", "same-title", "bad-name", "bad-type"],
)
def test_a_clashing_or_malformed_definition_is_refused(
    client: TestClient, tenant: Tenant, overrides: dict[str, Any], status: int
) -> None:
    define(client, tenant)

    assert define(client, tenant, **overrides).status_code == status


@pytest.mark.parametrize(
    ("attributes", "title", "pointer"),
    [
        ({"Undefined": 1}, "Unknown", "/attributes/Undefined"),
        ({"a": "one"}, "Invalid type", "/attributes/a"),
        ({"a": True}, "Invalid type", "/attributes/a"),
        ({"c": [1, "2"]}, "Invalid type", "/attributes/c"),
        ({"BirthDate": "yesterday"}, "Invalid type", "/attributes/BirthDate"),
        ({"closedSessions": 3}, "Unknown", "/attributes/closedSessions"),
    ],
    ids=["unknown", "string-for-number", "bool-for-number", "mixed-list", "bad-time", "counter-as-attribute"],
)
def test_profile_attributes_must_fit_their_definitions(
    client: TestClient, tenant: Tenant, attributes: dict[str, Any], title: str, pointer: str
) -> None:
    answer = call(client, "PUT", "/v2/customer_profiles/p1", tenant.sandbox_key, {"attributes": attributes})

    assert answer.status == 400
    assert (answer["errors"][0]["title"], answer["errors"][0]["source"]) == (title, {"pointer": pointer})
    assert profile(client, tenant.sandbox_key, "p1")["attributes"] == {}


def test_suggestions_restrict_values_when_asked(client: TestClient, tenant: Tenant) -> None:
    define(client, tenant)

    good = call(
        client, "PUT", "/v2/customer_profiles/p1", tenant.sandbox_key, {"attributes": {"Tier": "gold"}}
    )
    bad = call(
        client, "PUT", "/v2/customer_profiles/p1", tenant.sandbox_key, {"attributes": {"Tier": "bronze"}}
    )

    assert good.status == 200
    assert (bad.status, bad["errors"][0]["title"]) == (400, "Not allowed")


def test_session_and_cart_item_attributes_point_into_the_body(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key

    session_level = put_session(client, key, "s1", profileId="p1", attributes={"nope": 1})
    item_level = put_session(
        client, key, "s1", profileId="p1", cartItems=[item("A", 1, "1", attributes={"color": 3})]
    )

    assert session_level["errors"][0]["source"] == {"pointer": "/customerSession/attributes/nope"}
    assert item_level["errors"][0]["source"] == {"pointer": "/customerSession/cartItems/0/attributes/color"}
    assert call(client, "GET", "/v2/customer_sessions/s1", key).status == 404


def test_event_attributes_are_defined_per_event_type(client: TestClient, tenant: Tenant) -> None:
    key = tenant.sandbox_key

    known = call(
        client,
        "POST",
        "/v2/events",
        key,
        {"profileId": "p1", "type": "pageViewed", "attributes": {"page": "/"}},
    )
    wrong_type = call(
        client, "POST", "/v2/events", key, {"profileId": "p1", "type": "other", "attributes": {"page": "/"}}
    )
    no_attributes = call(client, "POST", "/v2/events", key, {"profileId": "p1", "type": "anything"})

    assert known.status == 204
    assert (wrong_type.status, wrong_type["errors"][0]["title"]) == (400, "Unknown")
    assert no_attributes.status == 204


def test_bulk_profile_attributes_are_validated_all_or_nothing(client: TestClient, tenant: Tenant) -> None:
    body = {
        "customerProfiles": [
            {"integrationId": "ok", "attributes": {"a": 1}},
            {"integrationId": "bad", "attributes": {"a": "x"}},
        ]
    }

    answer = call(client, "PUT", "/v2/customer_profiles", tenant.sandbox_key, body)

    assert (answer.status, answer["errors"][0]["source"]) == (
        400,
        {"pointer": "/customerProfiles/1/attributes/a"},
    )
    assert profile(client, tenant.sandbox_key, "ok")["attributes"] == {}
