"""Customer sessions through the Management API: list, read, export (SEMANTICS 17.7)."""

import csv
import io
import json
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.api.conftest import management
from tests.api.integration_client import call, item, put_session
from tests.api.management_client import assert_money, assert_not_found, read
from tests.factories import Store, Tenant, create_tenant

SESSION_KEYS = {
    "id",
    "created",
    "integrationId",
    "storeIntegrationId",
    "applicationId",
    "profileId",
    "profileintegrationid",
    "coupon",
    "referral",
    "state",
    "cartItems",
    "discounts",
    "totalDiscounts",
    "total",
    "attributes",
}
EXPORT_HEADER = (
    "id,firstsession,integrationid,applicationid,profileid,profileintegrationid,created,state,cartitems,"
    "discounts,total,attributes,closedat,cancelledat,referral,identifiers,additional_costs,updated,"
    "store_integration_id,coupons"
)
NEVER = "0001-01-01T00:00:00Z"


def seed(client: TestClient, key: str) -> dict[str, int]:
    """Four sessions; answers the profile ids by integration id."""
    ann = put_session(
        client,
        key,
        "order-ann-1",
        profileId="customer-ann",
        state="closed",
        storeIntegrationId="STORE-North",
        couponCodes=["SUMMER10", "EXTRA"],
        referralCode="REF-ANN",
        cartItems=[item("A", 1, "9")],
        attributes={"ShippingMethod": "Standard"},
    )
    assert ann.status == 200, ann.body
    bob = put_session(client, key, "order-bob-1", profileId="customer-bob", cartItems=[item("B", 1, "100")])
    put_session(
        client, key, "order-ann-2", profileId="customer-ann", state="closed", cartItems=[item("C", 2, "5")]
    )
    put_session(client, key, "order-ann-2", state="cancelled")
    put_session(client, key, "guest-1", cartItems=[item("D", 1, "0.5")])
    return {"customer-ann": ann["customerProfile"]["id"], "customer-bob": bob["customerProfile"]["id"]}


def sessions_path(tenant: Tenant) -> str:
    return f"/v1/applications/{tenant.sandbox_application_id}/sessions"


def listed(client: TestClient, tenant: Tenant, **params: Any) -> list[str]:
    answer = read(client, tenant.management_key, sessions_path(tenant), **params)
    assert answer.status == 200, answer.body
    return [session["integrationId"] for session in answer["data"]]


def test_sessions_list_in_the_application_session_shape(client: TestClient, tenant: Tenant) -> None:
    profiles = seed(client, tenant.sandbox_key)

    answer = read(client, tenant.management_key, sessions_path(tenant))

    assert (answer.status, answer["hasMore"]) == (200, False)
    assert "totalResultSize" not in answer.body
    ann, bob, cancelled, guest = answer["data"]
    assert set(ann) == SESSION_KEYS
    assert ann["profileId"] == profiles["customer-ann"]
    assert (ann["profileintegrationid"], ann["applicationId"]) == (
        "customer-ann",
        tenant.sandbox_application_id,
    )
    assert (ann["coupon"], ann["referral"], ann["storeIntegrationId"]) == (
        "SUMMER10",
        "REF-ANN",
        "STORE-North",
    )
    assert (ann["state"], ann["total"], ann["discounts"], ann["totalDiscounts"]) == ("closed", 9, {}, 0)
    assert ann["attributes"] == {"ShippingMethod": "Standard"}
    assert ann["cartItems"][0]["sku"] == "A"
    assert ann["created"].endswith("Z")
    assert (bob["coupon"], bob["referral"], bob["profileId"]) == ("", "", profiles["customer-bob"])
    assert "storeIntegrationId" not in bob
    assert cancelled["state"] == "cancelled"
    assert set(guest) == SESSION_KEYS - {"profileId", "profileintegrationid", "storeIntegrationId"}
    assert_money(*(s[name] for s in answer["data"] for name in ("total", "totalDiscounts")))
    assert_money(guest["cartItems"][0]["price"])


