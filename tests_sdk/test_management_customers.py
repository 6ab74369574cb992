"""Management API, customers: profiles, searches, Application customers, analytics and activity
reports (SEMANTICS 17.1-17.6, 1.4, 1.5)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import _client as sdk
from _harness import Tenant
from _helpers import assert_error_body, expect_error, is_aware, worked_session

UTC = dt.UTC


def _ids(result: dict[str, Any]) -> list[str]:
    return [p["integrationId"] for p in result["data"]]


def test_customer_profiles_and_searches(tenant: Tenant, api: Any, other_tenant: Tenant) -> None:
    management = tenant.management()
    live = tenant.integration(tenant.live)

    ann = sdk.update_customer_profile(api, "c-ann", attributes={"Name": "Ann", "Language": "en"})
    sdk.update_customer_session(api, "order-1", worked_session("c-ann", "closed"))
    bob = sdk.update_customer_profile(api, "c-bob", attributes={"Name": "Bob", "Language": "en"})
    audience = sdk.create_audience(api, "Ghosts")
    sdk.update_customer_profile_audiences(
        api, [{"action": "add", "profileIntegrationId": "c-ghost", "audienceId": audience["id"]}]
    )
    live_ann = sdk.update_customer_profile(live, "c-ann", attributes={"Name": "Live Ann"})["customerProfile"]
    ann_id, bob_id = ann["customerProfile"]["id"], bob["customerProfile"]["id"]

    # getCustomerProfile: any environment of the account, by internal id.
    got = sdk.get_customer_profile(management, ann_id)
    assert got["id"] == ann_id
    assert got["integrationId"] == "c-ann"
    assert got["accountId"] == tenant.account_id
    assert got["sandbox"] is True
    assert got["attributes"] == {"Name": "Ann", "Language": "en"}
    assert (got["closedSessions"], got["totalSales"]) == (1, 105)
    assert got["audienceMemberships"] == []
    assert is_aware(got["created"])
    assert is_aware(got["lastActivity"])
    got_live = sdk.get_customer_profile(management, live_ann["id"])
    assert (got_live["sandbox"], got_live["attributes"], got_live["totalSales"]) == (
        False,
        {"Name": "Live Ann"},
        0,
    )
    other_management = other_tenant.management()
    assert_error_body(expect_error(404, sdk.get_customer_profile, other_management, ann_id), 404)
    assert_error_body(expect_error(404, sdk.get_customer_profile, management, 999_999_999), 404)

    # getCustomerProfiles: one environment (default live), paged with hasMore.
    sandbox_all = sdk.get_customer_profiles(management, sandbox=True)
    assert sandbox_all["hasMore"] is False
    assert _ids(sandbox_all) == ["c-ann", "c-bob", "c-ghost"]
    assert sandbox_all["data"][0] == got
    ghost = sandbox_all["data"][2]
    assert ghost["audienceMemberships"] == [{"id": audience["id"], "name": "Ghosts"}]
    first = sdk.get_customer_profiles(management, sandbox=True, page_size=2)
    assert (first["hasMore"], _ids(first)) == (True, ["c-ann", "c-bob"])
    rest = sdk.get_customer_profiles(management, sandbox=True, page_size=2, skip=2)
    assert (rest["hasMore"], _ids(rest)) == (False, ["c-ghost"])
    assert sdk.get_customer_profiles(management, sandbox=False) == {"hasMore": False, "data": [got_live]}
    assert sdk.get_customer_profiles(management) == {"hasMore": False, "data": [got_live]}
    assert sdk.get_customer_profiles(other_management, sandbox=True) == {"hasMore": False, "data": []}

    # getCustomersByAttributes: every criterion ANDed, per environment.
    english = sdk.get_customers_by_attributes(management, {"attributes": {"Language": "en"}}, sandbox=True)
    assert (english["hasMore"], _ids(english)) == (False, ["c-ann", "c-bob"])
    assert "totalResultSize" not in english
    paged = sdk.get_customers_by_attributes(
        management, {"attributes": {"Language": "en"}}, sandbox=True, page_size=1
    )
    assert (paged["hasMore"], _ids(paged)) == (True, ["c-ann"])
    only_ann = sdk.get_customers_by_attributes(management, {"attributes": {"Name": "Ann"}}, sandbox=True)
    assert _ids(only_ann) == ["c-ann"]
    by_ids = sdk.get_customers_by_attributes(
        management,
        {"integrationIDs": ["c-bob", "c-ghost", "c-none"], "profileIDs": [bob_id, ann_id]},
        sandbox=True,
    )
    assert _ids(by_ids) == ["c-bob"]
    live_search = sdk.get_customers_by_attributes(
        management, {"attributes": {"Name": "Live Ann"}}, sandbox=False
    )
    assert [p["id"] for p in live_search["data"]] == [live_ann["id"]]
    none = sdk.get_customers_by_attributes(management, {"attributes": {"Name": "Ann"}}, sandbox=False)
    assert none == {"hasMore": False, "data": []}

    # getApplicationCustomers: only profiles the Application has seen (not c-ghost, SEMANTICS 1.5).
    app_id = tenant.sandbox.id
    customers = sdk.get_application_customers(management, app_id)
    assert (customers["hasMore"], _ids(customers)) == (False, ["c-ann", "c-bob"])
    assert "totalResultSize" not in customers
    assert customers["data"][0] == got
    with_total = sdk.get_application_customers(management, app_id, with_total_result_size=True, page_size=1)
    assert (with_total["totalResultSize"], with_total["hasMore"], _ids(with_total)) == (2, True, ["c-ann"])
    second = sdk.get_application_customers(management, app_id, page_size=1, skip=1)
    assert (second["hasMore"], _ids(second)) == (False, ["c-bob"])
    assert _ids(sdk.get_application_customers(management, app_id, integration_id="c-bob")) == ["c-bob"]
    assert _ids(sdk.get_application_customers(management, app_id, integration_id="c-ghost")) == []
    assert _ids(sdk.get_application_customers(management, tenant.live.id)) == ["c-ann"]
    assert_error_body(
        expect_error(404, sdk.get_application_customers, management, other_tenant.sandbox.id), 404
    )
    assert_error_body(expect_error(404, sdk.get_application_customers, other_management, app_id), 404)

    # getApplicationCustomer: 404 when the Application has not seen it, or it is another account's.
    assert sdk.get_application_customer(management, app_id, ann_id) == got
    assert sdk.get_application_customer(management, app_id, bob_id)["integrationId"] == "c-bob"
    assert_error_body(expect_error(404, sdk.get_application_customer, management, app_id, ghost["id"]), 404)
    assert_error_body(
        expect_error(404, sdk.get_application_customer, management, app_id, live_ann["id"]), 404
    )
    assert_error_body(expect_error(404, sdk.get_application_customer, other_management, app_id, ann_id), 404)

    # getApplicationCustomersByAttributes.
    search = sdk.get_application_customers_by_attributes(
        management, app_id, {"attributes": {"Language": "en"}}, with_total_result_size=True
    )
    assert (search["totalResultSize"], _ids(search)) == (2, ["c-ann", "c-bob"])
    page = sdk.get_application_customers_by_attributes(
        management, app_id, {"attributes": {"Language": "en"}}, page_size=1, skip=1
    )
    assert (page["hasMore"], _ids(page)) == (False, ["c-bob"])
    ghost_search = sdk.get_application_customers_by_attributes(
        management, app_id, {"integrationIDs": ["c-ghost"]}
    )
    assert ghost_search == {"hasMore": False, "data": []}
    assert_error_body(
        expect_error(404, sdk.get_application_customers_by_attributes, other_management, app_id, {}), 404
    )


def test_customer_analytics_and_activity_report(tenant: Tenant, api: Any, other_tenant: Tenant) -> None:
    management = tenant.management()
    app_id = tenant.sandbox.id
    other_app = tenant.new_app(sandbox=True)
    start = dt.datetime.now(UTC) - dt.timedelta(minutes=5)

    sdk.update_customer_profile(api, "buyer", attributes={"Name": "Buyer"})
    sdk.update_customer_session(api, "o-1", worked_session("buyer", "closed"))  # 105
    sdk.update_customer_session(
        api, "o-2", {"profileId": "buyer", "cartItems": [{"sku": "X", "quantity": 1, "price": 20}]}
    )
    sdk.update_customer_session(api, "o-2", {"state": "closed"})  # 20
    sdk.update_customer_session(api, "o-3", worked_session("buyer", "open"))  # not counted
    sdk.update_customer_session(api, "o-4", worked_session("buyer", "closed"))
    sdk.update_customer_session(api, "o-4", {"state": "cancelled"})  # no longer counted
    # Another Application of the environment: its orders count for the profile, not for this Application.
    sdk.update_customer_session(tenant.integration(other_app), "o-9", worked_session("buyer", "closed"))
    sdk.update_customer_profile(api, "browser")
    buyer = sdk.get_customers_by_attributes(management, {"integrationIDs": ["buyer"]}, sandbox=True)["data"][
        0
    ]
    browser = sdk.get_customers_by_attributes(management, {"integrationIDs": ["browser"]}, sandbox=True)[
        "data"
    ][0]
    assert (buyer["closedSessions"], buyer["totalSales"]) == (3, 230)
    end = dt.datetime.now(UTC) + dt.timedelta(minutes=5)

    analytics = sdk.get_customer_analytics(management, app_id, buyer["id"])
    assert analytics == {
        "acceptedCoupons": 0,
        "createdCoupons": 0,
        "freeItems": 0,
        "totalOrders": 2,
        "totalDiscountedOrders": 0,
        "totalRevenue": 125,
        "totalDiscounts": 0,
    }
    assert (
        sdk.get_customer_analytics(management, app_id, buyer["id"], page_size=10, skip=0, sort="id")
        == analytics
    )
    assert sdk.get_customer_analytics(management, other_app.id, buyer["id"])["totalRevenue"] == 105
    assert sdk.get_customer_analytics(management, app_id, browser["id"]) == dict(
        analytics, totalOrders=0, totalRevenue=0
    )
    other_management = other_tenant.management()
    assert_error_body(
        expect_error(404, sdk.get_customer_analytics, other_management, app_id, buyer["id"]), 404
    )
    assert_error_body(expect_error(404, sdk.get_customer_analytics, management, app_id, 999_999_999), 404)

    report = sdk.get_customer_activity_report(management, app_id, buyer["id"], start, end)
    assert report == {
        "integrationId": "buyer",
        "created": buyer["created"],
        "name": "Buyer",
        "customerId": buyer["id"],
        "lastActivity": buyer["lastActivity"],
        "couponRedemptions": 0,
        "couponUseAttempts": 0,
        "couponFailedAttempts": 0,
        "accruedDiscounts": 0,
        "accruedRevenue": 125,
        "totalOrders": 2,
        "totalOrdersNoCoupon": 2,
        "campaignName": "",
    }
    assert (
        sdk.get_customer_activity_report(management, app_id, buyer["id"], start, end, page_size=5, skip=0)
        == report
    )
    # A range before the orders: nothing; the profile's own fields stay.
    past = sdk.get_customer_activity_report(
        management,
        app_id,
        buyer["id"],
        dt.datetime(2000, 1, 1, tzinfo=UTC),
        dt.datetime(2001, 1, 1, tzinfo=UTC),
    )
    assert past == dict(report, accruedRevenue=0, totalOrders=0, totalOrdersNoCoupon=0)
    quiet = sdk.get_customer_activity_report(management, app_id, browser["id"], start, end)
    assert (quiet["name"], quiet["totalOrders"], quiet["accruedRevenue"]) == ("", 0, 0)
    assert_error_body(
        expect_error(
            404, sdk.get_customer_activity_report, other_management, app_id, buyer["id"], start, end
        ),
        404,
    )
