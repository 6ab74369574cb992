"""Management API, sessions: list, get, CSV export (SEMANTICS 17.7)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from typing import Any

import _client as sdk
from _harness import Tenant
from _helpers import assert_error_body, expect_error, is_aware, worked_session

EXPORT_COLUMNS = [
    "id",
    "firstsession",
    "integrationid",
    "applicationid",
    "profileid",
    "profileintegrationid",
    "created",
    "state",
    "cartitems",
    "discounts",
    "total",
    "attributes",
    "closedat",
    "cancelledat",
    "referral",
    "identifiers",
    "additional_costs",
    "updated",
    "store_integration_id",
    "coupons",
]
NEVER = "0001-01-01T00:00:00Z"


def _names(result: dict[str, Any]) -> list[str]:
    return [s["integrationId"] for s in result["data"]]


def _rows(text: str) -> list[dict[str, str]]:
    reader = csv.reader(io.StringIO(text))
    header = next(reader)
    assert header == EXPORT_COLUMNS
    return [dict(zip(header, row, strict=True)) for row in reader]


def _seed(tenant: Tenant, api: Any) -> dict[str, int]:
    """o-1 closed (c-1, 105), o-2 open (c-1), o-3 closed (c-2, 20), o-anon open (anonymous); a session of
    another Application of the account. Returns the internal ids by integrationId."""
    sessions = [
        ("o-1", worked_session("c-1", "closed")),
        ("o-2", {"profileId": "c-1", "attributes": {"ShippingMethod": "post"}}),
        (
            "o-3",
            {"profileId": "c-2", "state": "closed", "cartItems": [{"sku": "X", "quantity": 1, "price": 20}]},
        ),
        ("o-anon", {"cartItems": [{"sku": "Y", "quantity": 2, "price": 1.5}]}),
    ]
    ids = {}
    for name, payload in sessions:
        ids[name] = sdk.update_customer_session(api, name, payload)["customerSession"]["id"]
    other_app = tenant.new_app(sandbox=True)
    ids["o-elsewhere"] = sdk.update_customer_session(
        tenant.integration(other_app), "o-1", worked_session("c-1")
    )["customerSession"]["id"]
    ids["other-app"] = other_app.id
    return ids


def test_application_sessions(tenant: Tenant, api: Any, other_tenant: Tenant) -> None:
    management = tenant.management()
    app_id = tenant.sandbox.id
    ids = _seed(tenant, api)
    c1 = sdk.update_customer_profile(api, "c-1")["customerProfile"]

    listed = sdk.get_application_sessions(management, app_id)
    assert listed["hasMore"] is False
    assert _names(listed) == ["o-1", "o-2", "o-3", "o-anon"]
    assert [s["id"] for s in listed["data"]] == [ids[n] for n in _names(listed)]

    # The ApplicationSession shape (not CustomerSessionV2).
    o1 = sdk.get_application_session(management, app_id, ids["o-1"])
    assert set(o1) == {
        "id",
        "created",
        "integrationId",
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
    assert o1["id"] == ids["o-1"]
    assert is_aware(o1["created"])
    assert (o1["integrationId"], o1["applicationId"], o1["state"]) == ("o-1", app_id, "closed")
    assert o1["profileId"] == c1["id"]
    assert o1["profileintegrationid"] == "c-1"
    assert (o1["coupon"], o1["referral"], o1["discounts"], o1["totalDiscounts"]) == ("", "", {}, 0)
    assert o1["total"] == 105
    assert o1["attributes"] == {}
    assert [(i["sku"], i["quantity"], i["price"]) for i in o1["cartItems"]] == [
        ("SKU-A", 1, 60),
        ("SKU-B", 2, 20),
    ]
    assert listed["data"][0] == o1
    o2 = sdk.get_application_session(management, app_id, ids["o-2"])
    assert (o2["state"], o2["total"], o2["attributes"]) == ("open", 0, {"ShippingMethod": "post"})
    anon = sdk.get_application_session(management, app_id, ids["o-anon"])
    assert "profileId" not in anon
    assert anon.get("profileintegrationid", "") == ""
    assert (anon["state"], anon["total"]) == ("open", 3)

    # Filters.
    assert _names(sdk.get_application_sessions(management, app_id, profile="c-1")) == ["o-1", "o-2"]
    assert _names(sdk.get_application_sessions(management, app_id, profile="c-2")) == ["o-3"]
    assert _names(sdk.get_application_sessions(management, app_id, state="closed")) == ["o-1", "o-3"]
    assert _names(sdk.get_application_sessions(management, app_id, state="open")) == ["o-2", "o-anon"]
    assert _names(sdk.get_application_sessions(management, app_id, state="cancelled")) == []
    assert _names(sdk.get_application_sessions(management, app_id, integration_id="o-2")) == ["o-2"]
    assert _names(sdk.get_application_sessions(management, app_id, profile="c-1", state="open")) == ["o-2"]
    first = sdk.get_application_sessions(management, app_id, page_size=2)
    assert (first["hasMore"], _names(first)) == (True, ["o-1", "o-2"])
    last = sdk.get_application_sessions(management, app_id, page_size=2, skip=2)
    assert (last["hasMore"], _names(last)) == (False, ["o-3", "o-anon"])
    beyond = sdk.get_application_sessions(management, app_id, page_size=2, skip=4)
    assert (beyond["hasMore"], beyond["data"]) == (False, [])
    elsewhere = sdk.get_application_sessions(management, ids["other-app"])
    assert [s["id"] for s in elsewhere["data"]] == [ids["o-elsewhere"]]

    # 404: a session of another Application, another account's Application, unknown ids.
    other_management = other_tenant.management()
    for api_, app, session in [
        (management, app_id, ids["o-elsewhere"]),
        (management, app_id, 999_999_999),
        (other_management, app_id, ids["o-1"]),
        (management, other_tenant.sandbox.id, ids["o-1"]),
    ]:
        assert_error_body(expect_error(404, sdk.get_application_session, api_, app, session), 404)
    assert_error_body(expect_error(404, sdk.get_application_sessions, other_management, app_id), 404)
    assert_error_body(
        expect_error(404, sdk.get_application_sessions, management, other_tenant.sandbox.id), 404
    )


def test_export_customer_sessions(tenant: Tenant, api: Any, other_tenant: Tenant) -> None:
    management = tenant.management()
    app_id = tenant.sandbox.id
    ids = _seed(tenant, api)
    c1_id = sdk.update_customer_profile(api, "c-1")["customerProfile"]["id"]

    text = sdk.export_customer_sessions(management, app_id)
    assert sdk.last_response.status == 200
    assert sdk.last_response.headers["content-type"].startswith("application/csv")
    rows = _rows(text)
    assert [r["integrationid"] for r in rows] == ["o-1", "o-2", "o-3", "o-anon"]
    o1 = rows[0]
    assert o1["id"] == str(ids["o-1"])
    assert (o1["firstsession"], o1["applicationid"], o1["profileid"]) == ("true", str(app_id), str(c1_id))
    assert (o1["profileintegrationid"], o1["state"], o1["total"]) == ("c-1", "closed", "105.00")
    assert json.loads(o1["cartitems"]) == [
        {
            "name": "Item A",
            "sku": "SKU-A",
            "quantity": 1,
            "returnedQuantity": 0,
            "remainingQuantity": 1,
            "price": 60,
            "position": 0,
            "attributes": {},
        },
        {
            "name": "Item B",
            "sku": "SKU-B",
            "quantity": 2,
            "returnedQuantity": 0,
            "remainingQuantity": 2,
            "price": 20,
            "position": 1,
            "attributes": {},
        },
    ]
    assert json.loads(o1["discounts"]) == {}
    assert json.loads(o1["attributes"]) == {}
    assert json.loads(o1["additional_costs"]) == {"shipping": {"price": 5}}
    assert json.loads(o1["coupons"]) == []
    assert (o1["identifiers"], o1["referral"], o1["store_integration_id"]) == ("null", "", "")
    assert o1["cancelledat"] == NEVER
    assert o1["closedat"] != NEVER
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z", o1["created"]), o1["created"]
    o2 = rows[1]
    assert (o2["firstsession"], o2["state"], o2["total"], o2["closedat"]) == ("false", "open", "0.00", NEVER)
    assert json.loads(o2["attributes"]) == {"ShippingMethod": "post"}
    anon = rows[3]
    assert (anon["profileintegrationid"], anon["total"], anon["firstsession"]) == ("", "3.00", "true")

    # Filters and the excel date format.
    by_profile = _rows(sdk.export_customer_sessions(management, app_id, profile_integration_id="c-1"))
    assert [r["integrationid"] for r in by_profile] == ["o-1", "o-2"]
    closed = _rows(sdk.export_customer_sessions(management, app_id, customer_session_state="closed"))
    assert [r["integrationid"] for r in closed] == ["o-1", "o-3"]
    excel = _rows(sdk.export_customer_sessions(management, app_id, date_format="excel"))
    assert [r["integrationid"] for r in excel] == ["o-1", "o-2", "o-3", "o-anon"]
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", excel[0]["created"]), excel[0]["created"]
    assert excel[0]["created"] == o1["created"][:19].replace("T", " ")
    created = sdk.get_application_session(management, app_id, ids["o-1"])["created"]
    hour = dt.timedelta(hours=1)
    assert len(_rows(sdk.export_customer_sessions(management, app_id, created_after=created - hour))) == 4
    assert _rows(sdk.export_customer_sessions(management, app_id, created_after=created + hour)) == []
    assert _rows(sdk.export_customer_sessions(management, app_id, created_before=created - hour)) == []
    assert [
        r["integrationid"] for r in _rows(sdk.export_customer_sessions(management, ids["other-app"]))
    ] == ["o-1"]

    # Another account's Application: 404.
    for api_, app in [(other_tenant.management(), app_id), (management, other_tenant.sandbox.id)]:
        assert_error_body(expect_error(404, sdk.export_customer_sessions, api_, app), 404)