def test_a_session_reads_by_its_internal_id(client: TestClient, tenant: Tenant) -> None:
    profiles = seed(client, tenant.sandbox_key)
    session_id = read(client, tenant.management_key, sessions_path(tenant))["data"][0]["id"]

    answer = read(client, tenant.management_key, f"{sessions_path(tenant)}/{session_id}")

    assert answer.status == 200
    assert set(answer.body) == SESSION_KEYS
    assert (answer["id"], answer["integrationId"]) == (session_id, "order-ann-1")
    assert (answer["profileId"], answer["coupon"]) == (profiles["customer-ann"], "SUMMER10")
    assert_money(answer["total"], answer["totalDiscounts"])


def test_a_session_of_another_application_or_account_is_not_found(
    client: TestClient, tenant: Tenant, app_store: Store
) -> None:
    put_session(client, tenant.sandbox_key, "s1", profileId="p1")
    session_id = read(client, tenant.management_key, sessions_path(tenant))["data"][0]["id"]
    other = create_tenant(app_store, name="Other")
    live = f"/v1/applications/{tenant.live_application_id}/sessions"

    assert_not_found(read(client, tenant.management_key, f"{live}/{session_id}"), "sessionId")
    assert_not_found(read(client, tenant.management_key, f"{sessions_path(tenant)}/999999"), "sessionId")
    assert_not_found(
        read(client, other.management_key, f"{sessions_path(tenant)}/{session_id}"), "applicationId"
    )
    assert_not_found(read(client, other.management_key, sessions_path(tenant)), "applicationId")
    assert read(client, tenant.management_key, live)["data"] == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"profile": "customer-ann"}, ["order-ann-1", "order-ann-2"]),
        ({"profile": "CUSTOMER-A"}, []),
        ({"profile": "CUSTOMER-A", "partialMatch": "true"}, ["order-ann-1", "order-ann-2"]),
        ({"state": "closed"}, ["order-ann-1"]),
        ({"state": "cancelled", "profile": "customer-ann"}, ["order-ann-2"]),
        ({"integrationId": "guest-1"}, ["guest-1"]),
        ({"integrationId": "ORDER", "partialMatch": "True"}, ["order-ann-1", "order-bob-1", "order-ann-2"]),
        # Under 3 characters a partial match falls back to an exact one.
        ({"integrationId": "or", "partialMatch": "true"}, []),
        ({"coupon": "EXTRA"}, ["order-ann-1"]),
        ({"coupon": "summer", "partialMatch": "true"}, ["order-ann-1"]),
        ({"coupon": "SUMMER"}, []),
        ({"referral": "REF-ANN"}, ["order-ann-1"]),
        ({"referral": "ref-", "partialMatch": "true"}, ["order-ann-1"]),
        ({"storeIntegrationId": "STORE-North"}, ["order-ann-1"]),
        ({"storeIntegrationId": "north", "partialMatch": "true"}, ["order-ann-1"]),
        ({"storeIntegrationId": "100%", "partialMatch": "true"}, []),
    ],
)
def test_sessions_filter(
    client: TestClient, tenant: Tenant, params: dict[str, str], expected: list[str]
) -> None:
    seed(client, tenant.sandbox_key)

    assert listed(client, tenant, **params) == expected


def test_sessions_filter_by_creation_time_in_any_offset(client: TestClient, tenant: Tenant) -> None:
    seed(client, tenant.sandbox_key)
    created = [
        datetime.fromisoformat(s["created"])
        for s in read(client, tenant.management_key, sessions_path(tenant))["data"]
    ]
    plus_two = timezone(timedelta(hours=2))

    after_first = listed(client, tenant, createdAfter=created[0].astimezone(plus_two).isoformat())
    before_third = listed(client, tenant, createdBefore=created[2].astimezone(plus_two).isoformat())
    window = listed(client, tenant, createdAfter=created[0].isoformat(), createdBefore=created[3].isoformat())

    assert after_first == ["order-bob-1", "order-ann-2", "guest-1"]
    assert before_third == ["order-ann-1", "order-bob-1"]
    assert window == ["order-bob-1", "order-ann-2"]
    assert read(client, tenant.management_key, sessions_path(tenant), createdAfter="2020-01-01").status == 400


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("-id", ["guest-1", "order-ann-2", "order-bob-1", "order-ann-1"]),
        ("integrationId", ["guest-1", "order-ann-1", "order-ann-2", "order-bob-1"]),
        # Numeric, not text, order: 0.5 < 9 < 10 < 100.
        ("total", ["guest-1", "order-ann-1", "order-ann-2", "order-bob-1"]),
        ("-total", ["order-bob-1", "order-ann-2", "order-ann-1", "guest-1"]),
        ("state", ["order-ann-2", "order-ann-1", "order-bob-1", "guest-1"]),
        ("-created", ["guest-1", "order-ann-2", "order-bob-1", "order-ann-1"]),
    ],
)
def test_sessions_sort(client: TestClient, tenant: Tenant, sort: str, expected: list[str]) -> None:
    seed(client, tenant.sandbox_key)

    assert listed(client, tenant, sort=sort) == expected


def test_a_session_id_beyond_32_bits_is_400_naming_it(client: TestClient, tenant: Tenant) -> None:
    answer = read(client, tenant.management_key, f"{sessions_path(tenant)}/{2**63}")

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"parameter": "sessionId"}


def test_a_nul_character_in_a_filter_is_400_naming_it(client: TestClient, tenant: Tenant) -> None:
    # PostgreSQL text cannot hold NUL: this was a 500 there.
    answer = read(client, tenant.management_key, sessions_path(tenant), profile="a\x00b")

    assert answer.status == 400
    assert answer["errors"][0]["source"] == {"parameter": "profile"}


def test_an_unknown_sort_field_is_400(client: TestClient, tenant: Tenant) -> None:
    answer = read(client, tenant.management_key, sessions_path(tenant), sort="-name")

    assert (answer.status, answer["StatusCode"]) == (400, 400)
    assert answer["errors"][0]["source"] == {"parameter": "sort"}


def test_sessions_page(client: TestClient, tenant: Tenant) -> None:
    seed(client, tenant.sandbox_key)

    first = read(client, tenant.management_key, sessions_path(tenant), pageSize=3)
    last = read(client, tenant.management_key, sessions_path(tenant), pageSize=3, skip=3, sort="-id")

    assert (len(first["data"]), first["hasMore"]) == (3, True)
    assert ([s["integrationId"] for s in last["data"]], last["hasMore"]) == (["order-ann-1"], False)
    assert read(client, tenant.management_key, sessions_path(tenant), pageSize=0).status == 400


def export(client: TestClient, tenant: Tenant, **params: str) -> tuple[str, list[dict[str, str]]]:
    response = client.get(
        f"/v1/applications/{tenant.sandbox_application_id}/export_customer_sessions",
        headers=management(tenant.management_key),
        params=params,
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/csv"
    return response.text, list(csv.DictReader(io.StringIO(response.text)))


def test_the_export_writes_one_csv_row_per_session(client: TestClient, tenant: Tenant) -> None:
    profiles = seed(client, tenant.sandbox_key)
    returned = {"return": {"returnedCartItems": [{"position": 0}]}}
    assert (
        call(client, "POST", "/v2/customer_sessions/order-ann-1/returns", tenant.sandbox_key, returned).status
        == 200
    )

    text, rows = export(client, tenant)

    assert text.splitlines()[0] == EXPORT_HEADER
    assert [row["integrationid"] for row in rows] == ["order-ann-1", "order-bob-1", "order-ann-2", "guest-1"]
    ann, bob, cancelled, guest = rows
    assert (ann["firstsession"], bob["firstsession"]) == ("true", "true")
    assert (ann["applicationid"], ann["profileid"]) == (
        str(tenant.sandbox_application_id),
        str(profiles["customer-ann"]),
    )
    assert (ann["profileintegrationid"], ann["state"], ann["total"]) == (
        "customer-ann",
        "partially_returned",
        "9.00",
    )
    assert json.loads(ann["cartitems"]) == [
        {
            "sku": "A",
            "quantity": 1,
            "returnedQuantity": 1,
            "remainingQuantity": 0,
            "price": 9,
            "position": 0,
            "attributes": {},
        }
    ]
    assert (ann["discounts"], json.loads(ann["attributes"])) == ("{}", {"ShippingMethod": "Standard"})
    assert (ann["referral"], ann["identifiers"], ann["additional_costs"]) == ("REF-ANN", "null", "{}")
    assert (ann["store_integration_id"], json.loads(ann["coupons"])) == ("STORE-North", ["SUMMER10", "EXTRA"])
    assert ann["closedat"].endswith("Z")
    assert ann["closedat"] != NEVER
    assert (ann["cancelledat"], bob["closedat"], bob["cancelledat"]) == (NEVER, NEVER, NEVER)
    assert NEVER not in (cancelled["cancelledat"], cancelled["closedat"])
    assert (cancelled["firstsession"], cancelled["total"]) == ("false", "10.00")
    assert (guest["profileid"], guest["profileintegrationid"], guest["total"]) == ("", "", "0.50")
    assert (bob["referral"], bob["coupons"], bob["store_integration_id"]) == ("", "[]", "")
    assert datetime.fromisoformat(bob["created"]) <= datetime.fromisoformat(bob["updated"])


def test_the_export_quotes_json_cells(client: TestClient, tenant: Tenant) -> None:
    put_session(
        client,
        tenant.sandbox_key,
        's,"1"',
        profileId="p1",
        cartItems=[item("A", 1, "1850", name='Gravel bike - "Aisle of Man"')],
        additionalCosts={"shipping": {"price": Decimal(50)}},
        identifiers=["device-1"],
    )

    text, rows = export(client, tenant)

    line = text.splitlines()[1]
    assert line.split(",")[:3] == [line.split(",")[0], "true", '"s']
    assert ',open,"[{""name"":""Gravel bike - \\""Aisle of Man\\"""",""sku"":""A"",' in line
    assert ',"{}",1900.00,"{}",' in line
    assert ',"[""device-1""]","{""shipping"":{""price"":50}}",' in line
    assert line.endswith(',"[]"')
    assert rows[0]["integrationid"] == 's,"1"'
    assert json.loads(rows[0]["cartitems"])[0]["name"] == 'Gravel bike - "Aisle of Man"'


def test_the_export_filters_and_formats_dates_for_excel(client: TestClient, tenant: Tenant) -> None:
    seed(client, tenant.sandbox_key)

    _, by_profile = export(client, tenant, profileIntegrationId="customer-ann")
    _, by_state = export(client, tenant, customerSessionState="open")
    _, none_after = export(client, tenant, createdAfter=(datetime.now(UTC) + timedelta(hours=1)).isoformat())
    _, updated = export(client, tenant, updatedBefore="2020-01-01T00:00:00+02:00")
    _, excel = export(client, tenant, dateFormat="excel", customerSessionState="closed")

    assert [row["integrationid"] for row in by_profile] == ["order-ann-1", "order-ann-2"]
    assert [row["integrationid"] for row in by_state] == ["order-bob-1", "guest-1"]
    assert (none_after, updated) == ([], [])
    assert len(excel[0]["created"]) == len("2026-01-02 03:04:05")
    assert excel[0]["created"][10] == " "
    assert excel[0]["cancelledat"] == "0001-01-01 00:00:00"


def test_the_export_is_scoped_to_the_account(client: TestClient, tenant: Tenant, app_store: Store) -> None:
    other = create_tenant(app_store, name="Other")

    response = client.get(
        f"/v1/applications/{tenant.sandbox_application_id}/export_customer_sessions",
        headers=management(other.management_key),
    )
    bad_format = client.get(
        f"/v1/applications/{tenant.sandbox_application_id}/export_customer_sessions",
        headers=management(tenant.management_key),
        params={"dateFormat": "unix"},
    )

    assert (response.status_code, response.json()["errors"][0]["source"]) == (
        404,
        {"parameter": "applicationId"},
    )
    assert (bad_format.status_code, bad_format.json()["errors"][0]["source"]) == (
        400,
        {"parameter": "dateFormat"},
    )
